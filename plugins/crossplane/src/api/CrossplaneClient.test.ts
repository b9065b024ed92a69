import { CrossplaneClient } from './CrossplaneClient';

function clientWith(responses: Record<string, unknown>, status = 200) {
  const fetch = jest.fn(async (url: string) => {
    const path = new URL(url).pathname.replace('/api/crossplane', '');
    return new Response(JSON.stringify(responses[path]), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  const client = new CrossplaneClient({
    discoveryApi: {
      getBaseUrl: async () => 'http://localhost:7007/api/crossplane',
    },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

const ref = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-a',
  name: 'orders-db',
};

describe('CrossplaneClient', () => {
  it('sends the summary filters as repeated query parameters', async () => {
    const { client, fetch } = clientWith({ '/summary': { resources: [] } });
    await client.getSummary({ cluster: ['east', 'west'], owner: ['team-a'] });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/crossplane/summary?cluster=east&cluster=west&owner=team-a',
    );
  });

  it('asks for a page and a health filter, and fills in the page of an older backend', async () => {
    const { client, fetch } = clientWith({
      '/summary': { resources: [{ name: 'a' }, { name: 'b' }] },
    });
    const summary = await client.getSummary(
      { health: ['Degraded', 'Unknown'] },
      { offset: 10, limit: 5 },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/crossplane/summary?health=Degraded&health=Unknown&offset=10&limit=5',
    );
    expect(summary.page).toEqual({ offset: 0, total: 2 });
  });

  it('addresses objects with cluster, apiVersion, kind, namespace and name', async () => {
    const { client, fetch } = clientWith({
      '/tree': { root: { ref: { kind: 'X', name: 'y' } } },
      '/events': { items: [] },
      '/yaml': { yaml: 'kind: X\n' },
    });
    await expect(client.getTree(ref)).resolves.toEqual({
      ref: { kind: 'X', name: 'y' },
    });
    await client.getEvents({ ...ref, namespace: undefined }, { tree: true });
    await expect(client.getYaml(ref)).resolves.toBe('kind: X\n');
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://localhost:7007/api/crossplane/tree?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
      'http://localhost:7007/api/crossplane/events?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&name=orders-db&tree=true',
      'http://localhost:7007/api/crossplane/yaml?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
    ]);
  });

  it('reads the clusters, accepting `error` for `lastError`', async () => {
    const { client } = clientWith({
      '/clusters': {
        items: [
          { name: 'east', reachable: true, objectCount: 3 },
          { name: 'west', reachable: false, error: 'timeout' },
        ],
      },
    });
    await expect(client.getClusters()).resolves.toEqual([
      { name: 'east', reachable: true, objectCount: 3 },
      { name: 'west', reachable: false, lastError: 'timeout' },
    ]);
  });

  it('asks for the capabilities of an object', async () => {
    const capabilities = {
      pause: { allowed: true },
      resume: { allowed: false, reason: 'not paused' },
      reconcile: { allowed: true },
    };
    const { client, fetch } = clientWith({ '/capabilities': capabilities });
    await expect(client.getCapabilities(ref)).resolves.toEqual(capabilities);
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/crossplane/capabilities?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
    );
  });

  it('posts a lifecycle operation with the object and options in a JSON body', async () => {
    const result = { operation: 'reconcile', paused: false, objects: [] };
    const { client, fetch } = clientWith({ '/reconcile': result });
    await expect(
      client.runLifecycleOperation(
        'reconcile',
        { ...ref, namespace: undefined },
        { waitSeconds: 10 },
      ),
    ).resolves.toEqual(result);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://localhost:7007/api/crossplane/reconcile');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      name: 'orders-db',
      waitSeconds: 10,
    });
  });

  it('rejects with a ResponseError on error responses', async () => {
    const { client } = clientWith(
      {
        '/tree': {
          error: { name: 'NotAllowedError', message: 'not allowed' },
          response: { statusCode: 403 },
        },
      },
      403,
    );
    await expect(client.getTree(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
