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
      edit: { allowed: true },
      delete: { allowed: false, reason: 'delivered by Argo CD' },
      upgrade: { allowed: true },
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

  it('reads the edit form and posts an edit preview with the values', async () => {
    const form = {
      object: ref,
      steps: [],
      values: { size: 'small' },
      fieldOwners: [],
    };
    const edited = { object: ref, dryRun: true, diff: '-a\n+b', changed: true };
    const { client, fetch } = clientWith({ '/edit': form });
    await expect(client.getEditForm(ref)).resolves.toEqual(form);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://localhost:7007/api/crossplane/edit?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
    );

    const post = clientWith({ '/edit': edited });
    await expect(
      post.client.editObject({
        ...ref,
        values: { size: 'large' },
        dryRun: true,
      }),
    ).resolves.toEqual(edited);
    const [url, init] = post.fetch.mock.calls[0] as unknown as [
      string,
      RequestInit,
    ];
    expect(url).toBe('http://localhost:7007/api/crossplane/edit');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({
      ...ref,
      values: { size: 'large' },
      dryRun: true,
    });
  });

  it('reads the deletion impact and posts a delete with the typed confirmation', async () => {
    const impact = {
      object: ref,
      items: [],
      usages: [],
      connectionSecrets: [],
      dependents: [],
      deleting: false,
    };
    const { client, fetch } = clientWith({
      '/deletion': impact,
      '/delete': { ...impact, deleting: true },
    });
    await expect(client.getDeletionImpact(ref)).resolves.toEqual(impact);
    await client.deleteObject({
      ...ref,
      namespace: undefined,
      confirm: 'orders-db',
    });
    const [deletion, [url, init]] = fetch.mock.calls as unknown as [
      [string],
      [string, RequestInit],
    ];
    expect(deletion[0]).toBe(
      'http://localhost:7007/api/crossplane/deletion?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
    );
    expect(url).toBe('http://localhost:7007/api/crossplane/delete');
    expect(JSON.parse(init.body as string)).toEqual({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      name: 'orders-db',
      confirm: 'orders-db',
      dryRun: false,
    });
  });

  it('posts the objects of a deletion to follow, without a cluster token', async () => {
    const progress = { items: [], deleting: false, heldBy: [] };
    const { client, fetch } = clientWith({ '/deletion/progress': progress });
    const managed = {
      cluster: 'east',
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Instance',
      name: 'orders-db-main',
    };
    await expect(
      client.getDeletionProgress([ref, { ...managed, namespace: undefined }]),
    ).resolves.toEqual(progress);
    const [[url, init]] = fetch.mock.calls as unknown as [
      [string, RequestInit],
    ];
    expect(url).toBe('http://localhost:7007/api/crossplane/deletion/progress');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({
      objects: [ref, managed],
    });
  });

  it('lists the revision lags and posts the objects to upgrade, in order', async () => {
    const lag = {
      object: ref,
      composition: 'pg',
      currentRevision: 'pg-1',
      latestRevision: 'pg-2',
    };
    const step = { object: ref, outcome: 'upgraded', from: 'pg-1', to: 'pg-2' };
    const { client, fetch } = clientWith({
      '/upgrades': { items: [lag] },
      '/upgrade': { steps: [step] },
    });
    await expect(
      client.getUpgrades({ cluster: ['east', 'west'] }),
    ).resolves.toEqual([lag]);
    await expect(
      client.upgrade({
        objects: [{ ...ref, extra: 'dropped' } as any, { ...ref, name: 'b' }],
      }),
    ).resolves.toEqual([step]);
    const [[listUrl], [url, init]] = fetch.mock.calls as unknown as [
      [string],
      [string, RequestInit],
    ];
    expect(listUrl).toBe(
      'http://localhost:7007/api/crossplane/upgrades?cluster=east&cluster=west',
    );
    expect(url).toBe('http://localhost:7007/api/crossplane/upgrade');
    expect(JSON.parse(init.body as string)).toEqual({
      objects: [ref, { ...ref, name: 'b' }],
      dryRun: false,
    });
  });

  it('reads the timeline of an object and a create preview', async () => {
    const entry = {
      time: '2026-12-05T10:00:00Z',
      source: 'audit',
      summary: 'paused',
    };
    const preview = { manifest: 'kind: X\n', validation: { ok: true } };
    const { client, fetch } = clientWith({
      '/timeline': { items: [entry] },
      '/create-preview': preview,
    });
    await expect(client.getTimeline(ref)).resolves.toEqual([entry]);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://localhost:7007/api/crossplane/timeline?cluster=east&apiVersion=database.example.org%2Fv1alpha1&kind=PostgreSQLInstance&namespace=team-a&name=orders-db',
    );
    const request = {
      cluster: 'east',
      xrd: 'xpostgresqlinstances.database.example.org',
      values: { name: 'a' },
    };
    await expect(client.previewCreate(request)).resolves.toEqual(preview);
    const [url, init] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect(url).toBe('http://localhost:7007/api/crossplane/create-preview');
    expect(JSON.parse(init.body as string)).toEqual(request);
  });

  it("reads an entity's roll-up and pages of the roll-ups per System or owner", async () => {
    const rollup = {
      entityRef: 'component:default/payments-api',
      health: { status: 'Degraded', message: 'pod x CrashLoopBackOff' },
      sources: [],
      computedAt: '2026-12-05T10:00:00Z',
    };
    const healthy = {
      ...rollup,
      entityRef: 'group:default/team-b',
      health: { status: 'Healthy' },
    };
    const page = {
      items: [rollup, healthy],
      page: { offset: 20, limit: 20, total: 22 },
    };
    const { client, fetch } = clientWith({
      '/rollup': rollup,
      '/rollups': page,
    });
    await expect(
      client.getRollup('component:default/payments-api'),
    ).resolves.toEqual(rollup);
    await expect(client.listRollups('owner')).resolves.toEqual(page);
    await client.listRollups('system', { offset: 20, limit: 20 });
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://localhost:7007/api/crossplane/rollup?entityRef=component%3Adefault%2Fpayments-api',
      'http://localhost:7007/api/crossplane/rollups?by=owner',
      'http://localhost:7007/api/crossplane/rollups?by=system&offset=20&limit=20',
    ]);
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
