/*
 * Composition revision upgrades and the object timeline, on both Crossplane
 * lines: a v1 claim (itest) and a v2 namespaced XR (itest3), behind real
 * auth and the real permission backend, with the portal's own cluster
 * identity.
 *
 * Each line brings its own Composition (a name per run, one NopResource
 * carrying a `release` field) and two roots with a Manual update policy
 * pinned to its first revision (`upg-alpha-db` in team-alpha,
 * `upg-beta-db` in team-beta), then changes the Composition so that a
 * second revision appears; all are removed at the end. Users: alice acts
 * on Crossplane objects in team-alpha only; carol reads everything and
 * acts on nothing.
 */
import {
  compositeInfo,
  getCondition,
  type CrossplaneRevisionLag,
  type CrossplaneTimelineEntry,
  type CrossplaneUpgradeStep,
  crossplaneUpgradePermission,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import {
  COMPOSITION_NAME_LABEL,
  KubernetesClusterClient,
} from '@platformops/plugin-crossplane-node';
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
import { startStatusBackend } from '../__testUtils__/startStatusBackend';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';
const REVISIONS = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositionRevision',
};
/**
 * A name of its own per run: the revisions of a Composition deleted by an
 * earlier run go with the garbage collector, not at once.
 */
const RUN = Date.now().toString(36);

type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
};

/** What differs between the lines: the root, its Composition, its children. */
interface Line {
  title: string;
  cluster: ControlPlaneInstance;
  /** The kind the upgrade moves: a claim on v1, a namespaced XR on v2. */
  root: { apiVersion: string; kind: string };
  objectClass: 'claim' | 'composite';
  composition(name: string, release: string): KubernetesObject;
  /** The root, pinned to `revision` of `composition`. */
  rootObject(o: ObjectName, composition: string, revision: string): object;
  /** The NopResources that may have been composed for `o`. */
  composed(
    admin: KubernetesClusterClient,
    o: ObjectName,
  ): Promise<KubernetesObject | undefined>;
}

const nopResource = (apiVersion: string, release: string) => ({
  apiVersion,
  kind: 'NopResource',
  spec: {
    forProvider: {
      conditionAfter: [
        { time: '1s', conditionType: 'Ready', conditionStatus: 'True' },
      ],
      fields: { release },
    },
  },
});

const V1: Line = {
  title: 'a v1 claim (itest)',
  cluster: ITEST,
  root: {
    apiVersion: 'database.platformops.io/v1alpha1',
    kind: 'PostgreSQLInstance',
  },
  objectClass: 'claim',
  composition: (name, release) => ({
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name, labels: { 'platformops.io/test': 'upg' } },
    spec: {
      compositeTypeRef: {
        apiVersion: 'database.platformops.io/v1alpha1',
        kind: 'XPostgreSQLInstance',
      },
      mode: 'Resources',
      resources: [
        {
          name: 'instance',
          base: nopResource('nop.crossplane.io/v1alpha1', release),
        },
      ],
    },
  }),
  rootObject: (o, composition, revision) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      parameters: { version: '16', storage: { sizeGB: 10 } },
      compositionRef: { name: composition },
      compositionUpdatePolicy: 'Manual',
      compositionRevisionRef: { name: revision },
    },
  }),
  composed: async (admin, o) => {
    const { items } = await admin.list(
      'nop.crossplane.io/v1alpha1',
      'NopResource',
      {
        labelSelector: `crossplane.io/claim-name=${o.name},crossplane.io/claim-namespace=${o.namespace}`,
      },
    );
    return items[0];
  },
};

