import { InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { ClusterConfig } from '../config/readClusterConfigs';

/** Where a cluster's bearer token travels in `authMetadata`, as Backstage's config locator puts it. */
export const SERVICE_ACCOUNT_TOKEN_KEY = 'serviceAccountToken';

/**
 * Auth providers whose requests carry no credential: `kubectl proxy`
 * authenticates on the caller's behalf.
 */
const ANONYMOUS_AUTH_PROVIDERS = new Set(['localKubectlProxy']);

/** A config-located cluster as Backstage's kubernetes plugin describes it. */
export function detailsOfClusterConfig(cluster: ClusterConfig): ClusterDetails {
  return {
    name: cluster.name,
    ...(cluster.title && { title: cluster.title }),
    url: cluster.url,
    authMetadata: cluster.authMetadata ?? {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: cluster.authProvider,
      ...(cluster.serviceAccountToken && {
        [SERVICE_ACCOUNT_TOKEN_KEY]: cluster.serviceAccountToken,
      }),
    },
    caData: cluster.caData,
    caFile: cluster.caFile,
    skipTLSVerify: cluster.skipTLSVerify,
  };
}

/**
 * What the cluster client is built from: its credentials come from the
 * strategy of its provider, reading `authMetadata` (see `ClusterAuth`).
 * The token is the one a supplier put in `authMetadata.serviceAccountToken`;
 * which supplier may put one there, and for which URL, is the supplier's
 * decision (the catalog's never takes it from an entity).
 */
export function clusterConfigOf(details: ClusterDetails): ClusterConfig {
  const authProvider =
    details.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  if (!authProvider) {
    throw new InputError(
      `authMetadata.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}: required, the cluster's authProvider`,
    );
  }
  // A token a supplier gave anyway is never sent.
  const { [SERVICE_ACCOUNT_TOKEN_KEY]: token, ...withoutToken } =
    details.authMetadata;
  const anonymous = ANONYMOUS_AUTH_PROVIDERS.has(authProvider);
  return {
    name: details.name,
    title: details.title,
    url: details.url.replace(/\/+$/, ''),
    authProvider,
    authMetadata: anonymous ? withoutToken : details.authMetadata,
    serviceAccountToken: anonymous ? undefined : token,
    caData: details.caData,
    caFile: details.caFile,
    skipTLSVerify: details.skipTLSVerify ?? false,
  };
}
