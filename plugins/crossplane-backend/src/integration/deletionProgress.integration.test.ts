/*
 * Following a deletion after its root is gone, on the local control plane
 * itest (Crossplane v1: a claim, its cluster-scoped composite and
 * NopResources), through the real backend, auth and permission backend
 * and the portal's least-privilege cluster identity.
 *
 * alice (team-alpha, whose read permission is her namespace's) deletes her
 * claim; its composite, then one of its NopResources, carry a finalizer
 * the test holds, so they stay after the claim (then the composite) is
 * gone. alice follows the deletion to its end: the cluster-scoped objects
 * stay hers while they are deleted, and each is said gone only once the
 * cluster no longer holds it. carol reads every Crossplane object (a
 * platform operator); bob (team-beta) may read nothing of team-alpha's and
 * is told nothing of it: each object is hidden, as objects that never
 * existed are. The test's objects are named `dprog-`, and removed at the
 * end.
 */
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { waitForReady } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import {
  BUCKET,
  bucketClaim,
  NOP,
  XBUCKET,
} from '../__testUtils__/demoObjects';
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
/** The finalizer that holds a composed object after the claim is gone. */
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
  hidden?: boolean;
  item?: {
    objectClass: string;
    fate?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
};
type Progress = {
  items: ProgressItem[];
  deleting: boolean;
  heldBy: string[];
};

describe('Progress of a deletion after its root is gone, on a real control plane', () => {
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const identity = createIdentityProvider();
  /** The impact's objects under the claim, as the dialog follows them. */
  let followed: Locator[];
  /** The composite and the NopResource the test holds. */
  let composite: Locator;
  let held: Locator;

  const progress = (user: string, objects: unknown) =>
    api.post(user, 'crossplane/deletion/progress', { objects });

  /**
   * alice's progress of the deletion: every object hers, none hidden, and
   * none said gone while the cluster still holds it.
   */
  async function followAsAlice(): Promise<Progress> {
    const res = await progress(ALICE, followed);
    expect(res.status).toBe(200);
    const body: Progress = res.body;
    expect(body.items.map(i => i.object)).toEqual(followed);
    expect(body.items.filter(i => i.hidden)).toEqual([]);
    for (const item of body.items.filter(i => i.gone)) {
      expect([item.object, await admin.get(item.object)]).toEqual([
        item.object,
        undefined,
      ]);
    }
    return body;
  }

  /** What bob is told of objects: nothing, each hidden, as missing ones. */
  async function expectHiddenFromBob(objects: Locator[]) {
    const hidden = await progress(BOB, objects);
    const missing = await progress(
      BOB,
      objects.map(o => ({ ...o, name: `${o.name}-none` })),
    );
    expect(hidden.status).toBe(200);
    expect(hidden.body).toEqual({
      items: objects.map(object => ({ object, gone: false, hidden: true })),
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
  }

  /** Sets (or clears) the test's finalizer on an object, if it is there. */
  async function hold(o: Locator, on: boolean) {
    const object = await admin.get(o);
    if (!object) return;
    await admin.apply(
      {
        apiVersion: o.apiVersion,
        kind: o.kind,
        // The uid makes the apply a change of this object, never a create.
        metadata: {
          name: o.name,
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
    const xr = followed.find(o => o.kind === XBUCKET.kind);
    const nop = followed.find(o => o.kind === NOP.kind);
    if (!xr || !nop)
      throw new Error(`no composite or NopResource under ${CLAIM.name}`);
    composite = xr;
    held = nop;
    await hold(composite, true);
    await hold(held, true);
  });

  afterAll(async () => {
    await stop?.();
    for (const o of [composite, held]) {
      if (o) await hold(o, false).catch(() => undefined);
    }
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

  it('lets alice follow her deletion until the composite and managed resources are gone, and tells bob nothing', async () => {
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

    // The claim gone, its held composite is still being deleted: alice
    // reads it (its claimRef says whose it is) and what it composes.
    const composing = await waitFor(
      `${composite.name} to be held`,
      async () => {
        const body = await followAsAlice();
        const xr = body.items.find(i => i.object.name === composite.name);
        return xr?.item?.finalizers?.includes(HOLD) ? body : undefined;
      },
      240_000,
    );
    expect(composing.deleting).toBe(true);
    expect(
      composing.items.find(i => i.object.name === composite.name),
    ).toMatchObject({
      gone: false,
      item: { objectClass: 'composite', deletionTimestamp: expect.any(String) },
    });
    expect(composing.heldBy).toContainEqual(
      expect.stringContaining(`${composite.kind} ${composite.name}: finalizer`),
    );
    expect(
      composing.items.filter(i => i.object.kind === NOP.kind && !i.gone),
    ).not.toEqual([]);
    await expectHiddenFromBob(followed);

    // The composite goes; its held NopResource stays, being deleted, hers
    // by the claim labels it carries.
    await hold(composite, false);
    const stuck = await waitFor(
      `only ${held.name} to be left`,
      async () => {
        const body = await followAsAlice();
        const left = body.items.filter(i => !i.gone);
        return left.length === 1 && left[0].item?.finalizers?.length === 1
          ? body
          : undefined;
      },
      240_000,
    );
    expect(stuck.deleting).toBe(true);
    const left = stuck.items.find(i => !i.gone)!;
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
    // Gone objects too are nothing bob may know of.
    await expectHiddenFromBob(followed);

    // Measured: one read of the whole list.
    const t0 = Date.now();
    expect((await progress(ALICE, followed)).status).toBe(200);
    // eslint-disable-next-line no-console
    console.log(
      `deletion progress of ${followed.length} objects read in ${
        Date.now() - t0
      } ms`,
    );

    // A namespace spelt beside a cluster-scoped object names nothing.
    const spelt = await progress(ALICE, [
      { ...held, namespace: CLAIM.namespace },
    ]);
    expect(spelt.status).toBe(200);
    expect(spelt.body.items[0].gone).toBe(true);
    expect(spelt.text).not.toContain(HOLD);

    await hold(held, false);
    const done = await waitFor(
      'the held object to be gone',
      async () => {
        const body = await followAsAlice();
        return body.deleting ? undefined : body;
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
    // A platform operator is told the same; bob still nothing.
    expect((await progress(CAROL, followed)).body).toEqual(done);
    await expectHiddenFromBob(followed);
  });
});
