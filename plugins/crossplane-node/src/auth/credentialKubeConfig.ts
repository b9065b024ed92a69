import * as k8s from '@kubernetes/client-node';
import type { KubernetesCredential } from '@backstage/plugin-kubernetes-node';
import type { ClusterAuthDetails } from './ClusterAuth';

/** The KubeConfig user whose requests carry the strategy's credential. */
const CREDENTIAL_USER = 'platformops-credential';

/**
 * A KubeConfig of one cluster whose every request (client-node's APIs, its
 * watch, and the HTTP/2 pool, which all apply the KubeConfig per request)
 * carries the credential `credential` gives at that moment: a bearer
 * token, an x509 client certificate, or nothing (anonymous).
 */
export function credentialKubeConfig(
  cluster: ClusterAuthDetails,
  credential: () => Promise<KubernetesCredential>,
): k8s.KubeConfig {
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: CREDENTIAL_USER }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: CREDENTIAL_USER },
    ],
    currentContext: cluster.name,
  });
  kubeConfig.addAuthenticator({
    isAuthProvider: user => user.name === CREDENTIAL_USER,
    async applyAuthentication(_user, opts) {
      const options = opts as {
        headers?: Record<string, unknown>;
        cert?: string;
        key?: string;
      };
      const current = await credential();
      if (current.type === 'bearer token') {
        options.headers = {
          ...options.headers,
          Authorization: `Bearer ${current.token}`,
        };
      } else if (current.type === 'x509 client certificate') {
        options.cert = current.cert;
        options.key = current.key;
      }
    },
  });
  return kubeConfig;
}
