/*
 * Day-2 operations on the local control plane (itest): pause, resume and
 * reconcile now, through the status backend's routes and the scaffolder's
 * crossplane:pause, behind real auth and the real permission backend, with
 * the portal's own least-privilege cluster identity. The catalog module
 * runs too, to show that a paused claim's entity says so.
 *
 * alice, of team-alpha, may act on Crossplane objects in namespace
 * team-alpha only (the test's policy). The test creates one claim in each
 * team namespace (`day2-`), and removes them at the end.
 */
import {
  CROSSPLANE_ENTITY_ANNOTATIONS,
  CrossplaneAnnotations,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { waitForComposed } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { BUCKET, bucketClaim, XBUCKET } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(600_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const PAUSED = CrossplaneAnnotations.paused;
const ALPHA = { ...BUCKET, namespace: 'team-alpha', name: 'day2-alpha-bucket' };
const BETA = { ...BUCKET, namespace: 'team-beta', name: 'day2-beta-bucket' };

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

/** alice acts on Crossplane objects in team-alpha only; all else allowed. */
const policyModule = teamNamespacePolicy({
  moduleId: 'lifecycle-test-policy',
  namespaces: { [ALICE]: ['team-alpha'] },
});

/** The template alice runs: crossplane:pause of the object she names. */
const PAUSE_TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'day2-pause', title: 'Pause a resource' },
  spec: {
    owner: 'group:default/team-alpha',
    type: 'resource',
    parameters: [
      {
        properties: Object.fromEntries(
          ['apiVersion', 'kind', 'namespace', 'name'].map(p => [
            p,
            { type: 'string' },
          ]),
        ),
      },
    ],
    steps: [
      {
        id: 'pause',
        action: 'crossplane:pause',
        input: {
          cluster: CLUSTER.name,
          apiVersion: '${{ parameters.apiVersion }}',
          kind: '${{ parameters.kind }}',
          namespace: '${{ parameters.namespace }}',
          name: '${{ parameters.name }}',
        },
      },
    ],
  },
};

const ORG = teamOrg({ alice: ['team-alpha'] });

