import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  crossplaneClustersServiceRef,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
import { objectEntityName } from '@platformops/plugin-crossplane-common';
import request from 'supertest';
import { demoCluster } from '../__fixtures__/demoCluster';
import { crossplanePlugin } from '../plugin';

// The first backend start of the file loads every module: slow on a busy machine.
jest.setTimeout(30_000);

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  config: object = {},
) {
  const client = new InMemoryClusterClient('east', demoCluster);
  const backend = await startTestBackend({
    features: [
      crossplanePlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result }),
      createServiceFactory({
        service: crossplaneClustersServiceRef,
        deps: {},
        factory: () => new StaticCrossplaneClusters([client]),
      }),
    ],
  });
  return Object.assign(backend, { client });
}

async function get(
  server: Awaited<ReturnType<typeof startBackend>>['server'],
  path: string,
) {
  // The cache fills asynchronously after start; the first answer may be empty.
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200 || JSON.stringify(res.body).length > 200) return res;
    await new Promise(r => setTimeout(r, 50));
  }
  return request(server)
    .get(path)
    .set('Authorization', mockCredentials.user.header());
}

const billing =
  'cluster=east&apiVersion=database.example.org/v1alpha1&kind=PostgreSQLInstance&namespace=team-beta&name=billing-db';

describe('crossplane-backend routes', () => {
  it('GET /clusters reports the in-sync cluster with its version', async () => {
    const { server } = await startBackend();
    const res = await get(server, '/api/crossplane/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        name: 'east',
        reachable: true,
        kubernetesVersion: 'v1.34.4',
      }),
    ]);
  });

  it('GET /clusters answers page refreshes without asking the cluster again', async () => {
    const { server, client } = await startBackend();
    const version = jest.spyOn(client, 'version');
    for (let i = 0; i < 3; i++) {
      const res = await request(server)
        .get('/api/crossplane/clusters')
        .set('Authorization', mockCredentials.user.header());
      expect(res.body.items[0].kubernetesVersion).toBe('v1.34.4');
    }
    expect(version).toHaveBeenCalledTimes(1);
  });

  it('GET /summary lists the failing claim first with its culprit, entity refs and filter options', async () => {
    const { server } = await startBackend();
    const res = await get(server, '/api/crossplane/summary');
    expect(res.status).toBe(200);
    expect(res.body.resources.map((r: { name: string }) => r.name)).toEqual([
      'billing-db',
      'orders-db',
    ]);
    const [failing] = res.body.resources;
    expect(failing).toMatchObject({
      cluster: 'east',
      kind: 'PostgreSQLInstance',
      namespace: 'team-beta',
      objectClass: 'claim',
      xrd: 'xpostgresqlinstances.database.example.org',
      owner: 'group:default/team-beta',
      entityRef: `component:default/${objectEntityName({
        cluster: 'east',
        group: 'database.example.org',
        kind: 'PostgreSQLInstance',
        namespace: 'team-beta',
        name: 'billing-db',
      })}`,
      rolledUpHealth: { status: 'Degraded' },
      culprit: {
        ref: { kind: 'NopResource', name: 'billing-db-def34-server' },
      },
    });
    expect(failing.rolledUpHealth.message).toContain('quota exceeded');
    expect(res.body.totals).toMatchObject({ Healthy: 1, Degraded: 1 });
    expect(res.body.filters).toEqual({
      clusters: ['east'],
      xrds: ['xpostgresqlinstances.database.example.org'],
      owners: ['group:default/team-alpha', 'group:default/team-beta'],
      namespaces: ['team-alpha', 'team-beta'],
    });
  });

  it('GET /summary filters by owner and namespace', async () => {
    const { server } = await startBackend();
    await get(server, '/api/crossplane/summary');
    const res = await get(
      server,
      '/api/crossplane/summary?namespace=team-alpha&owner=group:default/team-alpha',
    );
    expect(res.body.resources.map((r: { name: string }) => r.name)).toEqual([
      'orders-db',
    ]);
  });

  it('GET /summary pages the sorted list; counts cover every resource', async () => {
    const { server } = await startBackend();
    await get(server, '/api/crossplane/summary');
    const names = (res: request.Response) =>
      res.body.resources.map((r: { name: string }) => r.name);

    const first = await get(server, '/api/crossplane/summary?limit=1');
    expect(names(first)).toEqual(['billing-db']);
    expect(first.body.page).toEqual({ offset: 0, limit: 1, total: 2 });
    expect(first.body.totals).toMatchObject({ Healthy: 1, Degraded: 1 });
    expect(first.body.filters.namespaces).toEqual(['team-alpha', 'team-beta']);

    const second = await get(
      server,
      '/api/crossplane/summary?limit=1&offset=1',
    );
    expect(names(second)).toEqual(['orders-db']);
    expect(second.body.page).toEqual({ offset: 1, limit: 1, total: 2 });

    // The health filter narrows the list, not the counts.
    const healthy = await get(server, '/api/crossplane/summary?health=Healthy');
    expect(names(healthy)).toEqual(['orders-db']);
    expect(healthy.body.page.total).toBe(1);
    expect(healthy.body.totals).toMatchObject({ Healthy: 1, Degraded: 1 });
  });

  it('GET /summary answers a repeated request with the cluster as it is now', async () => {
    const { server, client } = await startBackend();
    const names = (res: request.Response) =>
      res.body.resources.map((r: { name: string }) => r.name);
    await get(server, '/api/crossplane/summary');
    const before = await get(server, '/api/crossplane/summary?limit=50');
    expect(names(before)).toEqual(['billing-db', 'orders-db']);

    const ordersDb = demoCluster.find(
      o => o.kind === 'PostgreSQLInstance' && o.metadata.name === 'orders-db',
    )!;
    client.put({
      ...ordersDb,
      metadata: { ...ordersDb.metadata, name: 'cache-db', uid: 'cache-db' },
    });
    let after = before;
    for (let i = 0; i < 100 && names(after).length < 3; i++) {
      await new Promise(r => setTimeout(r, 20));
      after = await get(server, '/api/crossplane/summary?limit=50');
    }
    expect(names(after)).toEqual(['billing-db', 'cache-db', 'orders-db']);
    expect(after.body.page.total).toBe(3);
    expect(Date.parse(after.body.generatedAt)).toBeGreaterThanOrEqual(
      Date.parse(before.body.generatedAt),
    );

    client.remove({
      apiVersion: ordersDb.apiVersion,
      kind: ordersDb.kind,
      namespace: ordersDb.metadata.namespace,
      name: 'cache-db',
    });
    let gone = after;
    for (let i = 0; i < 100 && names(gone).length > 2; i++) {
      await new Promise(r => setTimeout(r, 20));
      gone = await get(server, '/api/crossplane/summary?limit=50');
    }
    expect(names(gone)).toEqual(['billing-db', 'orders-db']);
  });

  it('GET /summary sends a page gzipped to a client that takes it, as text to one that does not', async () => {
    const { server } = await startBackend();
    // supertest asks for gzip and unzips, checking the gzip checksum.
    const zipped = await get(server, '/api/crossplane/summary?limit=50');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    const plain = await request(server)
      .get('/api/crossplane/summary?limit=50')
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const { generatedAt, ...rest } = plain.body;
    expect(Date.parse(generatedAt)).toBeGreaterThanOrEqual(
      Date.parse(zipped.body.generatedAt),
    );
    expect({ ...zipped.body, generatedAt: undefined }).toEqual({
      ...rest,
      generatedAt: undefined,
    });
    expect(rest.resources.length).toBeGreaterThan(0);
    // A page of every row is not kept compressed: sent as text here, where
    // no compression runs in the server.
    const whole = await get(server, '/api/crossplane/summary');
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect(whole.body.resources).toEqual(rest.resources);
  });

  it('GET /summary names a bad page or health parameter', async () => {
    const { server } = await startBackend();
    for (const [query, message] of [
      ['limit=0', 'limit: Too small'],
      ['limit=5001', 'limit: Too big'],
      ['offset=-1', 'offset: Too small'],
      ['limit=ten', 'limit: '],
      ['health=Broken', 'health: '],
    ]) {
      const res = await get(server, `/api/crossplane/summary?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
  });

  it('GET /tree gives claim -> composite -> managed resource with the culprit path', async () => {
    const { server } = await startBackend();
    const res = await get(server, `/api/crossplane/tree?${billing}`);
    expect(res.status).toBe(200);
    const { root } = res.body;
    expect(root.ref).toMatchObject({
      kind: 'PostgreSQLInstance',
      name: 'billing-db',
    });
    expect(root.children[0].ref.kind).toBe('XPostgreSQLInstance');
    expect(root.children[0].children[0]).toMatchObject({
      ref: { kind: 'NopResource', name: 'billing-db-def34-server' },
      health: { status: 'Degraded' },
      entityRef: `resource:default/${objectEntityName({
        cluster: 'east',
        group: 'nop.crossplane.io',
        kind: 'NopResource',
        name: 'billing-db-def34-server',
      })}`,
    });
    expect(root.culpritPath.map((r: { kind: string }) => r.kind)).toEqual([
      'PostgreSQLInstance',
      'XPostgreSQLInstance',
      'NopResource',
    ]);
  });

  it("links only to entities the catalog emits, by the catalog module's filters", async () => {
    const { server } = await startBackend(AuthorizeResult.ALLOW, {
      catalog: {
        providers: {
          crossplane: { namespaces: ['team-alpha'], managedResources: false },
        },
      },
    });
    const beta = await get(server, `/api/crossplane/tree?${billing}`);
    expect(beta.status).toBe(200);
    expect(beta.body.root.entityRef).toBeUndefined();
    const alpha = await get(
      server,
      `/api/crossplane/tree?${billing
        .replace('team-beta', 'team-alpha')
        .replace('billing-db', 'orders-db')}`,
    );
    expect(alpha.body.root.entityRef).toBe(
      `component:default/${objectEntityName({
        cluster: 'east',
        group: 'database.example.org',
        kind: 'PostgreSQLInstance',
        namespace: 'team-alpha',
        name: 'orders-db',
      })}`,
    );
    // The composite is ingested (cluster-scoped: no namespace to filter),
    // its managed resource is not.
    const [composite] = alpha.body.root.children;
    expect(composite.entityRef).toMatch(/^component:default\//);
    expect(composite.children[0].ref.kind).toBe('NopResource');
    expect(composite.children[0].entityRef).toBeUndefined();
    const summary = await get(server, '/api/crossplane/summary');
    const rows = Object.fromEntries(
      summary.body.resources.map((r: { name: string; entityRef?: string }) => [
        r.name,
        r.entityRef,
      ]),
    );
    expect(rows['billing-db']).toBeUndefined();
    expect(rows['orders-db']).toBe(alpha.body.root.entityRef);
  });

  it('GET /events gives the events of the whole tree, newest first', async () => {
    const { server } = await startBackend();
    await get(server, `/api/crossplane/tree?${billing}`);
    const res = await get(server, `/api/crossplane/events?${billing}`);
    expect(res.body.items.map((e: { reason: string }) => e.reason)).toEqual([
      'CannotObserveExternalResource',
      'ConfigureCompositeResource',
    ]);
    const own = await get(
      server,
      `/api/crossplane/events?${billing}&tree=false`,
    );
    expect(own.body.items.map((e: { reason: string }) => e.reason)).toEqual([
      'ConfigureCompositeResource',
    ]);
  });

  it('GET /yaml gives the object without secret values', async () => {
    const { server, client } = await startBackend();
    const claim = demoCluster.find(o => o.metadata.name === 'billing-db')!;
    client.put({
      ...claim,
      spec: { ...claim.spec, parameters: { password: 'canary-s3cret' } },
    });
    const res = await get(server, `/api/crossplane/yaml?${billing}`);
    expect(res.status).toBe(200);
    expect(res.body.yaml).toContain('name: billing-db');
    expect(res.body.yaml).not.toContain('canary-s3cret');
  });

  it('GET /yaml serves only the objects the status backend follows, never a Secret', async () => {
    const { server } = await startBackend();
    await get(server, `/api/crossplane/tree?${billing}`);
    const res = await get(
      server,
      '/api/crossplane/yaml?cluster=east&apiVersion=v1&kind=Secret&namespace=team-beta&name=billing-db-conn',
    );
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('c3VwZXItc2VjcmV0');
  });

  it('finds objects by their exact names only', async () => {
    const { server } = await startBackend();
    await get(server, `/api/crossplane/tree?${billing}`);
    for (const [field, value] of [
      ['namespace', 'TEAM-BETA'],
      ['name', 'BILLING-DB'],
      ['kind', 'postgresqlinstance'],
    ]) {
      const query = new URLSearchParams(billing);
      query.set(field, value);
      const res = await get(server, `/api/crossplane/yaml?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    }
    // The composite is cluster-scoped: a namespace does not find it.
    const composite = await get(
      server,
      '/api/crossplane/tree?cluster=east&apiVersion=database.example.org/v1alpha1&kind=XPostgreSQLInstance&namespace=team-alpha&name=billing-db-def34',
    );
    expect(composite.status).toBe(404);
  });

  it('names every missing or bad query field', async () => {
    const { server } = await startBackend();
    const res = await get(
      server,
      '/api/crossplane/tree?cluster=east&kind=PostgreSQLInstance',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'apiVersion: is required; name: is required',
    );
    const unknown = await get(
      server,
      `/api/crossplane/tree?${billing.replace('east', 'west')}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no cluster named "west"');
  });

  it.each([
    '/clusters',
    '/summary',
    `/tree?${billing}`,
    `/events?${billing}`,
    `/yaml?${billing}`,
  ])('GET %s answers 403 when the permission is denied', async path => {
    const { server } = await startBackend(AuthorizeResult.DENY);
    const res = await request(server)
      .get(`/api/crossplane${path}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
  });
});