const V2: Line = {
  title: 'a v2 namespaced XR (itest3)',
  cluster: ITEST3,
  root: { apiVersion: 'apps.platformops.io/v1alpha1', kind: 'AppDatabase' },
  objectClass: 'composite',
  composition: (name, release) => ({
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name, labels: { 'platformops.io/test': 'upg' } },
    spec: {
      compositeTypeRef: {
        apiVersion: 'apps.platformops.io/v1alpha1',
        kind: 'AppDatabase',
      },
      mode: 'Pipeline',
      pipeline: [
        {
          step: 'render',
          functionRef: { name: 'function-template' },
          input: {
            apiVersion: 'template.fn.platformops.dev/v1alpha1',
            kind: 'Input',
            resources: [
              {
                name: 'instance',
                template: [
                  'apiVersion: nop.m.crossplane.io/v1alpha1',
                  'kind: NopResource',
                  'spec:',
                  '  forProvider:',
                  '    conditionAfter:',
                  '      - time: 1s',
                  '        conditionType: Ready',
                  "        conditionStatus: 'True'",
                  '    fields:',
                  `      release: '${release}'`,
                ].join('\n'),
              },
            ],
          },
        },
        { step: 'auto-ready', functionRef: { name: 'function-auto-ready' } },
      ],
    },
  }),
  rootObject: (o, composition, revision) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { 'platformops.io/owner': o.namespace },
    },
    spec: {
      parameters: { engine: 'postgres', storageGB: 10 },
      crossplane: {
        compositionRef: { name: composition },
        compositionUpdatePolicy: 'Manual',
        compositionRevisionRef: { name: revision },
      },
    },
  }),
  composed: async (admin, o) => {
    const { items } = await admin.list(
      'nop.m.crossplane.io/v1alpha1',
      'NopResource',
      { namespace: o.namespace },
    );
    return items.find(
      mr => mr.metadata.labels?.['crossplane.io/composite'] === o.name,
    );
  },
};

