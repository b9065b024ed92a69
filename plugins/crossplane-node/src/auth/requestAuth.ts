import type { KubernetesRequestAuth } from '@backstage/plugin-kubernetes-common';
import { CLUSTER_AUTH_HEADER } from '@platformops/plugin-crossplane-common';

/**
 * The user's cluster tokens of a request's headers, shaped as the
 * strategies read them (`{ google: token }`, `{ oidc: { <provider>: token } }`),
 * parsed as the kubernetes plugin's proxy parses them. Header names arrive
 * in lower case; so do the provider names read from them.
 *
 * @public
 */
export function clusterAuthFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): KubernetesRequestAuth {
  const prefix = `${CLUSTER_AUTH_HEADER.toLowerCase()}-`;
  const auth: Record<string, string | Record<string, string>> = {};
  for (const [name, value] of Object.entries(headers)) {
    const header = name.toLowerCase();
    if (!header.startsWith(prefix) || typeof value !== 'string' || !value) {
      continue;
    }
    const [framework, ...rest] = header.slice(prefix.length).split('-');
    if (!framework) continue;
    if (rest.length === 0) {
      auth[framework] = value;
    } else {
      const existing = auth[framework];
      auth[framework] = {
        ...(typeof existing === 'object' ? existing : {}),
        [rest.join('-')]: value,
      };
    }
  }
  return auth;
}
