/*
 * What generated forms offer to choose, on the local control plane
 * (itest, Crossplane v1) behind real auth and the real permission backend:
 * the namespaces where each user may create a claim, and the Compositions
 * of its XRD. Nothing is written to the cluster.
 *
 * Users (the test's permission policy): alice may use crossplane.* in
 * team-alpha only; bob everywhere; rita may read every object and create
 * nothing; mallory has no permission at all.
 *
 * The same on Crossplane v2 (itest3): a namespaced XR is created in a
 * namespace like a claim, a cluster-scoped one in none.
 */
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import {
  connectControlPlane,
  ControlPlaneInstance,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import {
  portalClient,
  PortalClient,
  queryOf,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

const CLUSTER = ITEST;
const XRD = 'xpostgresqlinstances.database.platformops.io';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const RITA = 'user:default/rita';
const MALLORY = 'user:default/mallory';

/**
 * A backend on the instance for the tests of a describe block, and the
 * create options as users ask for them.
 */
function pickersOn(instance: ControlPlaneInstance, xrd: string) {
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  const identity = createIdentityProvider();

  async function get(user: string, route: string, query: object) {
    const { status, body } = await api.get(
      user,
      `crossplane/create-options/${route}?${queryOf(
        query as Record<string, unknown>,
      )}`,
    );
    return { status, body };
  }

  beforeAll(async () => {
    const cp = connectControlPlane(instance);
    const started = await startPortalBackend({
      name: `create-options-${instance.name}`,
      // The admin's token: what is under test is PlatformOps' own checks.
      cluster: { ...cp.backstageCluster, serviceAccountToken: cp.adminToken },
      entities: [],
      policy: teamNamespacePolicy({
        moduleId: 'create-options-policy',
        namespaces: {
          [ALICE]: ['team-alpha'],
          // Everywhere: what bob is not offered, the namespace policy denies.
          [BOB]: [
            'team-alpha',
            'team-beta',
            'default',
            'kube-system',
            'crossplane-system',
          ],
        },
        readers: [RITA],
        refused: [MALLORY],
      }),
      identity,
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await waitFor('the XRD to be served', async () => {
      const { status } = await get(ALICE, 'compositions', {
        cluster: instance.name,
        xrd,
      });
      return status === 200 || undefined;
    });
  });

  afterAll(async () => {
    await stop?.();
  });

  return get;
}

describe('create options on a live cluster', () => {
  const get = pickersOn(CLUSTER, XRD);

  it('offers alice the namespace of her team only', async () => {
    const { status, body } = await get(ALICE, 'namespaces', {
      cluster: CLUSTER.name,
      xrd: XRD,
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      cluster: CLUSTER.name,
      xrd: XRD,
      kind: 'PostgreSQLInstance',
      namespaced: true,
      items: ['team-alpha'],
    });
  });

  it('never offers a namespace the namespace policy denies, even where the permission allows it', async () => {
    const { body } = await get(BOB, 'namespaces', {
      cluster: CLUSTER.name,
      xrd: XRD,
    });
    expect(body.items).toEqual(['team-alpha', 'team-beta']);
  });

  it('offers a reader nothing, and a user without permissions is refused', async () => {
    const reader = await get(RITA, 'namespaces', {
      cluster: CLUSTER.name,
      xrd: XRD,
    });
    expect(reader).toMatchObject({ status: 200, body: { items: [] } });
    const refused = await get(MALLORY, 'namespaces', {
      cluster: CLUSTER.name,
      xrd: XRD,
    });
    expect(refused.status).toBe(403);
  });

  it("offers the XRD's Compositions, the default marked", async () => {
    const { status, body } = await get(RITA, 'compositions', {
      cluster: CLUSTER.name,
      xrd: XRD,
    });
    expect(status).toBe(200);
    const names = body.items.map((c: { name: string }) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'xpostgresqlinstances.nop.database.platformops.io',
        'xpostgresqlinstances.nop-quota-exceeded.database.platformops.io',
      ]),
    );
    expect(names.some((n: string) => n.startsWith('xkubernetesclusters'))).toBe(
      false,
    );
    expect(body.items.find((c: { default: boolean }) => c.default)?.name).toBe(
      'xpostgresqlinstances.nop.database.platformops.io',
    );
  });

  it('answers bad input with a 400 naming the field', async () => {
    const missing = await get(ALICE, 'namespaces', { cluster: CLUSTER.name });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^xrd: /);
    const bad = await get(ALICE, 'compositions', {
      cluster: CLUSTER.name,
      xrd: 'Not An XRD',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^xrd: /);
  });
});

describe('create options on Crossplane v2 (itest3)', () => {
  const V2_XRD = 'appdatabases.apps.platformops.io';
  const get = pickersOn(ITEST3, V2_XRD);

  it("offers alice her team's namespace for a namespaced XR, and bob no namespace the policy denies", async () => {
    const alice = await get(ALICE, 'namespaces', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
    });
    expect(alice).toEqual({
      status: 200,
      body: {
        cluster: ITEST3.name,
        xrd: V2_XRD,
        kind: 'AppDatabase',
        namespaced: true,
        items: ['team-alpha'],
      },
    });
    const bob = await get(BOB, 'namespaces', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
    });
    expect(bob.body.items).toEqual(['team-alpha', 'team-beta']);
    const reader = await get(RITA, 'namespaces', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
    });
    expect(reader).toMatchObject({ status: 200, body: { items: [] } });
    const refused = await get(MALLORY, 'namespaces', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
    });
    expect(refused.status).toBe(403);
  });

  it("offers no namespace for a cluster-scoped XR, and the claim's for a LegacyCluster XRD", async () => {
    const shared = await get(ALICE, 'namespaces', {
      cluster: ITEST3.name,
      xrd: 'sharednetworks.network.platformops.io',
    });
    expect(shared).toEqual({
      status: 200,
      body: {
        cluster: ITEST3.name,
        xrd: 'sharednetworks.network.platformops.io',
        kind: 'SharedNetwork',
        namespaced: false,
        items: [],
      },
    });
    const legacy = await get(ALICE, 'namespaces', {
      cluster: ITEST3.name,
      xrd: 'xcacheclusters.cache.platformops.io',
    });
    expect(legacy.body).toMatchObject({
      kind: 'CacheCluster',
      namespaced: true,
      items: ['team-alpha'],
    });
  });

  it("offers the namespaced XRD's Compositions, the default marked", async () => {
    const { status, body } = await get(RITA, 'compositions', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
    });
    expect(status).toBe(200);
    const names = body.items.map((c: { name: string }) => c.name);
    expect(names).toContain('appdatabases.nop.apps.platformops.io');
    expect(names.some((n: string) => n.startsWith('sharednetworks'))).toBe(
      false,
    );
    expect(body.items.find((c: { default: boolean }) => c.default)?.name).toBe(
      'appdatabases.nop.apps.platformops.io',
    );
  });
});
