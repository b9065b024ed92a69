/*
 * Edits of claims (Crossplane v1, itest) and namespaced XRs (Crossplane v2,
 * itest3) through GET/POST /edit, and the create preview, behind real auth
 * and the real permission backend, with the portal's own cluster identity.
 *
 * alice (team-alpha) may write Crossplane objects in namespace team-alpha
 * only, bob (team-beta) in team-beta only (the test's policy, as the demo
 * policy does it). Each suite creates its own objects (`edit-`) in
 * team-alpha and removes them at the end.
 */
import { type KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { waitForReady } from '../__testUtils__/clusterWaits';
import {
  connectControlPlane,
  ControlPlaneInstance,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
/** Each user acts on Crossplane objects in their team's namespace only. */
const policyModule = teamNamespacePolicy({
  moduleId: 'edit-test-policy',
  namespaces: { [ALICE]: ['team-alpha'], [BOB]: ['team-beta'] },
});

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
};

/** One platform API to edit, and the fields each test changes. */
interface EditCase {
  title: string;
  cluster: ControlPlaneInstance;
  xrd: string;
  object: ObjectName;
  /** The object delivered by a GitOps tool, and the tool's labels. */
  gitOps: ObjectName;
  gitOpsLabels: Record<string, string>;
  gitOpsTool: string;
  parameters: Record<string, unknown>;
  /** A parameter alice changes, from its value in `parameters`. */
  change: [string, unknown];
  /** A parameter another field manager takes, then alice tries to change. */
  contested: [string, unknown, unknown];
  /** A value the XRD's schema refuses. */
  bad: [string, unknown];
}

const CASES: EditCase[] = [
  {
    title: 'a claim on Crossplane v1',
    cluster: ITEST,
    xrd: 'xobjectbuckets.storage.platformops.io',
    object: {
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      namespace: 'team-alpha',
      name: 'edit-v1-bucket',
    },
    gitOps: {
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      namespace: 'team-alpha',
      name: 'edit-v1-argo-bucket',
    },
    gitOpsLabels: { 'argocd.argoproj.io/instance': 'shop' },
    gitOpsTool: 'Argo CD application shop',
    parameters: { storageClass: 'STANDARD', region: 'eu-west-1' },
    change: ['storageClass', 'NEARLINE'],
    contested: ['region', 'us-east-1', 'ap-southeast-1'],
    bad: ['storageClass', 'HUGE'],
  },
  {
    title: 'a namespaced XR on Crossplane v2',
    cluster: ITEST3,
    xrd: 'appdatabases.apps.platformops.io',
    object: {
      apiVersion: 'apps.platformops.io/v1alpha1',
      kind: 'AppDatabase',
      namespace: 'team-alpha',
      name: 'edit-v2-db',
    },
    gitOps: {
      apiVersion: 'apps.platformops.io/v1alpha1',
      kind: 'AppDatabase',
      namespace: 'team-alpha',
      name: 'edit-v2-flux-db',
    },
    gitOpsLabels: {
      'kustomize.toolkit.fluxcd.io/name': 'apps',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    },
    gitOpsTool: 'Flux Kustomization',
    parameters: { engine: 'postgres', storageGB: 20 },
    change: ['storageGB', 40],
    contested: ['backupRetentionDays', 14, 21],
    bad: ['storageGB', 5],
  },
];

describe.each(CASES)('Edit of $title', c => {
  let admin: KubernetesClusterClient;
  let backend: Awaited<ReturnType<typeof startPortalBackend>>['backend'];
  let stop: (() => Promise<void>) | undefined;
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
        ? await api.get(user, `crossplane/${route}`)
        : await api.post(user, `crossplane/${route}`, body);
    return { status: reply.status, body: reply.body };
  }

  const query = (o: ObjectName) =>
    new URLSearchParams({ cluster: c.cluster.name, ...o }).toString();
  const edit = (
    user: string,
    o: ObjectName,
    parameters: Record<string, unknown>,
    dryRun = false,
  ) =>
    call(user, 'POST', 'edit', {
      cluster: c.cluster.name,
      ...o,
      values: { parameters },
      dryRun,
    });

  const live = async (o: ObjectName) => {
    const object = await admin.get(o);
    if (!object) throw new Error(`${o.kind} ${o.name} is gone`);
    return object;
  };
  /** Waits until nothing has written the object for 3 seconds. */
  async function settled(o: ObjectName) {
    let version = (await live(o)).metadata.resourceVersion;
    let since = Date.now();
    await waitFor(`${o.kind} ${o.name} to settle`, async () => {
      const now = (await live(o)).metadata.resourceVersion;
      if (now !== version) {
        version = now;
        since = Date.now();
      }
      return Date.now() - since >= 3_000 ? true : undefined;
    });
  }
  const parametersOf = async (o: ObjectName) =>
    (await live(o)).spec?.parameters as Record<string, unknown>;

  /** What the edit form holds now, as alice would submit it. */
  const formParameters = async (o: ObjectName) => {
    const res = await call(ALICE, 'GET', `edit?${query(o)}`);
    expect(res.status).toBe(200);
    return res.body.values.parameters as Record<string, unknown>;
  };

  const auditRecords = () =>
    log.auditRecords().filter(r => r.eventId === 'edit');

  async function create(o: ObjectName, labels: Record<string, string> = {}) {
    // As the portal's create writes it: server-side applied as platformops.
    await admin.apply(
      {
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.name, namespace: o.namespace, labels },
        spec: { parameters: c.parameters },
      } as KubernetesObject,
      { fieldManager: 'platformops', force: true },
    );
  }

  /** Waits until Crossplane has composed the object and says it is Ready. */
  const ready = (o: ObjectName) => waitForReady(admin, o);

  beforeAll(async () => {
    const cp = connectControlPlane(c.cluster);
    admin = cp.admin;
    await create(c.object);
    await create(c.gitOps, c.gitOpsLabels);
    // Settled first, so that Crossplane's own writes do not count as edits.
    for (const o of [c.object, c.gitOps]) await ready(o);
    ({ backend, stop } = await startPortalBackend({
      name: `edit-${c.cluster.name}`,
      cluster: cp.backstageCluster,
      entities: [],
      policy: policyModule,
      identity,
      features: [log.factory],
    }));
    api = portalClient({ port: backend.server.port(), identity });
    await api.waitForSync(ALICE);
  });

  afterAll(async () => {
    await stop?.();
    for (const o of [c.object, c.gitOps]) {
      await admin.delete(o).catch(() => undefined);
    }
  });

  it("gives alice her object's form, prefilled, with who owns its fields", async () => {
    const res = await call(ALICE, 'GET', `edit?${query(c.object)}`);
    expect(res.status).toBe(200);
    expect(res.body.object).toMatchObject(c.object);
    expect(res.body.values.parameters).toMatchObject(c.parameters);
    expect(
      res.body.steps.flatMap((s: { properties: object }) =>
        Object.keys(s.properties),
      ),
    ).toEqual(['parameters']);
    expect(res.body.fieldOwners).toContainEqual(
      expect.objectContaining({
        manager: 'platformops',
        operation: 'Apply',
        fields: expect.arrayContaining([`spec.parameters.${c.change[0]}`]),
      }),
    );
    expect(res.body.gitOps).toBeUndefined();
  });

  it('a dry run shows the change and changes nothing', async () => {
    const before = await live(c.object);
    const parameters = await formParameters(c.object);
    const res = await edit(
      ALICE,
      c.object,
      { ...parameters, [c.change[0]]: c.change[1] },
      true,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      changed: true,
      applied: false,
      conflicts: [],
      validation: { ok: true },
    });
    expect(res.body.diff).toContain(
      `-    ${c.change[0]}: ${c.parameters[c.change[0]]}`,
    );
    expect(res.body.diff).toContain(`+    ${c.change[0]}: ${c.change[1]}`);
    expect(res.body.after).toContain(`${c.change[0]}: ${c.change[1]}`);
    const after = await live(c.object);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('the edit changes exactly that field, owned by platformops', async () => {
    const before = await parametersOf(c.object);
    const parameters = await formParameters(c.object);
    const res = await edit(ALICE, c.object, {
      ...parameters,
      [c.change[0]]: c.change[1],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, applied: true });
    const object = await live(c.object);
    expect(object.spec?.parameters).toEqual({
      ...before,
      [c.change[0]]: c.change[1],
    });
    const owners = object.metadata.managedFields as Array<{
      manager: string;
      operation: string;
      fieldsV1: { 'f:spec'?: { 'f:parameters'?: Record<string, unknown> } };
    }>;
    const platformops = owners.find(
      o => o.manager === 'platformops' && o.operation === 'Apply',
    );
    expect(
      platformops?.fieldsV1['f:spec']?.['f:parameters']?.[`f:${c.change[0]}`],
    ).toBeDefined();
  });

  it('reports a field another manager owns as a conflict, and never takes it over', async () => {
    const [field, theirs, mine] = c.contested;
    await admin.apply(
      {
        apiVersion: c.object.apiVersion,
        kind: c.object.kind,
        metadata: { name: c.object.name, namespace: c.object.namespace },
        spec: { parameters: { [field]: theirs } },
      } as KubernetesObject,
      { fieldManager: 'edit-test-other', force: true },
    );
    // Crossplane reconciles that change; the refused edit must change nothing.
    await settled(c.object);
    const parameters = await formParameters(c.object);
    expect(parameters[field]).toBe(theirs);
    const preview = await edit(
      ALICE,
      c.object,
      { ...parameters, [field]: mine },
      true,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.conflicts).toEqual([
      { field: `spec.parameters.${field}`, manager: 'edit-test-other' },
    ]);
    const before = await live(c.object);
    const res = await edit(ALICE, c.object, { ...parameters, [field]: mine });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      `spec.parameters.${field} (owned by edit-test-other)`,
    );
    const after = await live(c.object);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect((after.spec?.parameters as Record<string, unknown>)[field]).toBe(
      theirs,
    );
    // The same values with the other manager's field as it is go through.
    const shared = await edit(ALICE, c.object, parameters, true);
    expect(shared.body.conflicts).toEqual([]);
  });

  it('takes a conflicting field over only when the caller names it in takeOver', async () => {
    const [field, theirs, mine] = c.contested;
    const parameters = await formParameters(c.object);
    expect(parameters[field]).toBe(theirs);
    const takingOver = (takeOver: string[]) =>
      call(ALICE, 'POST', 'edit', {
        cluster: c.cluster.name,
        ...c.object,
        values: { parameters: { ...parameters, [field]: mine } },
        takeOver,
      });
    const wrong = await takingOver(['spec.parameters.somethingElse']);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('takeOver');
    const res = await takingOver([`spec.parameters.${field}`]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true });
    const after = await live(c.object);
    expect((after.spec?.parameters as Record<string, unknown>)[field]).toBe(
      mine,
    );
    type ManagedFieldsEntry = { manager?: string; fieldsV1?: unknown };
    const entries = (after.metadata.managedFields ??
      []) as ManagedFieldsEntry[];
    const owners = entries.filter(entry =>
      JSON.stringify(entry.fieldsV1 ?? {}).includes(`"f:${field}"`),
    );
    expect(owners.map(entry => entry.manager)).toEqual(['platformops']);
    // Crossplane reconciles the change; the next cases compare versions.
    await settled(c.object);
  });

  it('refuses a user of another team: 403, the cluster unchanged', async () => {
    const before = await live(c.object);
    const form = await call(BOB, 'GET', `edit?${query(c.object)}`);
    expect(form.status).toBe(403);
    const res = await edit(BOB, c.object, { ...c.parameters }, false);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('crossplane.resource.update');
    // A missing object answers the same.
    const missing = await edit(BOB, { ...c.object, name: 'edit-missing' }, {});
    expect(missing.status).toBe(403);
    const after = await live(c.object);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('never writes an object delivered through Git: 409 naming the tool', async () => {
    const before = await live(c.gitOps);
    const parameters = await formParameters(c.gitOps);
    const changed = { ...parameters, [c.change[0]]: c.change[1] };
    const preview = await edit(ALICE, c.gitOps, changed, true);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ changed: true, applied: false });
    expect(preview.body.gitOps.description).toContain(c.gitOpsTool);
    const res = await edit(ALICE, c.gitOps, changed);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      `delivered through Git by ${c.gitOpsTool}`,
    );
    const after = await live(c.gitOps);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('answers a bad value with a 400 naming the field', async () => {
    const before = await live(c.object);
    const parameters = await formParameters(c.object);
    const res = await edit(ALICE, c.object, {
      ...parameters,
      [c.bad[0]]: c.bad[1],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`spec.parameters.${c.bad[0]}`);
    const unknown = await call(ALICE, 'POST', 'edit', {
      cluster: c.cluster.name,
      ...c.object,
      values: { owner: 'group:default/team-beta' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('values.owner');
    const notValues = await call(ALICE, 'POST', 'edit', {
      cluster: c.cluster.name,
      ...c.object,
      values: 'x',
    });
    expect(notValues.status).toBe(400);
    expect(notValues.body.error.message).toContain('values');
    const after = await live(c.object);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('records every edit with the auditor: dry runs, refusals and failures too', async () => {
    const records = auditRecords();
    const key = `${c.cluster.name}|${c.object.apiVersion.split('/')[0]}|${
      c.object.kind
    }|${c.object.namespace}|${c.object.name}`;
    const mine = records.filter(r => r.meta?.objectKey === key);
    const done = (status: string, dryRun: boolean, actor: string) =>
      mine.some(
        r =>
          r.status === status &&
          r.meta?.dryRun === dryRun &&
          r.meta?.actor === actor &&
          r.meta?.action === 'edit',
      );
    expect(done('succeeded', true, ALICE)).toBe(true);
    expect(done('succeeded', false, ALICE)).toBe(true);
    expect(done('failed', false, ALICE)).toBe(true);
    expect(done('failed', false, BOB)).toBe(true);
  });

  it('previews a create from the form values: the manifest and the dry run', async () => {
    const values = {
      name: `edit-preview-${c.cluster.name}`,
      namespace: 'team-alpha',
      parameters: c.parameters,
    };
    const res = await call(ALICE, 'POST', 'create-preview', {
      cluster: c.cluster.name,
      xrd: c.xrd,
      values,
    });
    expect(res.status).toBe(200);
    expect(res.body.validation).toEqual({ ok: true });
    expect(res.body.manifest).toContain(`kind: ${c.object.kind}`);
    expect(res.body.manifest).toContain(
      'platformops.io/owner: user:default/alice',
    );
    // Nothing was created.
    expect(await admin.get({ ...c.object, name: values.name })).toBeUndefined();
    const refused = await call(BOB, 'POST', 'create-preview', {
      cluster: c.cluster.name,
      xrd: c.xrd,
      values,
    });
    expect(refused.status).toBe(403);
    const bad = await call(ALICE, 'POST', 'create-preview', {
      cluster: c.cluster.name,
      xrd: c.xrd,
      values: {
        ...values,
        parameters: { ...c.parameters, [c.bad[0]]: c.bad[1] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(`spec.parameters.${c.bad[0]}`);
  });
});
