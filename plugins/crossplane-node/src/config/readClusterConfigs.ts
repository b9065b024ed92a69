import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import { ClusterAuthStrategies } from '../auth/authStrategies';
import {
  checkClusterAuth,
  readClusterAuthMetadata,
} from '../auth/clusterAuthConfig';

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

/** The configuration key of the cluster locators, shared with Backstage. */
export const CLUSTER_LOCATORS_CONFIG_KEY = 'kubernetes.clusterLocatorMethods';

/**
 * Reads the clusters of every `type: config` locator in the `kubernetes`
 * section; other locator types are read by their own suppliers (see
 * `readClusterSuppliers`).
 *
 * @public
 */
export function readClusterConfigs(config: Config): ClusterConfig[] {
  const methods = config.getOptionalConfigArray(CLUSTER_LOCATORS_CONFIG_KEY);
  const seen = new Set<string>();
  return (methods ?? []).flatMap((method, index) =>
    method.getString('type') === 'config'
      ? readConfigLocator(
          method,
          `${CLUSTER_LOCATORS_CONFIG_KEY}[${index}]`,
          seen,
        )
      : [],
  );
}

/**
 * The clusters of one `type: config` locator at `path`; errors name the
 * field. `seen` holds the names already taken by earlier locators.
 */
export function readConfigLocator(
  method: Config,
  path: string,
  seen: Set<string> = new Set(),
  /** The providers' strategies; default: the kubernetes plugin's names. */
  authStrategies?: ClusterAuthStrategies,
): ClusterConfig[] {
  const entries = method.getOptionalConfigArray('clusters') ?? [];
  return entries.map((entry, clusterIndex) => {
    const entryPath = `${path}.clusters[${clusterIndex}]`;
    const name = entry.getString('name');
    if (seen.has(name)) {
      throw new InputError(
        `${entryPath}.name: cluster name "${name}" is used twice; each cluster needs a unique name`,
      );
    }
    seen.add(name);

    const url = entry.getString('url');
    if (!/^https?:\/\//.test(url)) {
      throw new InputError(
        `${entryPath}.url: must be an http(s) URL of the Kubernetes API server (got "${url}")`,
      );
    }

    const authMetadata = readClusterAuthMetadata(entry, entryPath);
    checkClusterAuth(authMetadata, entryPath, authStrategies);

    return {
      name,
      title: entry.getOptionalString('title'),
      url: url.replace(/\/+$/, ''),
      authProvider: authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER],
      authMetadata,
      serviceAccountToken: entry.getOptionalString('serviceAccountToken'),
      caData: entry.getOptionalString('caData'),
      caFile: entry.getOptionalString('caFile'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
    };
  });
}
