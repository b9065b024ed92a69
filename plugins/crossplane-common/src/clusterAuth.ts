/**
 * The header prefix of a user's cluster tokens, as the kubernetes plugin's
 * frontend sends them to its backend: `Backstage-Kubernetes-Authorization-<authProvider>`
 * (e.g. `-google`, `-aks`), or `...-oidc-<oidcTokenProvider>`.
 *
 * @public
 */
export const CLUSTER_AUTH_HEADER = 'Backstage-Kubernetes-Authorization';

/**
 * The header that carries the signed-in user's token for a cluster of this
 * provider, named as the kubernetes plugin's frontend names it.
 *
 * @public
 */
export function clusterAuthHeaderOf(
  authProvider: string,
  oidcTokenProvider?: string,
): string {
  return [CLUSTER_AUTH_HEADER, authProvider, oidcTokenProvider]
    .filter(Boolean)
    .join('-');
}

/**
 * The key of a cluster's provider in the kubernetes plugin's frontend
 * `KubernetesAuthProviders` (`oidc.<oidcTokenProvider>` for oidc), which
 * gives the signed-in user's token for it.
 *
 * @public
 */
export function signInProviderOf(
  authProvider: string,
  oidcTokenProvider?: string,
): string {
  return authProvider === 'oidc' && oidcTokenProvider
    ? `oidc.${oidcTokenProvider}`
    : authProvider;
}
