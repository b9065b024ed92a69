/*
 * Delete with its impact shown first, on both local control planes: itest
 * (Crossplane v1: a claim, its cluster-scoped composite and NopResources)
 * and itest3 (Crossplane v2: a namespaced XR and its `.m.` NopResources),
 * through the status backend's routes, behind real auth, the real
 * permission backend with a policy that, as the portal's demo policy,
 * allows writes only in the user's team namespace, and the portal's
 * least-privilege cluster identity.
 *
 * alice is of team-alpha, bob of team-beta. The test creates its objects
 * (`del-`) in team-alpha, and removes what is left at the end.
 */
import { type KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import {
  diffSnapshots,
  snapshotCluster,
  SnapshotKind,
} from '../__testUtils__/clusterSnapshot';
import { waitForReady } from '../__testUtils__/clusterWaits';
import {
  connectControlPlane,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import { bucketClaim } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(900_000);

const V1 = ITEST;
const V2 = ITEST3;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

const BUCKET = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
  namespace: 'team-alpha',
};
const CLAIM = { ...BUCKET, name: 'del-alpha-bucket' };
const GITOPS_CLAIM = { ...BUCKET, name: 'del-gitops-bucket' };
const XR = {
  apiVersion: 'apps.platformops.io/v1alpha1',
  kind: 'AppDatabase',
  namespace: 'team-alpha',
  name: 'del-alpha-db',
};
const V1_USAGE = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'Usage',
  name: 'del-usage-v1',
};
const V2_USAGE = {
  apiVersion: 'protection.crossplane.io/v1beta1',
  kind: 'Usage',
  namespace: 'team-alpha',
  name: 'del-usage-v2',
};

const ORG = teamOrg({ alice: ['team-alpha'], bob: ['team-beta'] });

/** Crossplane objects are acted on in the user's team namespace only. */
const policyModule = teamNamespacePolicy({
  moduleId: 'delete-test-policy',
  namespaces: { [ALICE]: ['team-alpha'], [BOB]: ['team-beta'] },
});

