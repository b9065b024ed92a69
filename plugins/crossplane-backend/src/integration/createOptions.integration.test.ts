/*
 * What generated forms offer to choose, on the local control plane
 * (itest, Crossplane v1) behind real auth and the real permission backend:
 * the namespaces where each user may create a claim, and the Compositions
 * of its XRD. Nothing is written to the cluster.
 *
 * Users (the test's permission policy): alice may use crossplane.* in
 * team-alpha only; bob everywhere; rita may read every object and create
 * nothing; mallory has no permission at all.
 */
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const CLUSTER = { name: 'itest', port: 6643 };
const XRD = 'xpostgresqlinstances.database.platformops.io';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const RITA = 'user:default/rita';
const MALLORY = 'user:default/mallory';

describe('create options on a live cluster', () => {
  let port: number;
  let stop: (() => Promise<void>) | undefined;
  const identity = createIdentityProvider();

  async function get(user: string, route: string, query: object) {
    const res = await fetch(
      `http://localhost:${port}/api/crossplane/create-options/${route}?${new URLSearchParams(
        query as Record<string, string>,
      )}`,
      { headers: { Authorization: `Bearer ${identity.userToken(user)}` } },
    );
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    const cp = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    });
    const started = await startPortalBackend({
      name: 'create-options',
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
    port = started.backend.server.port();
    await waitFor('the XRD to be served', async () => {
      const { status } = await get(ALICE, 'compositions', {
        cluster: CLUSTER.name,
        xrd: XRD,
      });
      return status === 200 || undefined;
    });
  });

  afterAll(async () => {
    await stop?.();
  });

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