describe.each([V1, V2])(
  'Composition revision upgrades and timelines: $title',
  line => {
    const CLUSTER = line.cluster;
    const COMPOSITION = `upg-${line.cluster.crossplane ?? 'v1'}-${RUN}`;
    const ALPHA: ObjectName = {
      ...line.root,
      namespace: 'team-alpha',
      name: 'upg-alpha-db',
    };
    const BETA: ObjectName = {
      ...line.root,
      namespace: 'team-beta',
      name: 'upg-beta-db',
    };
    let backend: Awaited<ReturnType<typeof startStatusBackend>>;
    let admin: KubernetesClusterClient;
    const identity = createIdentityProvider();
    const log = capturingRootLogger();
    let api: PortalClient;
    let revision1 = '';
    let revision2 = '';

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

    const upgrades = async (user: string): Promise<CrossplaneRevisionLag[]> => {
      const res = await call(user, 'GET', `upgrades?cluster=${CLUSTER.name}`);
      expect(res.status).toBe(200);
      return res.body.items.filter((i: CrossplaneRevisionLag) =>
        i.object.name.startsWith('upg-'),
      );
    };
    const upgrade = (user: string, objects: ObjectName[], dryRun?: boolean) =>
      call(user, 'POST', 'upgrade', {
        objects: objects.map(o => ({ cluster: CLUSTER.name, ...o })),
        dryRun,
      });
    const timeline = (user: string, o: ObjectName) =>
      call(
        user,
        'GET',
        `timeline?${new URLSearchParams({ cluster: CLUSTER.name, ...o })}`,
      );
    /** The revision the cluster has the XR on. */
    const revisionOf = async (o: ObjectName) =>
      compositeInfo((await admin.get(o))!).compositionRevisionRef?.name;

    /** The revision of the Composition with this number, once it exists. */
    const revisionNumbered = (n: number) =>
      waitFor(`revision ${n} of ${COMPOSITION}`, async () => {
        const { items } = await admin.list(
          REVISIONS.apiVersion,
          REVISIONS.kind,
          {
            labelSelector: `${COMPOSITION_NAME_LABEL}=${COMPOSITION}`,
          },
        );
        return items.find(r => (r.spec as { revision?: number }).revision === n)
          ?.metadata.name;
      });

    async function createRoot(o: ObjectName) {
      await admin.apply(
        line.rootObject(o, COMPOSITION, revision1) as KubernetesObject,
        { fieldManager: 'upgrade-test', force: true },
      );
    }

    const ready = (o: ObjectName) => waitForReady(admin, o);

    beforeAll(async () => {
      const cp = connectControlPlane(CLUSTER);
      admin = cp.admin;
      await admin.apply(line.composition(COMPOSITION, '1'), {
        fieldManager: 'upgrade-test',
        force: true,
      });
      revision1 = await revisionNumbered(1);
      await createRoot(ALPHA);
      await createRoot(BETA);
      await ready(ALPHA);
      await ready(BETA);
      await admin.apply(line.composition(COMPOSITION, '2'), {
        fieldManager: 'upgrade-test',
        force: true,
      });
      revision2 = await revisionNumbered(2);

      backend = await startStatusBackend({
        cluster: cp.backstageCluster,
        policy: teamNamespacePolicy({
          moduleId: 'upgrade-test-policy',
          namespaces: { [ALICE]: ['team-alpha'] },
          readers: [CAROL],
        }),
        identity,
        features: [log.factory],
      });
      api = portalClient({ port: backend.server.port(), identity });
      await api.waitForSync(CAROL);
    });

    afterAll(async () => {
      await backend?.stop();
      for (const xr of [ALPHA, BETA]) {
        await admin?.delete(xr).catch(() => undefined);
      }
      await waitFor(
        'the test objects to be gone',
        async () =>
          (await admin.get(ALPHA)) || (await admin.get(BETA))
            ? undefined
            : true,
        120_000,
      ).catch(() => undefined);
      await admin
        ?.delete({
          apiVersion: 'apiextensions.crossplane.io/v1',
          kind: 'Composition',
          name: COMPOSITION,
        })
        .catch(() => undefined);
    });

    it('lists the roots behind their Composition, only those the caller may read', async () => {
      const lag = (o: ObjectName) => ({
        object: { cluster: CLUSTER.name, ...o },
        objectClass: line.objectClass,
        composition: COMPOSITION,
        currentRevision: revision1,
        latestRevision: revision2,
        // Crossplane may briefly report a busy XR as Degraded (watch circuit).
        health: expect.objectContaining({ status: expect.any(String) }),
      });
      const all = await waitFor('both roots in /upgrades', async () => {
        const items = await upgrades(CAROL);
        return items.length === 2 ? items : undefined;
      });
      expect(all).toEqual(expect.arrayContaining([lag(ALPHA), lag(BETA)]));
      expect(await upgrades(ALICE)).toEqual([lag(ALPHA)]);
    });

    it('answers a bad request with a 400 naming the field', async () => {
      const res = await call(ALICE, 'POST', 'upgrade', {
        objects: [{ cluster: CLUSTER.name, ...ALPHA, name: 'Not A Name' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^objects\[0\]\.name: /);
      const empty = await call(ALICE, 'POST', 'upgrade', { objects: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/^objects: /);
    });

    it('changes nothing in a dry run', async () => {
      const res = await upgrade(ALICE, [ALPHA], true);
      expect(res.status).toBe(200);
      expect(res.body.steps).toEqual([
        {
          object: { cluster: CLUSTER.name, ...ALPHA },
          from: revision1,
          to: revision2,
          outcome: 'upgraded',
          message: expect.stringContaining('dry run'),
        },
      ]);
      expect(await revisionOf(ALPHA)).toBe(revision1);
    });

    it('refuses a user without the permission, changing nothing', async () => {
      const res = await upgrade(CAROL, [ALPHA]);
      expect(res.body.steps).toEqual([
        {
          object: { cluster: CLUSTER.name, ...ALPHA },
          outcome: 'refused',
          message: `${crossplaneUpgradePermission.name}: not allowed for ${
            line.root.kind
          }.${
            line.root.apiVersion.split('/')[0]
          } team-alpha/upg-alpha-db in cluster ${CLUSTER.name}`,
        },
      ]);
      expect(await revisionOf(ALPHA)).toBe(revision1);
    });

    it('skips a refused object and moves the next to the new revision, Ready again', async () => {
      const started = Date.now();
      const res = await upgrade(ALICE, [BETA, ALPHA]);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(200);
      const steps: CrossplaneUpgradeStep[] = res.body.steps;
      expect(steps.map(s => [s.object.name, s.outcome])).toEqual([
        [BETA.name, 'refused'],
        [ALPHA.name, 'upgraded'],
      ]);
      expect(steps[1]).toMatchObject({ from: revision1, to: revision2 });
      expect(await revisionOf(BETA)).toBe(revision1);
      const alpha = await admin.get(ALPHA);
      expect(compositeInfo(alpha!).compositionRevisionRef?.name).toBe(
        revision2,
      );
      expect(getCondition(alpha, 'Ready')?.status).toBe('True');
      expect(getCondition(alpha, 'Synced')?.status).toBe('True');
      // The composed resource is rendered by the new revision.
      const composed = await waitFor(
        'the composed resource of release 2',
        async () => {
          const mr = await line.composed(admin, ALPHA);
          const release = (
            mr?.spec as { forProvider?: { fields?: { release?: string } } }
          )?.forProvider?.fields?.release;
          return release === '2' ? mr : undefined;
        },
      );
      expect(composed).toBeDefined();
      // eslint-disable-next-line no-console
      console.log(
        `upgrade of ${line.title} to Ready on ${revision2}: ${elapsed} ms`,
      );

      const left = await waitFor(
        'the upgraded root to leave /upgrades',
        async () => {
          const lagging = await upgrades(CAROL);
          return lagging.length === 1 ? lagging : undefined;
        },
      );
      expect(left.map(i => i.object.name)).toEqual([BETA.name]);
    });

    it('shows the audit records in the timeline with events and field managers, newest first', async () => {
      const res = await timeline(ALICE, ALPHA);
      expect(res.status).toBe(200);
      const items: CrossplaneTimelineEntry[] = res.body.items;
      const audit = items.filter(i => i.source === 'audit');
      // carol's refused attempt is the auditor's record, not the XR's history.
      expect(audit.map(i => [i.actor, i.summary, i.outcome])).toEqual([
        [ALICE, 'upgrade succeeded', 'succeeded'],
        [ALICE, 'upgrade (dry run) succeeded', 'succeeded'],
      ]);
      expect(items.some(i => i.source === 'event')).toBe(true);
      expect(
        items.find(
          i => i.source === 'field-manager' && i.actor === 'platformops',
        ),
      ).toMatchObject({ summary: 'platformops updated spec' });
      expect(
        items.find(
          i => i.source === 'field-manager' && i.actor === 'upgrade-test',
        ),
      ).toBeDefined();
      const times = items.map(i => Date.parse(i.time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      // The refused attempt did nothing to the other XR: it is the auditor's
      // record, not part of that XR's history.
      const beta = await timeline(CAROL, BETA);
      expect(
        beta.body.items.filter(
          (i: CrossplaneTimelineEntry) => i.source === 'audit',
        ),
      ).toEqual([]);
      // ... and not for alice, who may not read it: as if it did not exist.
      const hidden = await timeline(ALICE, BETA);
      const missing = await timeline(ALICE, {
        ...BETA,
        name: 'upg-no-such-db',
      });
      expect(hidden.status).toBe(403);
      expect(missing.status).toBe(403);
    });

    it('still hands every upgrade to the auditor', () => {
      const upgradeEvents = log.lines.filter(
        entry =>
          entry.includes('"isAuditEvent":true') &&
          entry.includes('"eventId":"upgrade"') &&
          entry.includes(ALPHA.name),
      );
      expect(upgradeEvents.some(l => l.includes('"status":"succeeded"'))).toBe(
        true,
      );
    });
  },
);
