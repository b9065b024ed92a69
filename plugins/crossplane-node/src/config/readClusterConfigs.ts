import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * How PlatformOps authenticates to a cluster: an `authProvider` of
 * Backstage's kubernetes plugin (`serviceAccount`, `oidc`, `google`, `aws`,
 * `azure`, `googleServiceAccount`, `aks`, `localKubectlProxy`) or one added
 * with `crossplaneClustersServiceFactory({ authStrategies })`, so that one
 * `kubernetes` config serves both.
 *
 * @public
 */
export type ClusterAuthProvider = string;

/**
 * One cluster as configured under `kubernetes.clusterLocatorMethods` with
 * `type: config`.
 *
 * @public
 */
export interface ClusterConfig {
  name: string;
  title?: string;
  url: string;
  authProvider: ClusterAuthProvider;
  /**
   * What the provider's strategy reads, as the kubernetes plugin builds it
   * (see `readClusterAuthMetadata`); holds secrets: never log it. Unset:
   * `authProvider` and `serviceAccountToken`.
   */
  authMetadata?: Record<string, string>;
  /**
   * Bearer token; a secret: never log it. Where `authProvider` carries the
   * signed-in user's token (`oidc`, `google`, `aks`): PlatformOps' own,
   * for its reads.
   */
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

const SUPPORTED_AUTH_PROVIDERS: ClusterAuthProvider[] = ['serviceAccount'];

/**
 * Reads the clusters of every `type: config` locator in the `kubernetes`
 * section. Other locator types (catalog, gke, ...) are left to Backstage's
 * kubernetes plugin; PlatformOps needs a static URL and credentials per
 * cluster.
 *
 * @public
 */
export function readClusterConfigs(config: Config): ClusterConfig[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterConfig[] = [];
  const seen = new Set<string>();

  methods.forEach((method, methodIndex) => {
    if (method.getString('type') !== 'config') {
      return;
    }
    const entries = method.getOptionalConfigArray('clusters') ?? [];
    entries.forEach((entry, clusterIndex) => {
      const path = `kubernetes.clusterLocatorMethods[${methodIndex}].clusters[${clusterIndex}]`;
      const name = entry.getString('name');
      if (seen.has(name)) {
        throw new InputError(
          `${path}.name: cluster name "${name}" is used twice; each cluster needs a unique name`,
        );
      }
      seen.add(name);

      const url = entry.getString('url');
      if (!/^https?:\/\//.test(url)) {
        throw new InputError(
          `${path}.url: must be an http(s) URL of the Kubernetes API server (got "${url}")`,
        );
      }

      const authProvider =
        entry.getOptionalString('authProvider') ?? 'serviceAccount';
      if (
        !SUPPORTED_AUTH_PROVIDERS.includes(authProvider as ClusterAuthProvider)
      ) {
        throw new InputError(
          `${path}.authProvider: must be one of ${SUPPORTED_AUTH_PROVIDERS.join(
            ', ',
          )} (got "${authProvider}")`,
        );
      }

      clusters.push({
        name,
        title: entry.getOptionalString('title'),
        url: url.replace(/\/+$/, ''),
        authProvider: authProvider as ClusterAuthProvider,
        serviceAccountToken: entry.getOptionalString('serviceAccountToken'),
        caData: entry.getOptionalString('caData'),
        caFile: entry.getOptionalString('caFile'),
        skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    });
  });

  return clusters;
}