describe('Delete with an impact preview on real control planes', () => {
  let v1: KubernetesClusterClient;
  let v2: KubernetesClusterClient;
  let backend: Awaited<ReturnType<typeof startPortalBackend>>['backend'];
  let stop: (() => Promise<void>) | undefined;
  let composite: ObjectName;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  let api: PortalClient;

  async function call(
    user: string,
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
  ) {
    const reply =
      method === 'GET'
        ? await api.get(user, route)
        : await api.post(user, route, body);
    return { status: reply.status, body: reply.body };
  }

  const preview = (user: string, cluster: string, o: ObjectName) =>
    call(
      user,
      'GET',
      `crossplane/deletion?${new URLSearchParams({ cluster, ...o })}`,
    );
  const remove = (
    user: string,
    cluster: string,
    o: ObjectName,
    options: { confirm?: string; dryRun?: boolean } = {},
  ) =>
    call(user, 'POST', 'crossplane/delete', {
      cluster,
      ...o,
      confirm: o.name,
      ...options,
    });

  const auditRecords = () => log.auditRecords();

  /** The v1 objects of the test, as the cluster's admin lists them. */
  const V1_KINDS: SnapshotKind[] = [
    { ...BUCKET },
    { apiVersion: BUCKET.apiVersion, kind: 'XObjectBucket' },
    { apiVersion: 'nop.crossplane.io/v1alpha1', kind: 'NopResource' },
  ];
  const snapshot = () => snapshotCluster(v1, V1_KINDS);
  const unchanged = async (before: Awaited<ReturnType<typeof snapshot>>) =>
    expect(
      diffSnapshots(before, await snapshot(), key => !key.includes('del-')),
    ).toEqual({ created: [], deleted: [], changed: [] });

  const createClaim = (o: typeof CLAIM, annotations = {}) =>
    v1.apply(bucketClaim(o, annotations), {
      fieldManager: 'delete-test',
      force: true,
    });

  const ready = (client: KubernetesClusterClient, o: ObjectName) =>
    waitForReady(client, o, 240_000);

  beforeAll(async () => {
    const [cp1, cp2] = [V1, V2].map(connectControlPlane);
    v1 = cp1.admin;
    v2 = cp2.admin;
    await createClaim(CLAIM);
    await createClaim(GITOPS_CLAIM, {
      'argocd.argoproj.io/tracking-id':
        'payments:storage.platformops.io/ObjectBucket:team-alpha/del-gitops-bucket',
    });
    await v2.apply(
      {
        apiVersion: XR.apiVersion,
        kind: XR.kind,
        metadata: {
          name: XR.name,
          namespace: XR.namespace,
          labels: { 'platformops.io/owner': 'team-alpha' },
        },
        spec: { parameters: { engine: 'postgres', storageGB: 20 } },
      } as KubernetesObject,
      { fieldManager: 'delete-test', force: true },
    );
    const claim = await ready(v1, CLAIM);
    composite = {
      ...(claim.spec as { resourceRef: ObjectName }).resourceRef,
    };
    const xr = await ready(v2, XR);

    // A Usage of one composed resource on each cluster, used by nothing.
    const [v1Managed] = (
      (await v1.get(composite))!.spec as { resourceRefs: ObjectName[] }
    ).resourceRefs;
    await v1.apply(
      {
        apiVersion: V1_USAGE.apiVersion,
        kind: V1_USAGE.kind,
        metadata: { name: V1_USAGE.name },
        spec: {
          of: {
            apiVersion: v1Managed.apiVersion,
            kind: v1Managed.kind,
            resourceRef: { name: v1Managed.name },
          },
          reason: 'kept for the delete test',
        },
      } as KubernetesObject,
      { fieldManager: 'delete-test', force: true },
    );
    const [v2Managed] = (
      xr.spec as { crossplane: { resourceRefs: ObjectName[] } }
    ).crossplane.resourceRefs.filter(r => r.kind === 'NopResource');
    await v2.apply(
      {
        apiVersion: V2_USAGE.apiVersion,
        kind: V2_USAGE.kind,
        metadata: { name: V2_USAGE.name, namespace: V2_USAGE.namespace },
        spec: {
          of: {
            apiVersion: v2Managed.apiVersion,
            kind: v2Managed.kind,
            resourceRef: { name: v2Managed.name },
          },
          reason: 'kept for the delete test',
        },
      } as KubernetesObject,
      { fieldManager: 'delete-test', force: true },
    );

    ({ backend, stop } = await startPortalBackend({
      name: 'delete',
      cluster: cp1.backstageCluster,
      entities: ORG,
      policy: policyModule,
      identity,
      features: [log.factory],
      config: {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [cp1.backstageCluster, cp2.backstageCluster],
            },
          ],
        },
      },
    }));
    api = portalClient({ port: backend.server.port(), identity });
    await api.waitForSync(ALICE, 2);
  });

  afterAll(async () => {
    await stop?.();
    await v1?.delete(V1_USAGE).catch(() => undefined);
    await v2?.delete(V2_USAGE).catch(() => undefined);
    for (const claim of [CLAIM, GITOPS_CLAIM]) {
      await v1?.delete(claim).catch(() => undefined);
    }
    await v2?.delete(XR).catch(() => undefined);
  });

  it('previews a v1 claim: its composite and managed resources, their fate, the blocking Usage', async () => {
    const res = await preview(ALICE, V1.name, CLAIM);
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
    });
    const impact = res.body;
    expect(impact.object).toEqual({ cluster: V1.name, ...CLAIM });
    expect(impact.deleting).toBe(false);
    expect(impact.gitOps).toBeUndefined();
    expect(impact.items[0]).toMatchObject({
      object: CLAIM,
      objectClass: 'claim',
    });
    expect(impact.items[1]).toMatchObject({
      object: { kind: 'XObjectBucket', name: composite.name },
      objectClass: 'composite',
    });
    const managed = impact.items.filter(
      (i: { objectClass: string }) => i.objectClass === 'managed',
    );
    expect(managed.length).toBe(2);
    for (const item of managed) {
      expect(item).toMatchObject({
        object: {
          apiVersion: 'nop.crossplane.io/v1alpha1',
          kind: 'NopResource',
        },
        deletionPolicy: 'Delete',
        managementPolicies: ['*'],
        fate: 'deleted',
      });
    }
    expect(impact.usages).toEqual([
      expect.objectContaining({
        usage: expect.objectContaining({ name: V1_USAGE.name }),
        of: expect.objectContaining({ kind: 'NopResource' }),
        reason: 'kept for the delete test',
      }),
    ]);
    expect(impact.dependents).toEqual([]);
  });

  it('previews a v2 XR: its .m. managed resources, the connection Secret, the namespaced Usage', async () => {
    const res = await preview(ALICE, V2.name, XR);
    expect(res.status).toBe(200);
    const impact = res.body;
    expect(impact.items[0]).toMatchObject({
      object: XR,
      objectClass: 'composite',
    });
    const managed = impact.items.filter(
      (i: { objectClass: string }) => i.objectClass === 'managed',
    );
    expect(managed.length).toBeGreaterThanOrEqual(2);
    for (const item of managed) {
      expect(item).toMatchObject({
        object: {
          apiVersion: 'nop.m.crossplane.io/v1alpha1',
          namespace: 'team-alpha',
        },
        fate: 'deleted',
      });
    }
    expect(impact.connectionSecrets).toContainEqual({
      namespace: 'team-alpha',
      name: `${XR.name}-connection`,
    });
    expect(impact.usages).toEqual([
      expect.objectContaining({
        usage: expect.objectContaining({ name: V2_USAGE.name }),
      }),
    ]);
    // Names only: nothing of a Secret's data is in the answer.
    expect(JSON.stringify(impact)).not.toContain('demo-password-not-secret');
  });

  it('refuses a wrong confirmation with 400, and deletes nothing', async () => {
    const before = await snapshot();
    const res = await remove(ALICE, V1.name, CLAIM, { confirm: 'del-alpha' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "confirm: must be the object's name, typed again",
    );
    await unchanged(before);
  });

  it("refuses another team's user with 403, preview and delete alike, and deletes nothing", async () => {
    const before = await snapshot();
    expect((await preview(BOB, V1.name, CLAIM)).status).toBe(403);
    const res = await remove(BOB, V1.name, CLAIM);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('crossplane.resource.delete');
    // A missing object answers as a hidden one.
    expect(
      (await remove(BOB, V1.name, { ...CLAIM, name: 'del-nothing' })).status,
    ).toBe(403);
    expect((await remove(BOB, V2.name, XR)).status).toBe(403);
    await unchanged(before);
  });

  it('refuses the composite behind a claim with 400', async () => {
    // v1 composites are not written directly unless crossplane.writes
    // allows it; with it, the refusal names the claim (unit-tested).
    const res = await preview(ALICE, V1.name, composite);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^kind: XObjectBucket/);
  });

  it('refuses a GitOps-delivered claim with 409 naming the tool; it stays', async () => {
    const impact = await preview(ALICE, V1.name, GITOPS_CLAIM);
    expect(impact.body.gitOps).toMatchObject({ tool: 'argocd' });
    const res = await remove(ALICE, V1.name, GITOPS_CLAIM);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Argo CD application payments');
    expect(await v1.get(GITOPS_CLAIM)).toBeDefined();
  });

  it('a dry run is admitted by the API server and changes nothing', async () => {
    const before = await snapshot();
    const res = await remove(ALICE, V1.name, CLAIM, { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(4);
    await unchanged(before);
  });

  it.each([
    [
      'v1 claim',
      () => ({ client: v1, cluster: V1.name, object: CLAIM, usage: V1_USAGE }),
    ],
    [
      'v2 XR',
      () => ({ client: v2, cluster: V2.name, object: XR, usage: V2_USAGE }),
    ],
  ])('deletes the %s and its tree', async (_, target) => {
    const { client, cluster, object, usage } = target();
    const { body: impact } = await preview(ALICE, cluster, object);
    // The Usage is what would hold the delete: it goes first.
    await client.delete(usage);
    const started = Date.now();
    const res = await remove(ALICE, cluster, object);
    expect(res.status).toBe(202);
    expect(res.body.items.length).toBe(impact.items.length);
    const tree: ObjectName[] = impact.items.map(
      (i: { object: ObjectName }) => i.object,
    );
    await waitFor(
      `the ${object.kind} ${object.name} and its tree to be gone`,
      async () => {
        const left = await Promise.all(tree.map(o => client.get(o)));
        return left.every(o => !o) ? true : undefined;
      },
      240_000,
    );
    const ms = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(
      `${object.kind} ${object.name}: ${tree.length} objects gone in ${ms} ms`,
    );
    expect((await preview(ALICE, cluster, object)).status).toBe(404);
  });

  it('records every delete with the auditor: refused, dry and done', async () => {
    const deletes = auditRecords().filter(r => r.eventId === 'delete');
    const done = (status: string, dryRun: boolean, actor: string) =>
      deletes.some(
        r =>
          r.status === status &&
          r.meta?.dryRun === dryRun &&
          r.meta?.actor === actor &&
          r.meta?.action === 'delete' &&
          r.meta?.objectKey ===
            `${V1.name}|storage.platformops.io|ObjectBucket|team-alpha|${CLAIM.name}`,
      );
    expect(done('failed', false, BOB)).toBe(true);
    expect(done('failed', false, ALICE)).toBe(true);
    expect(done('succeeded', true, ALICE)).toBe(true);
    expect(done('succeeded', false, ALICE)).toBe(true);
  });
});
