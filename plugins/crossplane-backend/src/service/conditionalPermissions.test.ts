import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  CROSSPLANE_RESOURCE_TYPE,
  crossplaneReadPermission,
} from '@platformops/plugin-crossplane-common';
import {
  crossplaneClustersServiceRef,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import request from 'supertest';
import { demoCluster } from '../__fixtures__/demoCluster';
import { crossplanePlugin } from '../plugin';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
} from './permissionRules';
import { createIdentityProvider } from '../__testUtils__/identityProvider';

type Decide = (permission: Permission) => PolicyDecision;

const onlyTeamAlpha: Decide = permission =>
  isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE)
    ? createCrossplaneConditionalDecision(
        permission,
        crossplaneConditions.isInNamespace({ namespaces: ['team-alpha'] }),
      )
    : { result: AuthorizeResult.ALLOW };

const allowAll: Decide = () => ({ result: AuthorizeResult.ALLOW });

const denyObjects: Decide = permission => ({
  result: isResourcePermission(permission)
    ? AuthorizeResult.DENY
    : AuthorizeResult.ALLOW,
});

/**
 * The crossplane plugin behind the real permission backend, permissions
 * client, permissions registry and auth services; only the policy is the
 * test's.
 */
async function startBackend(decide: Decide) {
  const identity = createIdentityProvider();
  const handled: string[] = [];
  const policyModule = createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy }) {
          policy.setPolicy({
            async handle({ permission }) {
              handled.push(permission.name);
              return decide(permission);
            },
          });
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      crossplanePlugin,
      permissionPlugin,
      policyModule,
      identity.plugin,
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          // The auth services keep their signing keys in the database.
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        },
      }),
      createServiceFactory({
        service: crossplaneClustersServiceRef,
        deps: {},
        factory: () =>
          new StaticCrossplaneClusters([
            new InMemoryClusterClient('east', demoCluster),
          ]),
      }),
    ],
  });
  const token = identity.userToken('user:default/alice');
  const get = (path: string) =>
    request(server)
      .get(`/api/crossplane${path}`)
      .set('Authorization', `Bearer ${token}`);
  await waitFor(
    'the cache of cluster east to sync',
    async () => (await get('/clusters')).body.items?.[0]?.synced || undefined,
    10_000,
  );
  return { get, handled };
}

const claim = (namespace: string, name: string) =>
  `cluster=east&apiVersion=database.example.org/v1alpha1&kind=PostgreSQLInstance&namespace=${namespace}&name=${name}`;

const names = (res: request.Response) =>
  res.body.resources.map((r: { name: string }) => r.name);

describe('conditional permission decisions through the permission backend', () => {
  it('GET /summary lists only the objects the conditions allow, from one decision', async () => {
    const { get, handled } = await startBackend(onlyTeamAlpha);
    handled.length = 0;
    const res = await get('/summary');
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['orders-db']);
    expect(res.body.totals).toMatchObject({ Healthy: 1, Degraded: 0 });
    expect(res.body.byCluster).toEqual([
      { cluster: 'east', counts: expect.objectContaining({ Healthy: 1 }) },
    ]);
    // The hidden claim's namespace and owner are not offered as filters.
    expect(res.body.filters.namespaces).toEqual(['team-alpha']);
    expect(res.body.filters.owners).toEqual(['group:default/team-alpha']);
    // One decision for the whole list, not one per object.
    expect(
      handled.filter(name => name === crossplaneReadPermission.name),
    ).toHaveLength(1);
  });

  it('GET /tree applies the conditions to the one object: team-alpha 200, team-beta 403', async () => {
    const { get } = await startBackend(onlyTeamAlpha);
    const alpha = await get(`/tree?${claim('team-alpha', 'orders-db')}`);
    expect(alpha.status).toBe(200);
    expect(alpha.body.root.ref).toMatchObject({ name: 'orders-db' });
    const beta = await get(`/tree?${claim('team-beta', 'billing-db')}`);
    expect(beta.status).toBe(403);
    expect(beta.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `${crossplaneReadPermission.name}: not allowed for PostgreSQLInstance.database.example.org team-beta/billing-db`,
      ),
    });
  });

  it('judges cluster-scoped composites and managed resources by the claim that owns them', async () => {
    const { get } = await startBackend(onlyTeamAlpha);
    const object = (
      kind: string,
      name: string,
      group = 'database.example.org',
    ) => `cluster=east&apiVersion=${group}/v1alpha1&kind=${kind}&name=${name}`;
    const own = await get(
      `/tree?${object('XPostgreSQLInstance', 'orders-db-abc12')}`,
    );
    expect(own.status).toBe(200);
    for (const path of [
      `/tree?${object('XPostgreSQLInstance', 'billing-db-def34')}`,
      `/yaml?${object('XPostgreSQLInstance', 'billing-db-def34')}`,
      `/events?${object('XPostgreSQLInstance', 'billing-db-def34')}`,
      `/tree?${object(
        'NopResource',
        'billing-db-def34-server',
        'nop.crossplane.io',
      )}`,
      // A namespace the caller may read does not make team-beta's composite theirs.
      `/yaml?${object(
        'XPostgreSQLInstance',
        'billing-db-def34',
      )}&namespace=team-alpha`,
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body).not.toHaveProperty('root');
      expect(res.body).not.toHaveProperty('yaml');
      expect(res.body).not.toHaveProperty('items');
    }
  });

  it('GET /clusters counts objects only for callers who may read them all', async () => {
    const team = await startBackend(onlyTeamAlpha);
    const limited = await team.get('/clusters');
    expect(limited.status).toBe(200);
    expect(limited.body.items[0].objectCount).toBeUndefined();
    const all = await startBackend(allowAll);
    const full = await all.get('/clusters');
    expect(full.body.items[0].objectCount).toBeGreaterThan(0);
  });

  it('GET /summary lists every object when the decision is ALLOW', async () => {
    const { get } = await startBackend(allowAll);
    const res = await get('/summary');
    expect(names(res)).toEqual(['billing-db', 'orders-db']);
    expect(res.body.filters.namespaces).toEqual(['team-alpha', 'team-beta']);
  });

  it('GET /summary never gives a conditional caller the answer shared by callers allowed everything', async () => {
    let decision = allowAll;
    const { get } = await startBackend(permission => decision(permission));
    expect(names(await get('/summary'))).toEqual(['billing-db', 'orders-db']);
    decision = onlyTeamAlpha;
    const res = await get('/summary');
    expect(names(res)).toEqual(['orders-db']);
    expect(res.body.filters.namespaces).toEqual(['team-alpha']);
    decision = allowAll;
    expect(names(await get('/summary'))).toEqual(['billing-db', 'orders-db']);
  });

  it('GET /summary lists nothing when the decision is DENY', async () => {
    const { get } = await startBackend(denyObjects);
    const res = await get('/summary');
    expect(res.status).toBe(200);
    expect(names(res)).toEqual([]);
    expect(res.body.totals).toMatchObject({ Healthy: 0, Degraded: 0 });
    expect(res.body.filters.namespaces).toEqual([]);
    expect(res.body.filters.clusters).toEqual(['east']);
    const tree = await get(`/tree?${claim('team-alpha', 'orders-db')}`);
    expect(tree.status).toBe(403);
  });
});
