/* eslint-disable no-console */
/*
 * Benchmark: the status API's summary over many claims, whole and paged.
 *
 *   cd /work/main && node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/crossplane-backend/bench/summary.ts [claims]
 *
 * One in-memory cluster with the given number of claims (default 20 000),
 * each claim -> composite -> 3 managed resources (100 000 objects), one
 * claim in 20 failing; read through the real watch cache and ClusterView.
 * Prints the time and response size of GET /summary's work (the service
 * call and JSON serialisation) for every resource and for the control-plane
 * page's first page.
 */
import { ConfigReader } from '@backstage/config';
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
import { StatusService } from '../src/service/StatusService';
import { claimTree } from './claimTree';

const CLAIMS = Number(process.argv[2] ?? 20_000);
const RUNS = 7;

function cluster(): KubernetesObject[] {
  const objects = demoCluster.filter(o =>
    ['CustomResourceDefinition', 'CompositeResourceDefinition'].includes(
      o.kind,
    ),
  );
  for (let i = 0; i < CLAIMS; i++) {
    const name = `db-${i}`;
    objects.push(
      ...claimTree(
        name,
        `team-${i % 40}`,
        `${name}-x${i.toString(36)}`,
        i % 20 === 0,
      ),
    );
  }
  return objects;
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

function measure(run: () => unknown): { ms: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    bytes = JSON.stringify(run()).length;
    times.push(performance.now() - start);
  }
  return { ms: median(times), bytes };
}

async function main() {
  const objects = cluster();
  const client = new InMemoryClusterClient('east', objects);
  const cache = new ClusterObjectCache({
    client,
    logger: quietLogger,
    includeWorkloads: false,
  });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () => cache.status().synced || undefined,
    600_000,
  );
  const config = new ConfigReader({});
  const status = new StatusService({
    cache: { start() {}, caches: () => [cache], cache: () => cache },
    clusters: new StaticCrossplaneClusters([client]),
    mapping: readEntityMapping(config),
  });

  // Every object visible, but row by row: the work of a summary, not the
  // answer kept for callers allowed everything.
  const visible = () => true;
  const firstStart = performance.now();
  const first = status.summary({}, visible);
  const firstMs = performance.now() - firstStart;
  const all = measure(() => status.summary({}, visible));
  const page = measure(() => status.summary({}, visible, { limit: 500 }));
  const failing = measure(() =>
    status.summary({ health: ['Degraded', 'Unknown'] }, visible, {
      limit: 500,
    }),
  );
  cache.stop();

  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(
    `summary of ${CLAIMS} claims (${objects.length} objects), ${first.page.total} listed; median of ${RUNS}`,
  );
  console.log(`first call (builds the view)        ${firstMs.toFixed(0)} ms`);
  console.log(
    `every resource                      ${all.ms.toFixed(0)} ms  ${mb(
      all.bytes,
    )}`,
  );
  console.log(
    `first page (limit 500)              ${page.ms.toFixed(0)} ms  ${mb(
      page.bytes,
    )}`,
  );
  console.log(
    `failing only, first page            ${failing.ms.toFixed(0)} ms  ${mb(
      failing.bytes,
    )}`,
  );
  console.log(
    `heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
