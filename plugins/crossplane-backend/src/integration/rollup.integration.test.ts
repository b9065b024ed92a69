/*
 * A service's roll-up on the local control plane (itest, Crossplane v1,
 * with kube-scheduler and kwok's simulated nodes), behind real auth, the
 * real permission backend and the real catalog with the PlatformOps
 * module: the suite's status sources (Crossplane resources, workloads,
 * jobs) and two added by modules (the README's CI runs example against a
 * local HTTP server, and one that always fails).
 *
 * Users (the test's policy): alice reads Crossplane objects in namespaces
 * rollup-it and team-alpha only; carol reads every one; mallory may read
 * no catalog entity and no Crossplane object. The test's objects live in
 * namespaces rollup-it and rollup-it-hidden, removed at the end; the
 * demo's claims payments-db (healthy, team-alpha) and analytics-db (quota
 * exceeded, team-beta) are only read.
 *
 * The same roll-up on Crossplane v2 (itest3): services that depend on the
 * demo-v2's namespaced XRs of the same names, only read.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  compareHealth,
  type EntityRollup,
  type KubernetesObject,
  type StatusSourceResult,
} from '@platformops/plugin-crossplane-common';
import {
  crossplaneStatusSourcesExtensionPoint,
  KubernetesClusterClient,
} from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { crossplaneModuleCiRuns } from '../__testUtils__/ciRunsStatusSource';
import { waitUntilNotDeleting } from '../__testUtils__/clusterWaits';
import {
  connectControlPlane,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import {
  dependsOnRef,
  V2_FAILING as FAILING,
  V2_HEALTHY as HEALTHY,
} from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';
const MALLORY = 'user:default/mallory';
const NS = 'rollup-it';
const HIDDEN_NS = 'rollup-it-hidden';
const FIELD_MANAGER = 'rollup-test';

const API = 'component:default/rollup-it-api';
const WORKER = 'component:default/rollup-it-worker';
const SYSTEM = 'system:default/rollup-it';
const TEAM = 'group:default/rollup-it-team';
const claimRef = (namespace: string, name: string) =>
  dependsOnRef(CLUSTER.name, {
    apiVersion: 'database.platformops.io/v1alpha1',
    kind: 'PostgreSQLInstance',
    namespace,
    name,
  });

const policyModule = teamNamespacePolicy({
  moduleId: 'rollup-test-policy',
  namespaces: { [ALICE]: [NS, 'team-alpha'] },
  readers: [CAROL],
  refused: [MALLORY],
});

/** A module whose source always fails: the others must still answer. */
const brokenSourceModule = createBackendModule({
  pluginId: 'crossplane',
  moduleId: 'broken-source',
  register(env) {
    env.registerInit({
      deps: {
        sources: crossplaneStatusSourcesExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ sources }) {
        sources.addStatusSource({
          id: 'incidents',
          title: 'Incidents',
          async signalsFor() {
            throw new Error('incident service unreachable');
          },
        });
      },
    });
  },
});

function component(
  name: string,
  annotations: Record<string, string>,
  system = 'rollup-it',
): object {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: TEAM,
      system,
    },
  };
}

const ENTITIES = [
  component('rollup-it-api', {
    'backstage.io/kubernetes-id': 'rollup-it-api',
    'platformops.io/depends-on': claimRef('team-alpha', 'payments-db'),
  }),
  component('rollup-it-worker', {
    'platformops.io/depends-on': claimRef('team-beta', 'analytics-db'),
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'rollup-it' },
    spec: { owner: TEAM },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'rollup-it-team' },
    spec: { type: 'team', children: [] },
  },
];

function deployment(
  namespace: string,
  name: string,
  replicas: number,
  simulate?: 'crashloop',
): KubernetesObject {
  const labels = {
    app: name,
    'backstage.io/kubernetes-id': 'rollup-it-api',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: {
            ...labels,
            ...(simulate ? { 'platformops.io/simulate': simulate } : {}),
          },
        },
        spec: {
          containers: [{ name: 'api', image: 'registry.example.com/api:1' }],
        },
      },
    },
  };
}

