/*
 * Following a deletion after its root is gone, on the local control plane
 * itest (Crossplane v1: a claim, its cluster-scoped composite and
 * NopResources), through the real backend, auth and permission backend
 * and the portal's least-privilege cluster identity.
 *
 * alice (team-alpha) deletes her claim; one of its NopResources carries a
 * finalizer the test holds, so it stays after the claim and composite are
 * gone. carol reads every Crossplane object (a platform operator) and
 * follows the deletion; bob (team-beta) may read nothing of team-alpha's.
 * The test's objects are named `dprog-`, and removed at the end.
 */
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { waitForReady } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { BUCKET, bucketClaim } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(600_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

const CLAIM = { ...BUCKET, namespace: 'team-alpha', name: 'dprog-bucket' };
/** The finalizer that holds one composed resource after the claim is gone. */
const HOLD = 'platformops.io/dprog-hold';
const HOLD_MANAGER = 'dprog-hold';

type Locator = {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};
type ProgressItem = {
  object: Locator;
  gone: boolean;
  item?: {
    objectClass: string;
    fate?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
};

describe('Progress of a deletion after its root is gone, on a real control plane', () => {
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const identity = createIdentityProvider();
  /** The impact's objects under the claim, as the dialog follows them. */
  let followed: Locator[];
  /** The NopResource the test holds. */
  let held: Locator;

  const progress = (user: string, objects: unknown) =>
    api.post(user, 'crossplane/deletion/progress', { objects });

  /** Sets (or clears) the test's finalizer on the held object, if it is there. */
  async function hold(on: boolean) {
    const object = await admin.get(held);
    if (!object) return;
    await admin.apply(
      {
        apiVersion: held.apiVersion,
        kind: held.kind,
        // The uid makes the apply a change of this object, never a create.
        metadata: {
          name: held.name,
          uid: object.metadata.uid,
          finalizers: on ? [HOLD] : [],
        },
      } as KubernetesObject,
      { fieldManager: HOLD_MANAGER, force: true },
    );
  }

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST);
    admin = cp.admin;
    await admin.apply(bucketClaim(CLAIM), {
      fieldManager: 'dprog-test',
      force: true,
    });
    await waitForReady(admin, CLAIM, 240_000);

    ({ stop } = await startPortalBackend({
      name: 'deletion-progress',
      cluster: cp.backstageCluster,
      entities: teamOrg({
        alice: ['team-alpha'],
        bob: ['team-beta'],
        carol: ['platform'],
      }),
      policy: teamNamespacePolicy({
        moduleId: 'deletion-progress-policy',
        namespaces: { [ALICE]: ['team-alpha'], [BOB]: ['team-beta'] },
        readers: [CAROL],
      }),
      identity,
    }).then(started => {
      api = portalClient({
        port: started.backend.server.port(),
        identity,
      });
      return started;
    }));
    await api.waitForSync(CAROL);

    // What the dialog shows before the delete: the claim, then its tree.
    const impact = await api.get(
      ALICE,
      `crossplane/deletion?${new URLSearchParams({
        cluster: ITEST.name,
        ...CLAIM,
      })}`,
    );
    if (impact.status !== 200) {
      throw new Error(`the impact of ${CLAIM.name}: ${impact.text}`);
    }
    followed = impact.body.items
      .slice(1)
      .map((i: { object: Omit<Locator, 'cluster'> }) => ({
        cluster: ITEST.name,
        ...i.object,
      }));
    const nop = followed.find(o => o.kind === 'NopResource');
    if (!nop) throw new Error(`no NopResource under ${CLAIM.name}`);
    held = nop;
    await hold(true);
  });

  afterAll(async () => {
    await stop?.();
    if (held) await hold(false).catch(() => undefined);
    await admin?.delete(CLAIM).catch(() => undefined);
  });

  it('refuses a list it cannot follow with 400 naming the field', async () => {
    const one = { cluster: ITEST.name, ...CLAIM };
    const tooMany = await progress(CAROL, Array(201).fill(one));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe(
      'objects: must name at most 200 objects',
    );
    const notAList = await progress(CAROL, 'dprog-bucket');
    expect(notAList.status).toBe(400);
    expect(notAList.body.error.message).toMatch(/^objects: /);
    const badKind = await progress(CAROL, [one, { ...one, kind: '' }]);
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.message).toMatch(/^objects\[1\]\.kind: /);
  });

  it('names what holds the deletion once the claim is gone, then answers everything gone', async () => {
    const started = await api.post(ALICE, 'crossplane/delete', {
      cluster: ITEST.name,
      ...CLAIM,
      confirm: CLAIM.name,
    });
    expect(started.status).toBe(202);
    await waitFor(
      'the claim to be gone',
      async () => ((await admin.get(CLAIM)) ? undefined : true),
      240_000,
    );

    // Everything but the held object goes; it stays, being deleted.
    const stuck = await waitFor(
      `only ${held.name} to be left`,
      async () => {
        const res = await progress(CAROL, followed);
        const left = (res.body?.items ?? []).filter(
          (i: ProgressItem) => !i.gone,
        );
        return res.status === 200 &&
          left.length === 1 &&
          left[0].item?.finalizers?.length === 1
          ? res.body
          : undefined;
      },
      240_000,
    );
    expect(stuck.deleting).toBe(true);
    expect(stuck.items.map((i: ProgressItem) => i.object)).toEqual(followed);
    const left = stuck.items.find((i: ProgressItem) => !i.gone);
    expect(left.object).toEqual(held);
    expect(left.item).toMatchObject({
      objectClass: 'managed',
      fate: 'deleted',
      finalizers: [HOLD],
      deletionTimestamp: expect.any(String),
    });
    expect(stuck.heldBy).toEqual([
      `NopResource ${held.name}: finalizer ${HOLD}`,
    ]);

    // Measured: one read of the whole list.
    const t0 = Date.now();
    expect((await progress(CAROL, followed)).status).toBe(200);
    // eslint-disable-next-line no-console
    console.log(
      `deletion progress of ${followed.length} objects read in ${
        Date.now() - t0
      } ms`,
    );

    // bob may read nothing of team-alpha's: each answers as a gone one,
    // exactly as objects that never existed.
    const hidden = await progress(BOB, followed);
    const missing = await progress(
      BOB,
      followed.map(o => ({ ...o, name: `${o.name}-none` })),
    );
    expect(hidden.status).toBe(200);
    expect(hidden.body).toEqual({
      items: followed.map(object => ({ object, gone: true })),
      deleting: false,
      heldBy: [],
    });
    expect(missing.body).toEqual({
      ...hidden.body,
      items: hidden.body.items.map((i: ProgressItem) => ({
        ...i,
        object: { ...i.object, name: `${i.object.name}-none` },
      })),
    });
    expect(hidden.text).not.toContain(HOLD);

    // A namespace spelt beside a cluster-scoped object reads nothing.
    const spelt = await progress(ALICE, [
      { ...held, namespace: CLAIM.namespace },
    ]);
    expect(spelt.status).toBe(200);
    expect(spelt.body.items[0].gone).toBe(true);
    expect(spelt.text).not.toContain(HOLD);

    await hold(false);
    const done = await waitFor(
      'the held object to be gone',
      async () => {
        const res = await progress(CAROL, followed);
        return res.status === 200 && !res.body.deleting ? res.body : undefined;
      },
      120_000,
    );
    expect(done).toEqual({
      items: followed.map(object => ({ object, gone: true })),
      deleting: false,
      heldBy: [],
    });
    for (const object of followed) {
      expect(await admin.get(object)).toBeUndefined();
    }
  });
});
