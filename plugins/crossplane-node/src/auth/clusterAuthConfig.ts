import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
  ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import { SERVICE_ACCOUNT_TOKEN_KEY } from '../clusters/clusterDetails';
import {
  BUILT_IN_AUTH_PROVIDERS,
  ClusterAuthStrategies,
} from './authStrategies';

/** A cluster entry's fields that the kubernetes plugin moves into `authMetadata`. */
const AUTH_METADATA_FIELDS: ReadonlyArray<[field: string, key: string]> = [
  ['serviceAccountToken', SERVICE_ACCOUNT_TOKEN_KEY],
  ['oidcTokenProvider', ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER],
  ['assumeRole', ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE],
  ['externalId', ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID],
];

/**
 * A `type: config` cluster entry's `authMetadata`, built as the kubernetes
 * plugin's config locator builds it: the provider (`authProvider`, default
 * `serviceAccount`), `serviceAccountToken`, `oidcTokenProvider`,
 * `assumeRole` and `externalId` under their annotation names, then the
 * entry's `authMetadata` block, which wins.
 *
 * @public
 */
export function readClusterAuthMetadata(
  entry: Config,
  /** The entry's config path, for errors. */
  path?: string,
): Record<string, string> {
  const metadata: Record<string, string> = {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]:
      entry.getOptionalString('authProvider') ?? 'serviceAccount',
  };
  for (const [field, key] of AUTH_METADATA_FIELDS) {
    const value = entry.getOptionalString(field);
    if (value) metadata[key] = value;
  }
  // Its keys are annotation names (dots, slashes): read as one object.
  const block = entry.getOptional('authMetadata') ?? {};
  const field = `${path ? `${path}.` : ''}authMetadata`;
  if (typeof block !== 'object' || Array.isArray(block)) {
    throw new InputError(`${field}: must be an object of strings`);
  }
  for (const [key, value] of Object.entries(block)) {
    if (typeof value !== 'string') {
      throw new InputError(
        `${field}.${key}: must be a string (got ${JSON.stringify(value)})`,
      );
    }
    metadata[key] = value;
  }
  return metadata;
}

/**
 * Checks a cluster's auth at startup, each error naming the field at
 * `path`: a provider with a strategy, what the strategy requires (an
 * `oidc` cluster names its `oidcTokenProvider`), and for a provider that
 * carries the signed-in user's token, the `serviceAccountToken` that
 * PlatformOps reads the cluster with.
 *
 * @public
 */
export function checkClusterAuth(
  authMetadata: Record<string, string>,
  path: string,
  strategies?: ClusterAuthStrategies,
): void {
  const authProvider = authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  const known: Record<string, { signedInUser?: boolean }> = strategies
    ? Object.fromEntries(strategies)
    : BUILT_IN_AUTH_PROVIDERS;
  if (!Object.hasOwn(known, authProvider)) {
    throw new InputError(
      `${path}.authProvider: must be one of ${Object.keys(known).join(
        ', ',
      )} (got "${authProvider}")`,
    );
  }
  if (
    authProvider === 'oidc' &&
    !authMetadata[ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER]
  ) {
    throw new InputError(
      `${path}.oidcTokenProvider: required when authProvider is "oidc": the sign-in provider whose token the frontend sends (e.g. okta for the frontend's oidc.okta)`,
    );
  }
  const errors =
    strategies?.get(authProvider)?.strategy.validateCluster(authMetadata) ?? [];
  if (errors.length > 0) {
    throw new InputError(
      `${path}.authMetadata: not valid for authProvider "${authProvider}": ${errors
        .map(e => e.message)
        .join('; ')}`,
    );
  }
  if (
    known[authProvider].signedInUser &&
    !authMetadata[SERVICE_ACCOUNT_TOKEN_KEY]
  ) {
    throw new InputError(
      `${path}.serviceAccountToken: required when authProvider is "${authProvider}": PlatformOps reads the cluster (its object cache, the catalog, the status pages) with this service token, and writes with the signed-in user's own token`,
    );
  }
}