describe('Pause, resume and reconcile on a real control plane', () => {
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  let betaXr: ObjectName;
  let alphaEntityRef: string;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();

  /** A request as alice. */
  async function call(method: 'GET' | 'POST', route: string, body?: unknown) {
    const reply =
      method === 'GET'
        ? await api.get(ALICE, route)
        : await api.post(ALICE, route, body);
    return { status: reply.status, body: reply.body };
  }

  const query = (o: ObjectName) =>
    new URLSearchParams({ cluster: CLUSTER.name, ...o }).toString();
  const operate = (
    operation: 'pause' | 'resume' | 'reconcile',
    o: ObjectName,
    options: { dryRun?: boolean; waitSeconds?: number } = {},
  ) =>
    call('POST', `crossplane/${operation}`, {
      cluster: CLUSTER.name,
      ...o,
      ...options,
    });

  /** The object as the cluster's admin reads it. */
  const live = async (o: ObjectName) => {
    const object = await admin.get(o);
    if (!object) throw new Error(`${o.kind} ${o.name} is gone`);
    return object;
  };

  const auditRecords = () => log.auditRecords();

  /** Waits for /tree to show the claim with a health, and returns it. */
  const treeHealth = (o: ObjectName, health: string) =>
    waitFor(`/tree of ${o.name} to show ${health}`, async () => {
      const { body } = await call('GET', `crossplane/tree?${query(o)}`);
      return body.root?.health.status === health ? body.root : undefined;
    });

  const createClaim = (o: typeof ALPHA) =>
    admin.apply(bucketClaim(o), {
      fieldManager: 'lifecycle-test',
      force: true,
    });

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    await createClaim(ALPHA);
    await createClaim(BETA);
    await waitForComposed(admin, ALPHA);
    betaXr = { ...XBUCKET, name: await waitForComposed(admin, BETA) };

    const started = await startPortalBackend({
      name: 'lifecycle',
      cluster: cp.backstageCluster,
      entities: [PAUSE_TEMPLATE, ...ORG],
      policy: policyModule,
      identity,
      features: [log.factory],
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await api.waitForSync(ALICE);
    const root = await treeHealth(ALPHA, 'Healthy');
    alphaEntityRef = root.entityRef;
    for (const ref of [
      'template/default/day2-pause',
      'user/default/alice',
      alphaEntityRef.replace(':', '/'),
    ]) {
      await api.waitForEntity(ALICE, ref);
    }
  });

  afterAll(async () => {
    await stop?.();
    for (const claim of [ALPHA, BETA]) {
      // Resumed first: a paused claim's finalizer would keep it forever.
      await admin
        .patchAnnotations(
          claim,
          { [PAUSED]: null },
          { fieldManager: 'lifecycle-test' },
        )
        .catch(() => undefined);
      await admin.delete(claim).catch(() => undefined);
    }
  });

  const catalogEntity = async () => {
    const [kind, rest] = alphaEntityRef.split(':');
    const res = await call('GET', `catalog/entities/by-name/${kind}/${rest}`);
    return res.body;
  };

  it('tells alice what she may do with her claim', async () => {
    const res = await call('GET', `crossplane/capabilities?${query(ALPHA)}`);
    expect(res).toEqual({
      status: 200,
      body: {
        pause: { allowed: true },
        resume: { allowed: false, reason: 'not paused' },
        reconcile: { allowed: true },
        edit: { allowed: true },
        delete: { allowed: true },
        upgrade: { allowed: true },
      },
    });
  });

  it('a dry run of pause writes nothing', async () => {
    const before = await live(ALPHA);
    const res = await operate('pause', ALPHA, { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, paused: true });
    const after = await live(ALPHA);
    expect(after.metadata.annotations?.[PAUSED]).toBeUndefined();
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('pauses the claim: the annotation in the cluster, Paused in /tree, /summary and the catalog', async () => {
    const res = await operate('pause', ALPHA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      operation: 'pause',
      dryRun: false,
      paused: true,
      objects: [{ ...ALPHA }],
    });
    const claim = await live(ALPHA);
    expect(claim.metadata.annotations?.[PAUSED]).toBe('true');
    // Only the annotation was written, by PlatformOps' field manager.
    expect(claim.spec).toMatchObject({
      parameters: { storageClass: 'STANDARD', region: 'eu-west-1' },
    });
    expect(
      (claim.metadata.managedFields as Array<{ manager: string }>).map(
        f => f.manager,
      ),
    ).toContain('platformops');

    const root = await treeHealth(ALPHA, 'Paused');
    expect(root.health.reason).toBe('ReconcilePaused');
    const summary = await call(
      'GET',
      'crossplane/summary?namespace=team-alpha&health=Paused',
    );
    expect(summary.status).toBe(200);
    expect(
      summary.body.resources.find(
        (r: { name: string }) => r.name === ALPHA.name,
      ),
    ).toMatchObject({
      health: { status: 'Paused' },
      rolledUpHealth: { status: 'Paused' },
    });

    const entity = await waitFor(
      'the catalog entity to show Paused',
      async () => {
        const e = await catalogEntity();
        return e.metadata?.annotations?.[
          CROSSPLANE_ENTITY_ANNOTATIONS.health
        ] === 'Paused'
          ? e
          : undefined;
      },
    );
    expect(entity.metadata.labels['platformops.io/health']).toBe('paused');

    const capabilities = await call(
      'GET',
      `crossplane/capabilities?${query(ALPHA)}`,
    );
    expect(capabilities.body).toEqual({
      pause: { allowed: false, reason: 'already paused' },
      resume: { allowed: true },
      reconcile: { allowed: false, reason: 'paused: resume it first' },
      edit: { allowed: true },
      delete: { allowed: true },
      upgrade: { allowed: true },
    });
  });

  it('resumes the claim: the annotation removed, Healthy again everywhere', async () => {
    const res = await operate('resume', ALPHA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ operation: 'resume', paused: false });
    const claim = await live(ALPHA);
    expect(claim.metadata.annotations ?? {}).not.toHaveProperty(PAUSED);
    await treeHealth(ALPHA, 'Healthy');
    await waitFor('the catalog entity to show Healthy', async () => {
      const e = await catalogEntity();
      return e.metadata?.annotations?.[CROSSPLANE_ENTITY_ANNOTATIONS.health] ===
        'Healthy'
        ? true
        : undefined;
    });
  });

  it('reconciles the claim now and returns its conditions', async () => {
    const res = await operate('reconcile', ALPHA, { waitSeconds: 10 });
    expect(res.status).toBe(200);
    expect(res.body.operation).toBe('reconcile');
    expect(res.body.paused).toBe(false);
    expect(res.body.reconcile.waitedMs).toBeLessThanOrEqual(12_000);
    const conditions = Object.fromEntries(
      (
        res.body.reconcile.conditions as Array<{ type: string; status: string }>
      ).map(c => [c.type, c.status]),
    );
    expect(conditions).toEqual({ Ready: 'True', Synced: 'True' });
    // The claim and its composite carry the request; the portal may not
    // write provider-nop's managed resources, which are reported skipped.
    const claim = await live(ALPHA);
    const requestedAt =
      claim.metadata.annotations?.['platformops.io/reconcile-requested-at'];
    expect(requestedAt).toBe(res.body.requestedAt);
    const kinds = (res.body.objects as ObjectName[]).map(o => o.kind);
    expect(kinds).toEqual(['ObjectBucket', 'XObjectBucket']);
    expect(res.body.skipped.length).toBeGreaterThan(0);
    for (const skipped of res.body.skipped) {
      expect(skipped).toEqual({
        object: expect.objectContaining({ kind: 'NopResource' }),
        reason: expect.stringContaining('forbidden'),
      });
    }
  });

  it.each([
    ['the team-beta claim', () => BETA],
    ["the team-beta claim's cluster-scoped composite", () => betaXr],
  ])('refuses every operation on %s and changes nothing', async (_, target) => {
    const object = target();
    const before = await live(object);
    for (const operation of ['pause', 'resume', 'reconcile'] as const) {
      const res = await operate(operation, object, { waitSeconds: 1 });
      expect({ operation, status: res.status }).toEqual({
        operation,
        status: 403,
      });
      expect(res.body.error.message).toContain(
        operation === 'reconcile'
          ? 'crossplane.resource.reconcile'
          : 'crossplane.resource.pause',
      );
    }
    const after = await live(object);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(after.metadata.annotations ?? {}).not.toHaveProperty(PAUSED);
    const capabilities = await call(
      'GET',
      `crossplane/capabilities?${query(object)}`,
    );
    expect(capabilities.status).toBe(200);
    for (const operation of [
      'pause',
      'resume',
      'reconcile',
      'edit',
      'delete',
      'upgrade',
    ]) {
      expect(capabilities.body[operation]).toEqual({
        allowed: false,
        reason: expect.stringContaining('your permissions do not allow'),
      });
    }
  });

  it.each([
    [
      'a Secret',
      { apiVersion: 'v1', kind: 'Secret', namespace: 'team-alpha', name: 'x' },
    ],
    [
      'an unknown kind',
      {
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'Nonexistent',
        namespace: 'team-alpha',
        name: ALPHA.name,
      },
    ],
  ])('answers 400 or 404 for %s', async (_, object) => {
    for (const operation of ['pause', 'reconcile'] as const) {
      const res = await operate(operation, object);
      expect([400, 404]).toContain(res.status);
    }
  });

  it('answers 400 naming the field for a bad body', async () => {
    const noName = await call('POST', 'crossplane/pause', {
      cluster: CLUSTER.name,
      ...BUCKET,
      namespace: 'team-alpha',
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toMatch(/^name: /);
    const longWait = await operate('reconcile', ALPHA, { waitSeconds: 3600 });
    expect(longWait.status).toBe(400);
    expect(longWait.body.error.message).toMatch(/^waitSeconds: /);
  });

  it('pauses the claim with crossplane:pause in a template alice runs', async () => {
    const created = await call('POST', 'scaffolder/v2/tasks', {
      templateRef: 'template:default/day2-pause',
      values: {
        apiVersion: ALPHA.apiVersion,
        kind: ALPHA.kind,
        namespace: ALPHA.namespace,
        name: ALPHA.name,
      },
    });
    expect(created.status).toBe(201);
    const task = await waitFor(
      'the pause task to finish',
      async () => {
        const { body } = await call(
          'GET',
          `scaffolder/v2/tasks/${created.body.id}`,
        );
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body
          : undefined;
      },
      120_000,
    );
    expect(task.status).toBe('completed');
    expect((await live(ALPHA)).metadata.annotations?.[PAUSED]).toBe('true');
    await treeHealth(ALPHA, 'Paused');
    expect((await operate('resume', ALPHA)).status).toBe(200);
  });

  it('the auditor recorded each operation with the user and its outcome', () => {
    const records = auditRecords().filter(
      r => r.status === 'succeeded' || r.status === 'failed',
    );
    const of = (plugin: string, eventId: string, status: string) =>
      records.filter(
        r =>
          r.plugin === plugin && r.eventId === eventId && r.status === status,
      );
    const alpha = `${ALPHA.name}`;
    for (const eventId of ['pause', 'resume', 'reconcile']) {
      const done = of('crossplane', eventId, 'succeeded');
      expect(done.some(r => String(r.meta?.object).includes(alpha))).toBe(true);
      for (const record of done) {
        expect(record.actor?.actorId).toBe(ALICE);
        expect(record.meta?.actor).toBe(ALICE);
      }
      // The claim and its composite (named after the claim).
      const refused = of('crossplane', eventId, 'failed').filter(r =>
        String(r.meta?.object).includes(BETA.name),
      );
      expect({ eventId, refused: refused.length }).toEqual({
        eventId,
        refused: 2,
      });
      for (const record of refused) {
        expect(record.actor?.actorId).toBe(ALICE);
        expect(record.message).toContain('not allowed');
      }
    }
    const dryRun = of('crossplane', 'pause', 'succeeded').filter(
      r => r.meta?.dryRun === true,
    );
    expect(dryRun).toHaveLength(1);
    const scaffolded = of('scaffolder', 'pause', 'succeeded');
    expect(scaffolded).toHaveLength(1);
    expect(scaffolded[0].meta?.actor).toBe(ALICE);
  });

  describe('through the actions registry (as agents use it)', () => {
    const invoke = (action: string, input: object) =>
      call(
        'POST',
        `crossplane/.backstage/actions/v1/actions/crossplane:${action}/invoke`,
        input,
      );

    it('lists the read and day-2 actions', async () => {
      const res = await call('GET', 'crossplane/.backstage/actions/v1/actions');
      expect(res.status).toBe(200);
      const byName = Object.fromEntries(
        res.body.actions.map((a: { name: string }) => [a.name, a]),
      );
      expect(Object.keys(byName)).toEqual(
        expect.arrayContaining([
          'list-crossplane-resources',
          'get-crossplane-resource-tree',
          'get-crossplane-resource-events',
          'get-crossplane-resource-yaml',
          'pause-crossplane-resource',
          'resume-crossplane-resource',
          'reconcile-crossplane-resource',
          'get-crossplane-resource-timeline',
          'preview-crossplane-deletion',
          'delete-crossplane-resource',
          'list-crossplane-revision-upgrades',
          'upgrade-crossplane-resources',
          'get-crossplane-edit-form',
          'edit-crossplane-resource',
          'preview-crossplane-creation',
        ]),
      );
      expect(byName['delete-crossplane-resource'].attributes).toMatchObject({
        destructive: true,
      });
      expect(byName['get-crossplane-resource-tree'].attributes).toMatchObject({
        readOnly: true,
      });
      expect(byName['pause-crossplane-resource'].schema.input.required).toEqual(
        expect.arrayContaining(['cluster', 'kind', 'name']),
      );
    });

    it("lists only what alice may read, and reads her claim's tree", async () => {
      const list = await invoke('list-crossplane-resources', {});
      expect(list.status).toBe(200);
      const names = list.body.output.items.map((i: { name: string }) => i.name);
      expect(names).toContain(ALPHA.name);
      expect(names).not.toContain(BETA.name);

      const tree = await invoke('get-crossplane-resource-tree', {
        cluster: CLUSTER.name,
        ...ALPHA,
      });
      expect(tree.status).toBe(200);
      expect(tree.body.output.result).toMatchObject({
        ref: { name: ALPHA.name, namespace: ALPHA.namespace },
      });
      // The same answer as the route's (the claim was paused above).
      const route = await call('GET', `crossplane/tree?${query(ALPHA)}`);
      expect(tree.body.output.result).toEqual(route.body.root);
    });

    it('pauses in dry run what the routes allow, refuses what they refuse', async () => {
      const before = await live(ALPHA);
      const dry = await invoke('pause-crossplane-resource', {
        cluster: CLUSTER.name,
        ...ALPHA,
        dryRun: true,
      });
      expect(dry.status).toBe(200);
      expect(dry.body.output.result).toMatchObject({
        operation: 'pause',
        dryRun: true,
      });
      expect((await live(ALPHA)).metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );

      const betaBefore = await live(BETA);
      const refused = await invoke('pause-crossplane-resource', {
        cluster: CLUSTER.name,
        ...BETA,
      });
      expect(refused.status).toBe(403);
      expect((await live(BETA)).metadata.resourceVersion).toBe(
        betaBefore.metadata.resourceVersion,
      );
      const tree = await invoke('get-crossplane-resource-tree', {
        cluster: CLUSTER.name,
        ...BETA,
      });
      expect(tree.status).toBe(403);
    });

    it("previews a delete and reads the timeline of alice's claim; refuses team-beta's", async () => {
      const impact = await invoke('preview-crossplane-deletion', {
        cluster: CLUSTER.name,
        ...ALPHA,
      });
      expect(impact.status).toBe(200);
      expect(impact.body.output.result.items[0].object).toMatchObject({
        kind: ALPHA.kind,
        name: ALPHA.name,
      });
      expect(impact.body.output.result.items.length).toBeGreaterThan(1);

      const history = await invoke('get-crossplane-resource-timeline', {
        cluster: CLUSTER.name,
        ...ALPHA,
      });
      expect(history.status).toBe(200);
      const audited = history.body.output.result.filter(
        (e: { source: string; actor?: string }) =>
          e.source === 'audit' && e.actor === ALICE,
      );
      expect(audited.length).toBeGreaterThanOrEqual(3);

      const form = await invoke('get-crossplane-edit-form', {
        cluster: CLUSTER.name,
        ...ALPHA,
      });
      expect(form.status).toBe(200);
      const { values } = form.body.output.result;
      expect(values.parameters).toMatchObject({ region: 'eu-west-1' });
      const edit = await invoke('edit-crossplane-resource', {
        cluster: CLUSTER.name,
        ...ALPHA,
        values: {
          ...values,
          parameters: { ...values.parameters, region: 'eu-central-1' },
        },
        dryRun: true,
      });
      expect(edit.status).toBe(200);
      expect(edit.body.output.result).toMatchObject({
        dryRun: true,
        changed: true,
        applied: false,
      });
      expect(edit.body.output.result.diff).toContain('+');
      expect(edit.body.output.result.diff).toContain('eu-central-1');

      const betaBefore = await live(BETA);
      for (const [action, extra] of [
        ['get-crossplane-edit-form', {}],
        ['edit-crossplane-resource', { values: {}, dryRun: true }],
        ['preview-crossplane-deletion', {}],
        ['delete-crossplane-resource', { confirm: BETA.name }],
        ['get-crossplane-resource-timeline', {}],
      ] as const) {
        const res = await invoke(action, {
          cluster: CLUSTER.name,
          ...BETA,
          ...extra,
        });
        expect({ action, status: res.status }).toEqual({ action, status: 403 });
      }
      const upgrade = await invoke('upgrade-crossplane-resources', {
        objects: [{ cluster: CLUSTER.name, ...BETA }],
      });
      expect(upgrade.body.output.result[0]).toMatchObject({
        outcome: 'refused',
      });
      const betaAfter = await live(BETA);
      expect(betaAfter.metadata.resourceVersion).toBe(
        betaBefore.metadata.resourceVersion,
      );
      expect(betaAfter.metadata.deletionTimestamp).toBeUndefined();
    });

    it('answers 400 naming the field for a bad name', async () => {
      const res = await invoke('get-crossplane-resource-yaml', {
        cluster: CLUSTER.name,
        ...ALPHA,
        name: 'Day2-Alpha-Bucket',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^name: /);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.[jt]s:\d+/);
    });
  });
});
