/* eslint-disable no-console */
/*
 * Benchmark: the roll-up of a System of 50 services at 10 000 objects.
 *
 *   cd /work/main && node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/crossplane-backend/bench/rollup.ts [services] [objects]
 *
 * One in-memory cluster read through the real watch cache, StatusService
 * and the suite's three status sources. Each of the System's services
 * (default 50) runs a Deployment with 3 pods (one service in ten
 * crash-looping) and a CronJob with 3 runs (one in five failing), and
 * depends on 2 claims (claim -> composite -> 3 managed resources), so 50
 * services are 900 objects; claims of other teams fill the cluster up to
 * the total (default 10 000). The catalog is in memory. Prints the time of
 * GET /rollup's work (the service call and JSON serialisation) for the
 * System and for one service: the first call, which builds the cluster's
 * view, then (after 5 to warm up) the median of 21 more.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  ClusterObjectCache,
  readEntityMapping,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import { demoCluster } from '../src/__fixtures__/demoCluster';
import { claimTree } from './claimTree';
import { ObjectAuthorizer } from '../src/service/ObjectAuthorizer';
import { createRollupService } from '../src/service/rollup/createRollupService';
import { StatusService } from '../src/service/StatusService';

const SERVICES = Number(process.argv[2] ?? 50);
const OBJECTS = Number(process.argv[3] ?? 10_000);
const RUNS = 21;
const CLUSTER = 'east';
const NOW = Date.now();

/** A claim with its composite (`<name>-x`) and 3 managed resources. */
const claimOf = (name: string, namespace: string, broken: boolean) =>
  claimTree(name, namespace, `${name}-x`, broken);

const iso = (agoMs: number) =>
  new Date(NOW - agoMs).toISOString().replace(/\.\d+Z$/, 'Z');

/** A service's Deployment, 3 pods, CronJob and 3 runs: 8 objects. */
function workloads(service: string, namespace: string, i: number) {
  const labels = { 'backstage.io/kubernetes-id': service };
  const objects: KubernetesObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: service, namespace, labels, generation: 1 },
      spec: { replicas: 3, selector: { matchLabels: { app: service } } },
      status: { observedGeneration: 1, readyReplicas: i % 10 ? 3 : 2 },
    },
  ];
  for (let p = 0; p < 3; p++) {
    const crashing = i % 10 === 0 && p === 0;
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${service}-7d9c-${p}`,
        namespace,
        labels: { app: service, ...labels },
      },
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: crashing ? 'False' : 'True' }],
        containerStatuses: [
          {
            name: 'app',
            ready: !crashing,
            restartCount: crashing ? 14 : 0,
            state: crashing
              ? { waiting: { reason: 'CrashLoopBackOff' } }
              : { running: {} },
          },
        ],
      },
    });
  }
  const uid = `cron-${service}`;
  objects.push({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: `${service}-nightly`, namespace, uid, labels },
    spec: { schedule: '0 3 * * *' },
  });
  for (let r = 0; r < 3; r++) {
    const failed = i % 5 === 0 && r === 0;
    objects.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${service}-nightly-${r}`,
        namespace,
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: `${service}-nightly`,
            uid,
          },
        ],
      },
      status: {
        startTime: iso((r + 1) * 86_400_000),
        conditions: [
          {
            type: failed ? 'Failed' : 'Complete',
            status: 'True',
            lastTransitionTime: iso((r + 1) * 86_400_000 - 60_000),
          },
        ],
      },
    });
  }
  return objects;
}

function claimEntity(name: string, namespace: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${name}.${namespace}`,
      namespace: 'default',
      annotations: {
        'platformops.io/cluster': CLUSTER,
        'platformops.io/api-version': 'database.example.org/v1alpha1',
        'platformops.io/kind': 'PostgreSQLInstance',
        'platformops.io/namespace': namespace,
        'platformops.io/name': name,
      },
    },
  };
}

function world() {
  const objects = demoCluster.filter(o =>
    ['CustomResourceDefinition', 'CompositeResourceDefinition'].includes(
      o.kind,
    ),
  );
  const entities: Entity[] = [];
  const parts: string[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const service = `svc-${i}`;
    const namespace = `shop-${i % 10}`;
    const dbs = [`${service}-db`, `${service}-cache`];
    objects.push(...workloads(service, namespace, i));
    dbs.forEach((db, j) =>
      objects.push(...claimOf(db, namespace, i % 20 === 0 && j === 0)),
    );
    dbs.forEach(db => entities.push(claimEntity(db, namespace)));
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: service,
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': service },
      },
      relations: dbs.map(db => ({
        type: 'dependsOn',
        targetRef: `component:default/${db}.${namespace}`,
      })),
    });
    parts.push(`component:default/${service}`);
  }
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'default' },
    relations: parts.map(targetRef => ({ type: 'hasPart', targetRef })),
  });
  for (let i = 0; objects.length + 5 <= OBJECTS; i++) {
    objects.push(...claimOf(`other-${i}`, `team-${i % 40}`, i % 20 === 0));
  }
  return { objects, entities };
}

const quietLogger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
} as any;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  JSON.stringify(await run());
  return performance.now() - start;
}

async function main() {
  const { objects, entities } = world();
  const client = new InMemoryClusterClient(CLUSTER, objects);
  const cache = new ClusterObjectCache({ client, logger: quietLogger });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () => cache.status().synced || undefined,
    600_000,
  );
  const objectCache = { start() {}, caches: () => [cache], cache: () => cache };
  const status = new StatusService({
    cache: objectCache,
    clusters: new StaticCrossplaneClusters([client]),
    mapping: readEntityMapping(new ConfigReader({})),
  });
  // Every object readable: the per-object check still runs.
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  const authorizer = new ObjectAuthorizer({
    permissions: { authorize: allow, authorizeConditional: allow } as any,
    rules: { getRuleByName: () => undefined } as any,
    subjects: status.subjects,
  });
  const rollups = createRollupService({
    catalog: new InMemoryCatalogClient({
      entities,
    }) as unknown as CatalogService,
    cache: objectCache,
    status,
    authorizer,
    logger: quietLogger,
    added: [],
  });
  const credentials = {} as BackstageCredentials;

  const system = () => rollups.rollup('system:default/shop', credentials);
  const service = () => rollups.rollup('component:default/svc-0', credentials);
  const first = await time(system);
  // Warm up, as a running backend is, before measuring.
  for (let i = 0; i < 5; i++) await time(system);
  const systemTimes = [];
  for (let i = 0; i < RUNS; i++) systemTimes.push(await time(system));
  const serviceTimes = [];
  for (let i = 0; i < RUNS; i++) serviceTimes.push(await time(service));
  const result = await system();
  cache.stop();

  console.log(
    `roll-up of a System of ${SERVICES} services at ${objects.length} objects (${result.members?.length} members, ${result.health.status}: ${result.health.message}); median of ${RUNS}`,
  );
  console.log(`first call (builds the view)   ${first.toFixed(0)} ms`);
  console.log(
    `System                         ${median(systemTimes).toFixed(1)} ms`,
  );
  console.log(
    `one service                    ${median(serviceTimes).toFixed(1)} ms`,
  );
  console.log(
    `heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
