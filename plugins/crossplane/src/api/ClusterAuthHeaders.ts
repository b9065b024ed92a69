import type {
  KubernetesApi,
  KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import {
  clusterAuthHeaderOf,
  signInProviderOf,
} from '@platformops/plugin-crossplane-common';

/**
 * The headers a write to a cluster carries: where the cluster's
 * `authProvider` uses the signed-in user's own token (`oidc`, `google`,
 * `aks`), the token the Kubernetes tab's auth providers give for it, in
 * the header the kubernetes plugin's frontend sends it in; nothing for a
 * cluster the backend reaches with its own credential.
 *
 * @public
 */
export interface CrossplaneClusterAuth {
  headersFor(clusters: string[]): Promise<Record<string, string>>;
}

/**
 * {@link CrossplaneClusterAuth} through the kubernetes plugin's APIs: the
 * clusters' providers from its backend, the tokens from its
 * `KubernetesAuthProviders` (which signs the user in when needed).
 *
 * @public
 */
export class KubernetesClusterAuth implements CrossplaneClusterAuth {
  readonly #kubernetesApi: Pick<KubernetesApi, 'getClusters'>;
  readonly #authProviders: Pick<KubernetesAuthProvidersApi, 'getCredentials'>;

  constructor(options: {
    kubernetesApi: Pick<KubernetesApi, 'getClusters'>;
    kubernetesAuthProvidersApi: Pick<
      KubernetesAuthProvidersApi,
      'getCredentials'
    >;
  }) {
    this.#kubernetesApi = options.kubernetesApi;
    this.#authProviders = options.kubernetesAuthProvidersApi;
  }

  async headersFor(clusters: string[]): Promise<Record<string, string>> {
    const known = await this.#kubernetesApi.getClusters();
    const headers: Record<string, string> = {};
    for (const name of new Set(clusters)) {
      const cluster = known.find(c => c.name === name);
      if (!cluster) continue;
      const { authProvider, oidcTokenProvider } = cluster;
      // Server-side providers give no token: the backend's own credential.
      const { token } = await this.#authProviders.getCredentials(
        signInProviderOf(authProvider, oidcTokenProvider),
      );
      if (token) {
        headers[clusterAuthHeaderOf(authProvider, oidcTokenProvider)] = token;
      }
    }
    return headers;
  }
}
