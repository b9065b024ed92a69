import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { lookup } from 'node:dns/promises';

/**
 * The `localKubectlProxy` locator: one cluster named `local` behind
 * `kubectl proxy` on port 8001, which authenticates for us (no credential
 * is sent). `localhost` is resolved IPv4 first, since `kubectl proxy`
 * listens on 127.0.0.1, as Backstage's kubernetes plugin does.
 */
export class LocalKubectlProxyClusterSupplier
  implements KubernetesClustersSupplier
{
  #address?: Promise<string>;

  async getClusters(): Promise<ClusterDetails[]> {
    this.#address ??= lookup('localhost', { verbatim: false }).then(
      ({ address, family }) => (family === 6 ? `[${address}]` : address),
    );
    return [
      {
        name: 'local',
        url: `http://${await this.#address}:8001`,
        authMetadata: {
          [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy',
        },
        skipMetricsLookup: true,
      },
    ];
  }
}
