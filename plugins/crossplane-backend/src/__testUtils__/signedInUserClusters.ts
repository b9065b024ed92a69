import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { clusterAuthHeaderOf } from '@platformops/plugin-crossplane-common';
import {
  buildAuthStrategies,
  crossplaneClustersServiceRef,
  KubernetesClusterClient,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import type { ControlPlane } from './controlPlane';

/** The sign-in provider whose token the frontend sends, as in `oidc.okta`. */
const OIDC_TOKEN_PROVIDER = 'okta';

/**
 * The header that carries a user's cluster token for {@link signedInUserClusters}.
 */
export const SIGNED_IN_USER_HEADER = clusterAuthHeaderOf(
  'oidc',
  OIDC_TOKEN_PROVIDER,
);

/**
 * The clusters service with one control plane as a cluster whose writes are
 * the signed-in user's (`authProvider: oidc`): PlatformOps reads with the
 * portal's token, and writes with the token a request carries in
 * {@link SIGNED_IN_USER_HEADER}, so the cluster's RBAC decides too. Built
 * from the same parts as a configured cluster (the kubernetes plugin's
 * strategies, `ClusterAuth`), the service in place of the default one.
 */
export function signedInUserClusters(cp: ControlPlane) {
  return createServiceFactory({
    service: crossplaneClustersServiceRef,
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    factory({ config, logger }) {
      const { name, url, caData, serviceAccountToken } = cp.backstageCluster;
      const authMetadata = {
        'kubernetes.io/auth-provider': 'oidc',
        'kubernetes.io/oidc-token-provider': OIDC_TOKEN_PROVIDER,
        serviceAccountToken,
      };
      const cluster = {
        name,
        url,
        caData,
        authProvider: 'oidc',
        authMetadata,
        serviceAccountToken,
        skipTLSVerify: false,
      };
      const authStrategies = buildAuthStrategies({ config, logger });
      return new StaticCrossplaneClusters(
        [KubernetesClusterClient.fromConfig(cluster, { authStrategies })],
        [{ name, url, authProvider: 'oidc', skipTLSVerify: false }],
      );
    },
  });
}
