/*
 * The status routes on a Crossplane v2 control plane (itest3, demo-v2):
 * namespaced AppDatabase XRs composing `.m.` NopResources and a ConfigMap,
 * behind real auth and the real permission backend. Users (the test's
 * policy): alice reads Crossplane objects in namespace team-alpha only;
 * carol reads everything.
 */
import {
  identityOf,
  objectEntityName,
  type Health,
  type KubernetesObject,
  type ObjectRef,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { connectControlPlane, ITEST3 } from '../__testUtils__/controlPlane';
import {
  APP_DATABASE,
  NOP_M,
  V2_FAILING as FAILING,
} from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { startStatusBackend } from '../__testUtils__/startStatusBackend';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

const CLUSTER = ITEST3;
const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';

/** The demo's failing XR (FAILING): its instance exceeds the team quota. */
const HEALTHY = { ...APP_DATABASE, namespace: 'team-alpha', name: 'orders-db' };
/** The catalog's entity ref of an XR of this cluster. */
const componentRef = (ref: ObjectRef) =>
  `component:default/${objectEntityName(
    identityOf(
      {
        apiVersion: ref.apiVersion!,
        kind: ref.kind,
        metadata: { namespace: ref.namespace, name: ref.name },
      },
      CLUSTER.name,
    ),
  )}`;
const QUOTA_MESSAGE =
  'storage quota exceeded in team-beta: 4000 GB requested, the quota is 1000 GB';

/** carol may do everything; alice acts in team-alpha only. */
const policyModule = teamNamespacePolicy({
  moduleId: 'status-v2-test-policy',
  namespaces: { [ALICE]: ['team-alpha'] },
  admins: [CAROL],
});

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

/** A node of `/tree`'s answer. */
type TreeNode = {
  ref: ObjectRef;
  objectClass: string;
  health: Health;
  rolledUpHealth: Health;
  culpritPath?: ObjectRef[];
  entityRef?: string;
  missing?: boolean;
  children: TreeNode[];
};

/** Every node of a tree, depth first. */
function nodesOf(tree: TreeNode): TreeNode[] {
  return [tree, ...tree.children.flatMap(nodesOf)];
}

describe('Status routes on Crossplane v2 (itest3)', () => {
  let backend: Awaited<ReturnType<typeof startStatusBackend>>;
  let admin: KubernetesClusterClient;
  const identity = createIdentityProvider();
  let api: PortalClient;

  const get = async (user: string, route: string, object?: ObjectName) => {
    const query = object
      ? `?${new URLSearchParams({ cluster: CLUSTER.name, ...object })}`
      : '';
    const { status, body } = await api.get(user, `crossplane/${route}${query}`);
    return { status, body };
  };

  /** The composed `.m.` NopResources of an XR, as the admin lists them. */
  const managedOf = async (xr: ObjectName) =>
    (
      await admin.list(NOP_M.apiVersion, NOP_M.kind, {
        namespace: xr.namespace,
      })
    ).items.filter(
      (mr: KubernetesObject) =>
        mr.metadata.labels?.['crossplane.io/composite'] === xr.name,
    );

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    backend = await startStatusBackend({
      cluster: cp.backstageCluster,
      policy: policyModule,
      identity,
    });
    api = portalClient({ port: backend.server.port(), identity });
    await api.waitForSync(CAROL);
    // The failing instance reports QuotaExceeded about 6 s after creation.
    await waitFor('the failing XR to report its culprit', async () => {
      const { body } = await get(CAROL, 'tree', FAILING);
      return body.root?.culpritPath?.length > 1 ? true : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves the tree of a namespaced XR: its .m. managed resources', async () => {
    const { status, body } = await get(CAROL, 'tree', HEALTHY);
    expect(status).toBe(200);
    const root: TreeNode = body.root;
    expect(root.ref).toMatchObject(HEALTHY);
    expect(root.objectClass).toBe('composite');
    expect(root.entityRef).toBe(componentRef(HEALTHY));
    // The composed ConfigMap is a kind the status backend does not follow
    // (no ConfigMaps are read): left out, not shown as missing.
    expect(root.children.map(c => c.ref.kind).sort()).toEqual([
      'NopResource',
      'NopResource',
    ]);
    for (const child of root.children) {
      expect(child.ref.namespace).toBe('team-alpha');
    }
    const managed = root.children.filter(c => c.ref.kind === 'NopResource');
    expect(
      managed.map(c => [c.ref.apiVersion, c.objectClass, c.health.status]),
    ).toEqual([
      [NOP_M.apiVersion, 'managed', 'Healthy'],
      [NOP_M.apiVersion, 'managed', 'Healthy'],
    ]);
  });

  it('rolls a healthy v2 XR up to Healthy although it composes a ConfigMap nobody follows', async () => {
    const { body } = await get(CAROL, 'tree', HEALTHY);
    const root: TreeNode = body.root;
    expect(nodesOf(root).filter(n => n.missing)).toEqual([]);
    expect(root.rolledUpHealth.status).toBe('Healthy');
  });

  it('names the failing .m. NopResource as the culprit of the failing XR, with its message', async () => {
    const { body } = await get(CAROL, 'tree', FAILING);
    const root: TreeNode = body.root;
    expect(root.health).toMatchObject({
      status: 'Degraded',
      condition: 'ResourcesHealthy',
      reason: 'QuotaExceeded',
    });
    const culprit = root.culpritPath!.at(-1)!;
    expect(culprit).toMatchObject({ ...NOP_M, namespace: 'team-beta' });
    const node = nodesOf(root).find(n => n.ref.name === culprit.name)!;
    expect(node.health).toMatchObject({
      status: 'Degraded',
      condition: 'Ready',
      reason: 'QuotaExceeded',
      message: QUOTA_MESSAGE,
    });
    expect(root.rolledUpHealth).toMatchObject({ reason: 'QuotaExceeded' });
  });

  it('lists the failing XR first in the summary, with its culprit', async () => {
    const { status, body } = await get(CAROL, 'summary');
    expect(status).toBe(200);
    const [first, ...rest] = body.resources;
    expect(first).toMatchObject({
      ...FAILING,
      cluster: CLUSTER.name,
      objectClass: 'composite',
      xrd: 'appdatabases.apps.platformops.io',
      owner: 'group:default/team-beta',
      entityRef: componentRef(FAILING),
      rolledUpHealth: { status: 'Degraded' },
      culprit: {
        ref: { ...NOP_M, namespace: 'team-beta' },
        health: { reason: 'QuotaExceeded', message: QUOTA_MESSAGE },
      },
    });
    const names = rest.map((r: ObjectName) => `${r.kind} ${r.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'AppDatabase payments-db',
        'AppDatabase orders-db',
        'AppDatabase reports-db',
        'SharedNetwork shared-eu-west-1',
        'CacheCluster sessions-cache',
        'CacheCluster feeds-cache',
      ]),
    );
  });

  it('serves the events of the failing XR and of its tree, with the quota reason', async () => {
    const own = await get(CAROL, 'events', FAILING);
    expect(own.status).toBe(200);
    const tree = await get(CAROL, 'events', {
      ...FAILING,
      tree: 'true',
    } as ObjectName);
    expect(tree.status).toBe(200);
    expect(tree.body.items.length).toBeGreaterThanOrEqual(
      own.body.items.length,
    );
    expect(JSON.stringify(tree.body.items)).toContain('QuotaExceeded');
  });

  it('serves the YAML of a v2 XR and of its .m. managed resource, without secrets', async () => {
    const { status, body } = await get(CAROL, 'yaml', HEALTHY);
    expect(status).toBe(200);
    expect(body.yaml).toContain('kind: AppDatabase');
    expect(body.yaml).toContain('namespace: team-alpha');
    const [mr] = await managedOf(HEALTHY);
    const managed = await get(CAROL, 'yaml', {
      ...NOP_M,
      namespace: 'team-alpha',
      name: mr.metadata.name,
    });
    expect(managed.status).toBe(200);
    expect(managed.body.yaml).toContain(`apiVersion: ${NOP_M.apiVersion}`);
    expect(managed.body.yaml).not.toContain('demo-password-not-secret');
  });

  describe('for a user allowed only team-alpha', () => {
    it.each(['tree', 'events', 'yaml'])(
      '%s: a team-beta XR and its .m. managed resources are 403, a team-alpha one 200',
      async route => {
        expect((await get(ALICE, route, FAILING)).status).toBe(403);
        const betaMrs = await managedOf(FAILING);
        expect(betaMrs.length).toBeGreaterThan(0);
        for (const mr of betaMrs) {
          const reply = await get(ALICE, route, {
            ...NOP_M,
            namespace: 'team-beta',
            name: mr.metadata.name,
          });
          expect({ mr: mr.metadata.name, status: reply.status }).toEqual({
            mr: mr.metadata.name,
            status: 403,
          });
        }
        expect((await get(ALICE, route, HEALTHY)).status).toBe(200);
        const [alphaMr] = await managedOf(HEALTHY);
        const alpha = await get(ALICE, route, {
          ...NOP_M,
          namespace: 'team-alpha',
          name: alphaMr.metadata.name,
        });
        expect(alpha.status).toBe(200);
      },
    );

    it('summary: lists team-alpha XRs only', async () => {
      const { status, body } = await get(ALICE, 'summary');
      expect(status).toBe(200);
      const text = JSON.stringify(body.resources);
      expect(text).toContain('orders-db');
      expect(text).not.toContain('analytics-db');
      expect(text).not.toContain('reports-db');
    });
  });

  describe('day-2 operations on a namespaced XR', () => {
    const post = async (user: string, route: string, body: object) => {
      const reply = await api.post(user, `crossplane/${route}`, {
        cluster: CLUSTER.name,
        ...body,
      });
      return { status: reply.status, body: reply.body };
    };
    const PAUSED = 'crossplane.io/paused';

    afterAll(async () => {
      await admin
        .patchAnnotations(
          HEALTHY,
          { [PAUSED]: null },
          { fieldManager: 'status-v2-test' },
        )
        .catch(() => undefined);
    });

    it('pauses and resumes a team-alpha XR: the annotation and Paused in /tree', async () => {
      const paused = await post(ALICE, 'pause', HEALTHY);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ operation: 'pause', paused: true });
      expect((await admin.get(HEALTHY))?.metadata.annotations?.[PAUSED]).toBe(
        'true',
      );
      // Read-your-writes: the next read shows it, with no wait.
      const tree = await get(ALICE, 'tree', HEALTHY);
      expect(tree.body.root.health.status).toBe('Paused');
      const capabilities = await get(ALICE, 'capabilities', HEALTHY);
      expect(capabilities.body.resume).toEqual({ allowed: true });

      const resumed = await post(ALICE, 'resume', HEALTHY);
      expect(resumed.status).toBe(200);
      expect(
        (await admin.get(HEALTHY))?.metadata.annotations ?? {},
      ).not.toHaveProperty(PAUSED);
      await waitFor('the XR to be Healthy again', async () => {
        const { body } = await get(ALICE, 'tree', HEALTHY);
        return body.root?.health.status === 'Healthy' ? true : undefined;
      });
    });

    it('reconciles a team-alpha XR with its .m. managed resources', async () => {
      const res = await post(ALICE, 'reconcile', {
        ...HEALTHY,
        waitSeconds: 5,
      });
      expect(res.status).toBe(200);
      const written = [
        ...res.body.objects,
        ...(res.body.skipped ?? []).map(
          (s: { object: ObjectName }) => s.object,
        ),
      ];
      expect(written[0]).toMatchObject({ kind: 'AppDatabase' });
      const mrs = await managedOf(HEALTHY);
      for (const mr of mrs) {
        expect(written).toContainEqual(
          expect.objectContaining({
            kind: NOP_M.kind,
            namespace: 'team-alpha',
            name: mr.metadata.name,
          }),
        );
      }
    });

    it('refuses a team-beta XR and its .m. managed resource, changing nothing', async () => {
      const [mr] = await managedOf(FAILING);
      for (const target of [
        FAILING,
        { ...NOP_M, namespace: 'team-beta', name: mr.metadata.name },
      ]) {
        const before = await admin.get(target);
        for (const operation of ['pause', 'reconcile']) {
          const res = await post(ALICE, operation, target);
          expect({ operation, status: res.status }).toEqual({
            operation,
            status: 403,
          });
        }
        expect((await admin.get(target))?.metadata.resourceVersion).toBe(
          before?.metadata.resourceVersion,
        );
      }
    });
  });
});