const failingJob: KubernetesObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'rollup-it-migrate',
    namespace: NS,
    labels: { 'backstage.io/kubernetes-id': 'rollup-it-api' },
  },
  spec: {
    backoffLimit: 0,
    template: {
      metadata: {
        labels: {
          'backstage.io/kubernetes-id': 'rollup-it-api',
          'platformops.io/simulate': 'fail',
        },
      },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'migrate', image: 'registry.example.com/migrate:1' },
        ],
      },
    },
  },
};

const sourceOf = (rollup: EntityRollup, id: string): StatusSourceResult =>
  rollup.sources.find(s => s.id === id)!;

/** The roll-up routes as users call them. */
function rollupRoutes(api: () => PortalClient) {
  const get = async (user: string, path: string) => {
    const { status, body } = await api().get(user, `crossplane/${path}`);
    return { status, body };
  };
  const rollupOf = async (user: string, entityRef: string) => {
    const { status, body } = await get(
      user,
      `rollup?entityRef=${encodeURIComponent(entityRef)}`,
    );
    // The body in the failure says why.
    expect({ status, body }).toMatchObject({ status: 200 });
    return body as EntityRollup;
  };
  /** Waits until the catalog has processed a service's dependency. */
  const dependencyProcessed = (user: string, entityRef: string) =>
    waitFor(
      `${entityRef} to depend on its Crossplane resource`,
      async () => {
        const { status, body } = await get(
          user,
          `rollup?entityRef=${encodeURIComponent(entityRef)}`,
        );
        return status === 200 &&
          sourceOf(body, 'crossplane')?.signals.length > 0
          ? true
          : undefined;
      },
      180_000,
    );
  return { get, rollupOf, dependencyProcessed };
}

