import { KubernetesAuthProviders } from '@backstage/plugin-kubernetes-react';
import { CrossplaneClient } from './CrossplaneClient';
import { KubernetesClusterAuth } from './ClusterAuthHeaders';

/** The kubernetes plugin's own auth providers, with a signed-in OIDC and Google user. */
function kubernetesAuth() {
  const tokenOf = (token: string) => ({
    getIdToken: async () => token,
    getAccessToken: async () => token,
  });
  return new KubernetesClusterAuth({
    kubernetesApi: {
      getClusters: async () => [
        {
          name: 'oidc-cluster',
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
        },
        { name: 'gke', authProvider: 'google' },
        { name: 'service', authProvider: 'serviceAccount' },
      ],
    },
    kubernetesAuthProvidersApi: new KubernetesAuthProviders({
      googleAuthApi: tokenOf('google-token') as any,
      microsoftAuthApi: tokenOf('ms-token') as any,
      oidcProviders: { okta: tokenOf('okta-id-token') as any },
    }),
  });
}

function clientWith(clusterAuth = kubernetesAuth()) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response('{"steps":[]}', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
  );
  const client = new CrossplaneClient({
    discoveryApi: {
      getBaseUrl: async () => 'http://localhost:7007/api/crossplane',
    },
    fetchApi: { fetch: fetch as any },
    clusterAuth,
  });
  const headersOf = (call: number) =>
    (fetch.mock.calls[call][1]?.headers ?? {}) as Record<string, string>;
  return { client, fetch, headersOf };
}

const object = (cluster: string) => ({
  cluster,
  apiVersion: 'database.platformops.io/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
});

describe('writes carry the user cluster token the Kubernetes tab uses', () => {
  it("sends an oidc cluster's token from the user's OIDC sign-in, in the kubernetes plugin's header", async () => {
    const { client, headersOf } = clientWith();
    await client.runLifecycleOperation('pause', object('oidc-cluster'));
    await client.editObject({ ...object('oidc-cluster'), values: {} });
    await client.deleteObject({
      ...object('oidc-cluster'),
      confirm: 'orders-db',
    });
    for (const call of [0, 1, 2]) {
      expect(headersOf(call)).toEqual({
        'Backstage-Kubernetes-Authorization-oidc-okta': 'okta-id-token',
        'Content-Type': 'application/json',
      });
    }
  });

  it("sends each cluster's token for an upgrade across clusters, and none for a server-side provider", async () => {
    const { client, headersOf } = clientWith();
    await client.upgrade({
      objects: [object('gke'), object('service'), object('oidc-cluster')],
    });
    expect(headersOf(0)).toEqual({
      'Backstage-Kubernetes-Authorization-google': 'google-token',
      'Backstage-Kubernetes-Authorization-oidc-okta': 'okta-id-token',
      'Content-Type': 'application/json',
    });
    await client.runLifecycleOperation('reconcile', object('service'));
    expect(headersOf(1)).toEqual({ 'Content-Type': 'application/json' });
  });

  it('reads carry no cluster token', async () => {
    const { client, fetch } = clientWith();
    await client.getYaml(object('oidc-cluster')).catch(() => undefined);
    expect(fetch.mock.calls[0][1]).toBeUndefined();
  });
});
