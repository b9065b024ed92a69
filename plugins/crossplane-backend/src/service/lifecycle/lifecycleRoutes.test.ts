import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
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
import request from 'supertest';
import { demoCluster } from '../../__fixtures__/demoCluster';
import { crossplanePlugin } from '../../plugin';

jest.setTimeout(30_000);

const orders = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
};
const ordersLocator = {
  apiVersion: orders.apiVersion,
  kind: orders.kind,
  namespace: orders.namespace,
  name: orders.name,
};

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  objects = demoCluster,
) {
  const client = new InMemoryClusterClient('east', objects);
  const events: Array<{ eventId: string; meta: unknown; outcome?: string }> =
    [];
  const backend = await startTestBackend({
    features: [
      crossplanePlugin,
      mockServices.permissions.factory({ result }),
      createServiceFactory({
        service: crossplaneClustersServiceRef,
        deps: {},
        factory: () => new StaticCrossplaneClusters([client]),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent({ eventId, meta }) {
            const event: (typeof events)[number] = { eventId, meta };
            events.push(event);
            return {
              async success() {
                event.outcome = 'succeeded';
              },
              async fail({ error }) {
                event.outcome = `failed: ${error.message}`;
              },
            };
          },
        }),
      }),
    ],
  });
  // The cache fills asynchronously after start.
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await request(backend.server)
      .get(`/api/crossplane/tree?${new URLSearchParams(orders)}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status === 200) break;
    await new Promise(r => setTimeout(r, 50));
  }
  return Object.assign(backend, { client, events });
}

function post(
  server: Awaited<ReturnType<typeof startBackend>>['server'],
  path: string,
  body: object,
) {
  return request(server)
    .post(`/api/crossplane/${path}`)
    .set('Authorization', mockCredentials.user.header())
    .send(body);
}

describe('lifecycle routes', () => {
  it('pauses and resumes a claim with one annotation, audited', async () => {
    const { server, client, events } = await startBackend();
    const paused = await post(server, 'pause', orders);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ operation: 'pause', paused: true });
    expect((await client.get(ordersLocator))?.metadata.annotations).toEqual({
      'crossplane.io/paused': 'true',
    });
    expect(client.requests.filter(r => r.startsWith('patch'))).toEqual([
      'patch PostgreSQLInstance team-alpha/orders-db {"crossplane.io/paused":"true"}',
    ]);

    const resumed = await post(server, 'resume', orders);
    expect(resumed.body).toMatchObject({ operation: 'resume', paused: false });
    expect((await client.get(ordersLocator))?.metadata.annotations).toEqual({});
    expect(events).toEqual([
      {
        eventId: 'pause',
        meta: {
          action: 'pause',
          object:
            'PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
          objectKey:
            'east|database.example.org|PostgreSQLInstance|team-alpha|orders-db',
          actor: 'user:default/mock',
          dryRun: false,
        },
        outcome: 'succeeded',
      },
      expect.objectContaining({ eventId: 'resume', outcome: 'succeeded' }),
    ]);
  });

  it('changes nothing in a dry run', async () => {
    const { server, client } = await startBackend();
    const res = await post(server, 'pause', { ...orders, dryRun: true });
    expect(res.body).toMatchObject({ dryRun: true, paused: true });
    expect(
      (await client.get(ordersLocator))?.metadata.annotations,
    ).toBeUndefined();
  });

  it('reconciles the claim and what it composes', async () => {
    const { server, client } = await startBackend();
    const res = await post(server, 'reconcile', { ...orders, waitSeconds: 0 });
    expect(res.status).toBe(200);
    expect(res.body.objects.map((o: { kind: string }) => o.kind)).toEqual([
      'PostgreSQLInstance',
      'XPostgreSQLInstance',
      'NopResource',
    ]);
    expect(res.body.reconcile).toMatchObject({
      observed: false,
      conditions: [
        expect.objectContaining({ type: 'Synced' }),
        expect.objectContaining({ type: 'Ready' }),
      ],
    });
    const stored = await client.get(ordersLocator);
    expect(
      stored?.metadata.annotations?.['platformops.io/reconcile-requested-at'],
    ).toBe(res.body.requestedAt);
  });

  it('refuses without the permission, audited, and writes nothing', async () => {
    const { server, client, events } = await startBackend(AuthorizeResult.DENY);
    const res = await post(server, 'pause', orders);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'crossplane.resource.pause: not allowed for PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    expect(client.requests.filter(r => r.startsWith('patch'))).toEqual([]);
    expect(events[0].outcome).toMatch(/^failed: crossplane.resource.pause/);
  });

  it.each([
    [{ ...orders, name: 'Orders' }, 400, 'name:'],
    [{ ...orders, cluster: undefined }, 400, 'cluster:'],
    [{ ...orders, dryRun: 'yes' }, 400, 'dryRun: must be true or false'],
    [{ ...orders, waitSeconds: 3600 }, 400, 'waitSeconds'],
    [{ ...orders, name: 'missing-db' }, 404, 'not found'],
    [
      {
        cluster: 'east',
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'team-beta',
        name: 'billing-db-conn',
      },
      404,
      'not found',
    ],
  ])('answers %j with %i', async (body, status, message) => {
    const { server, client } = await startBackend();
    const res = await post(server, 'pause', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
    expect(client.requests.filter(r => r.startsWith('patch'))).toEqual([]);
  });

  it('GET /capabilities says what the caller may do', async () => {
    const allowed = await startBackend();
    const res = await request(allowed.server)
      .get(`/api/crossplane/capabilities?${new URLSearchParams(orders)}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.body).toEqual({
      pause: { allowed: true },
      resume: { allowed: false, reason: 'not paused' },
      reconcile: { allowed: true },
      edit: { allowed: true },
      delete: { allowed: true },
      upgrade: { allowed: true },
    });

    const denied = await startBackend(AuthorizeResult.DENY);
    const refused = await request(denied.server)
      .get(`/api/crossplane/capabilities?${new URLSearchParams(orders)}`)
      .set('Authorization', mockCredentials.user.header());
    expect(refused.body.pause).toEqual({
      allowed: false,
      reason:
        'your permissions do not allow crossplane.resource.pause on this object',
    });
    expect(refused.body.edit).toEqual({
      allowed: false,
      reason:
        'your permissions do not allow crossplane.resource.update on this object',
    });
  });

  it('GET /capabilities says what only the route would have said: Git, not a root, a managed resource', async () => {
    const gitOpsCluster = demoCluster.map(object =>
      object.metadata.name === orders.name
        ? {
            ...object,
            metadata: {
              ...object.metadata,
              labels: { 'argocd.argoproj.io/instance': 'orders' },
            },
          }
        : object,
    );
    const { server } = await startBackend(AuthorizeResult.ALLOW, gitOpsCluster);
    const capabilities = async (query: Record<string, string>) =>
      (
        await request(server)
          .get(`/api/crossplane/capabilities?${new URLSearchParams(query)}`)
          .set('Authorization', mockCredentials.user.header())
      ).body;

    const claim = await capabilities(orders);
    expect(claim.edit).toEqual({
      allowed: false,
      reason: 'delivered by Argo CD application orders: change it in Git',
    });
    expect(claim.delete).toEqual(claim.edit);
    expect(claim.pause).toEqual({ allowed: true });

    const composite = await capabilities({
      cluster: 'east',
      apiVersion: orders.apiVersion,
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-abc12',
    });
    expect(composite.delete).toEqual({
      allowed: false,
      reason:
        'belongs to the claim PostgreSQLInstance team-alpha/orders-db: delete the claim instead',
    });

    const managed = await capabilities({
      cluster: 'east',
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      name: 'orders-db-abc12-server',
    });
    expect(managed.edit).toEqual({
      allowed: false,
      reason: 'a managed resource: edit its claim or composite resource',
    });
    expect(managed.delete.allowed).toBe(false);
    expect(managed.delete.reason).toMatch(
      /^is composed by XPostgreSQLInstance orders-db-abc12/,
    );
    expect(managed.reconcile).toEqual({ allowed: true });
  });
});