describe('Roll-up of a service on the local control plane (itest)', () => {
  let portal: Awaited<ReturnType<typeof startPortalBackend>>;
  let requests: PortalClient;
  let admin: KubernetesClusterClient;
  let ci: http.Server;
  let hasNodes = false;
  const identity = createIdentityProvider();
  const { get, rollupOf, dependencyProcessed } = rollupRoutes(() => requests);

  const apply = (object: KubernetesObject) =>
    admin.apply(object, { fieldManager: FIELD_MANAGER, force: true });

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    hasNodes = (await admin.list('v1', 'Node')).items.length > 0;
    const namespaceAlive = async (name: string) => {
      const namespace = { apiVersion: 'v1', kind: 'Namespace', name };
      await waitUntilNotDeleting(admin, namespace);
      await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    };
    await namespaceAlive(NS);
    await namespaceAlive(HIDDEN_NS);

    // The CI server: the api's last deploy run failed an hour ago.
    ci = http.createServer((req, res) => {
      const entity = new URL(req.url!, 'http://ci').searchParams.get('entity');
      const runs =
        entity === API
          ? [
              {
                id: '42',
                pipeline: 'deploy',
                status: 'failed',
                at: new Date(Date.now() - 3600_000).toISOString(),
                url: 'https://ci.example.com/runs/42',
                message: 'smoke test: GET /health answered 503',
              },
            ]
          : [];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(runs));
    });
    await new Promise<void>(resolve => ci.listen(0, resolve));

    portal = await startPortalBackend({
      name: 'rollup',
      cluster: cp.backstageCluster,
      entities: ENTITIES,
      policy: policyModule,
      identity,
      features: [crossplaneModuleCiRuns, brokenSourceModule],
      config: {
        ci: {
          baseUrl: `http://localhost:${(ci.address() as AddressInfo).port}`,
        },
      },
    });
    requests = portalClient({ port: portal.backend.server.port(), identity });
    // The catalog has processed the annotation once the claim's entity
    // exists: its roll-up then names the failing database.
    await dependencyProcessed(CAROL, WORKER);
  });

  afterAll(async () => {
    await portal?.stop();
    await new Promise(resolve => (ci ? ci.close(resolve) : resolve(null)));
    for (const name of [NS, HIDDEN_NS]) {
      await admin
        ?.delete({ apiVersion: 'v1', kind: 'Namespace', name })
        .catch(() => undefined);
    }
  });

  it('rolls the Crossplane resources a service depends on up, named in the cause, only those the user may read', async () => {
    const worker = await rollupOf(CAROL, WORKER);
    const crossplane = sourceOf(worker, 'crossplane');
    expect(crossplane.signals).toEqual([
      expect.objectContaining({
        name: 'PostgreSQLInstance analytics-db',
        health: expect.objectContaining({
          status: 'Degraded',
          reason: 'QuotaExceeded',
        }),
        details: expect.objectContaining({
          cluster: CLUSTER.name,
          namespace: 'team-beta',
        }),
      }),
    ]);
    expect(worker.health.status).toBe('Degraded');
    expect(worker.health.message).toMatch(
      /^Degraded because PostgreSQLInstance analytics-db: .*quota/i,
    );
    expect(worker.cause?.entityRef).toMatch(
      /^component:default\/analytics-db\./,
    );

    // alice may not read team-beta: the claim is not there for her.
    const hidden = await rollupOf(ALICE, WORKER);
    expect(sourceOf(hidden, 'crossplane').signals).toEqual([]);
    expect(JSON.stringify(hidden)).not.toContain('analytics-db');

    const api = await rollupOf(ALICE, API);
    expect(sourceOf(api, 'crossplane').signals).toEqual([
      expect.objectContaining({
        name: 'PostgreSQLInstance payments-db',
        health: expect.objectContaining({ status: 'Healthy' }),
      }),
    ]);
  });

  it("shows a module's signals, and a failing module's error beside the others' answers", async () => {
    const api = await rollupOf(ALICE, API);
    expect(sourceOf(api, 'ci-runs')).toMatchObject({
      title: 'CI runs',
      health: { status: 'Degraded' },
      signals: [
        {
          source: 'ci-runs',
          name: 'deploy #42',
          event: true,
          link: 'https://ci.example.com/runs/42',
          health: {
            status: 'Degraded',
            message: 'smoke test: GET /health answered 503',
          },
        },
      ],
    });
    expect(sourceOf(api, 'incidents')).toMatchObject({
      health: { status: 'Unknown' },
      error: 'incident service unreachable',
      signals: [],
    });
    expect(sourceOf(api, 'crossplane').error).toBeUndefined();
    expect(api.sources.map(s => s.id).sort()).toEqual([
      'ci-runs',
      'crossplane',
      'incidents',
      'jobs',
      'workloads',
    ]);
  });

  it("changes within seconds when a Deployment's pods become Running", async () => {
    if (!hasNodes) {
      // eslint-disable-next-line no-console
      console.warn(
        'SKIPPED: itest has no nodes (kubectl get nodes is empty): no pod can run',
      );
      return;
    }
    const before = sourceOf(await rollupOf(ALICE, API), 'workloads');
    expect(before).toMatchObject({
      health: { reason: 'NoSignals' },
      signals: [],
    });
    const started = Date.now();
    await apply(deployment(NS, 'rollup-it-api', 2));
    const workloads = await waitFor(
      'the Deployment and its 2 pods to be Healthy in the roll-up',
      async () => {
        const source = sourceOf(await rollupOf(ALICE, API), 'workloads');
        const pods = source.signals.filter(s => s.name.startsWith('Pod '));
        return pods.length === 2 && source.health.status === 'Healthy'
          ? source
          : undefined;
      },
    );
    const seconds = (Date.now() - started) / 1000;
    // eslint-disable-next-line no-console
    console.log(
      `pods Running in the roll-up ${seconds.toFixed(1)} s after the apply`,
    );
    expect(seconds).toBeLessThan(30);
    expect(workloads.signals[0]).toMatchObject({
      name: 'Deployment rollup-it-api',
      details: { ready: '2/2', namespace: NS },
    });
    for (const pod of workloads.signals.slice(1)) {
      expect(pod).toMatchObject({
        health: { status: 'Healthy', reason: 'Running' },
        details: { ready: '1/1', restarts: '0' },
      });
    }
  });

  it('turns Degraded with the crash-looping pod named, and never shows a pod of a namespace the user may not read', async () => {
    if (!hasNodes) {
      // eslint-disable-next-line no-console
      console.warn('SKIPPED: itest has no nodes: no pod can crash-loop');
      return;
    }
    const started = Date.now();
    await apply(deployment(NS, 'rollup-it-api-canary', 1, 'crashloop'));
    await apply(deployment(HIDDEN_NS, 'rollup-it-api-hidden', 1, 'crashloop'));
    const rollup = await waitFor(
      'the canary pod to crash-loop in the roll-up',
      async () => {
        const r = await rollupOf(ALICE, API);
        return r.cause?.name.startsWith('Pod rollup-it-api-canary-') &&
          r.cause.health.reason === 'CrashLoopBackOff'
          ? r
          : undefined;
      },
    );
    // eslint-disable-next-line no-console
    console.log(
      `crash loop in the roll-up ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s after the apply`,
    );
    expect(rollup.health.status).toBe('Degraded');
    expect(rollup.health.message).toMatch(
      /^Degraded because Pod rollup-it-api-canary-[a-z0-9-]+: CrashLoopBackOff \(\d+ restarts?\)/,
    );
    const workloads = sourceOf(rollup, 'workloads');
    expect(rollup.sources[0].health.status).toBe('Degraded');
    expect(workloads.signals[0].name).toMatch(/^Pod rollup-it-api-canary-/);
    expect(Number(workloads.signals[0].details?.restarts)).toBeGreaterThan(0);

    // carol sees the hidden namespace's crash loop too; alice never does.
    await waitFor('carol to see the hidden crash loop', async () => {
      const r = await rollupOf(CAROL, API);
      return sourceOf(r, 'workloads').signals.some(
        s =>
          s.details?.namespace === HIDDEN_NS &&
          s.health.reason === 'CrashLoopBackOff',
      )
        ? true
        : undefined;
    });
    const alice = sourceOf(await rollupOf(ALICE, API), 'workloads');
    expect(alice.signals.length).toBeGreaterThan(0);
    expect(alice.signals.filter(s => s.details?.namespace !== NS)).toEqual([]);
  });

  it('shows a failed Job run as an event with its time', async () => {
    if (!hasNodes) {
      // eslint-disable-next-line no-console
      console.warn('SKIPPED: itest has no nodes: no Job can run');
      return;
    }
    await apply(failingJob);
    const run = await waitFor('the failed run in the roll-up', async () => {
      const jobs = sourceOf(await rollupOf(ALICE, API), 'jobs');
      return jobs.signals.find(
        s =>
          s.name === 'Job rollup-it-migrate' && s.health.status === 'Degraded',
      );
    });
    expect(run).toMatchObject({ event: true, details: { namespace: NS } });
    expect(Date.now() - Date.parse(run.time!)).toBeLessThan(10 * 60_000);
  });

  it('rolls a System up from its services and lists systems and owners the user can see', async () => {
    const system = await rollupOf(CAROL, SYSTEM);
    expect(system.members!.map(m => m.entityRef).sort()).toEqual([API, WORKER]);
    expect(system.health.status).toBe('Degraded');
    expect(system.cause?.entityRef).toBeDefined();
    // Worst first.
    const members = system.members!;
    for (let i = 1; i < members.length; i++) {
      expect(
        compareHealth(members[i - 1].health, members[i].health),
      ).toBeGreaterThanOrEqual(0);
    }

    const owner = await rollupOf(CAROL, TEAM);
    expect(owner.members!.map(m => m.entityRef).sort()).toEqual([API, WORKER]);

    const systems = await get(CAROL, 'rollups?by=system&limit=5');
    expect(systems.status).toBe(200);
    expect(systems.body.page).toMatchObject({ offset: 0, limit: 5 });
    expect(systems.body.page.total).toBeGreaterThanOrEqual(1);
    expect(systems.body.items.map((r: EntityRollup) => r.entityRef)).toContain(
      SYSTEM,
    );
    const owners = await get(CAROL, 'rollups?by=owner&limit=20');
    expect(owners.body.items.map((r: EntityRollup) => r.entityRef)).toContain(
      TEAM,
    );
  });

  it('answers a hidden entity as it answers a missing one, and names the bad field', async () => {
    const hidden = await get(
      MALLORY,
      `rollup?entityRef=${encodeURIComponent(API)}`,
    );
    const missing = await get(
      CAROL,
      `rollup?entityRef=${encodeURIComponent(
        'component:default/rollup-it-nope',
      )}`,
    );
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body.error.name).toBe(missing.body.error.name);
    expect((await get(MALLORY, 'rollups?by=system')).body.items).toEqual([]);

    const bad = await get(CAROL, 'rollup?entityRef=rollup-it-api');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^entityRef: /);
    const badBy = await get(CAROL, 'rollups?by=everything');
    expect(badBy.status).toBe(400);
    expect(badBy.body.error.message).toMatch(/^by: /);
  });
});

describe('Roll-up of a service on Crossplane v2 (itest3)', () => {
  const V2_API = 'component:default/rollup-v2-api';
  const V2_WORKER = 'component:default/rollup-v2-worker';
  let stop: (() => Promise<void>) | undefined;
  let requests: PortalClient;
  const identity = createIdentityProvider();
  const { rollupOf, dependencyProcessed } = rollupRoutes(() => requests);

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST3);
    const portal = await startPortalBackend({
      name: 'rollup-v2',
      cluster: cp.backstageCluster,
      entities: [
        component(
          'rollup-v2-api',
          { 'platformops.io/depends-on': dependsOnRef(ITEST3.name, HEALTHY) },
          'rollup-v2',
        ),
        component(
          'rollup-v2-worker',
          { 'platformops.io/depends-on': dependsOnRef(ITEST3.name, FAILING) },
          'rollup-v2',
        ),
      ],
      policy: teamNamespacePolicy({
        moduleId: 'rollup-v2-test-policy',
        namespaces: { [ALICE]: ['team-alpha'] },
        readers: [CAROL],
      }),
      identity,
    });
    stop = portal.stop;
    requests = portalClient({ port: portal.backend.server.port(), identity });
    await dependencyProcessed(CAROL, V2_WORKER);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('rolls the namespaced XR a service depends on up, named in the cause, only for those who may read it', async () => {
    // The XR reports its quota failure a few seconds after it is created.
    const worker = await waitFor(
      'the XR to be Degraded in the roll-up',
      async () => {
        const r = await rollupOf(CAROL, V2_WORKER);
        return r.health.status === 'Degraded' ? r : undefined;
      },
    );
    expect(sourceOf(worker, 'crossplane').signals).toEqual([
      expect.objectContaining({
        name: 'AppDatabase analytics-db',
        health: expect.objectContaining({
          status: 'Degraded',
          reason: 'QuotaExceeded',
        }),
        details: expect.objectContaining({
          cluster: ITEST3.name,
          namespace: 'team-beta',
        }),
      }),
    ]);
    expect(worker.health.message).toMatch(
      /^Degraded because AppDatabase analytics-db: .*quota/i,
    );
    expect(worker.cause?.entityRef).toMatch(
      /^component:default\/analytics-db\./,
    );

    // alice may not read team-beta: the XR is not there for her.
    const hidden = await rollupOf(ALICE, V2_WORKER);
    expect(sourceOf(hidden, 'crossplane').signals).toEqual([]);
    expect(JSON.stringify(hidden)).not.toContain('analytics-db');

    const own = await rollupOf(ALICE, V2_API);
    expect(sourceOf(own, 'crossplane').signals).toEqual([
      expect.objectContaining({
        name: 'AppDatabase payments-db',
        health: expect.objectContaining({ status: 'Healthy' }),
      }),
    ]);
  });
});
