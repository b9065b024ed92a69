/* eslint-disable no-console */
/*
 * The status backend's view of one cluster, in process, before and after a
 * change of its code, in the same run: the cluster's objects (the v1 units
 * of objects.ts) are read through the real watch cache into the status
 * service (StatusService and its ClusterView), then changes arrive as the
 * cache announces them. The "before" service is the one of a git revision
 * (`--baseline`, default: the one the incremental view replaced), written
 * out to bench/logs and loaded from there; "after" is the working tree's.
 * Each variant and size runs in a process of its own, so that peak RSS is
 * its own. Prints one table (and the raw figures as one JSON line).
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/src/statusView.ts [--sizes 10000,100000] [--baseline <rev>]
 *
 * Figures per variant and size:
 * - freshness: from the cache's event (the last object of a new claim, or a
 *   managed resource turning Degraded) until GET /tree's work answers with
 *   it, read every 2 ms as clients polling would; p50 / p95;
 * - summary first page: GET /summary's work (the service call, the JSON and
 *   its gzip where kept) for the first 500 rows, after a change, as a
 *   cluster being reconciled changes between two requests; median of 21;
 * - first build: the first summary, which builds the view from the cache;
 * - peak RSS (VmHWM) and the heap the cache takes per object it holds.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { LoggerService } from '@backstage/backend-plugin-api';
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
import { median, now, percentile, sleep } from './measure';
import {
  ALL_KINDS,
  crd,
  OBJECTS_PER_UNIT,
  unitObjects,
  unitOf,
  VERSION,
} from './objects';
import { BENCH_ROOT, REPO_ROOT } from './paths';

/** The last revision whose status view rebuilt the whole cluster on change. */
const DEFAULT_BASELINE = '221bf8c';
const SERVICE_DIR = 'plugins/crossplane-backend/src/service';
const CLUSTER = 'bench-view';
const SAMPLES = { 10_000: 40, 100_000: 16 } as Record<number, number>;
const SUMMARY_RUNS = 21;

type Variant = 'before' | 'after';

interface Figures {
  variant: Variant;
  objects: number;
  firstBuildMs: number;
  freshNewClaimMs: number[];
  freshHealthMs: number[];
  summaryPageMs: number;
  rssPeakMb: number;
  bytesPerObject: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quiet: LoggerService = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: message => process.stderr.write(`${message}\n`),
  child: () => quiet,
};

/**
 * Lists answer copies, as an API server's JSON would: the cache then holds
 * objects of its own, so that its heap is measured, not shared.
 */
class CopyingClusterClient extends InMemoryClusterClient {
  async list(...args: Parameters<InMemoryClusterClient['list']>) {
    const result = await super.list(...args);
    return { ...result, items: result.items.map(o => structuredClone(o)) };
  }
}

function peakRssMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function gc() {
  (global as { gc?: () => void }).gc?.();
}

/** The service folder of the baseline revision, written out once. */
function baselineDir(revision: string): string {
  const dir = path.join(BENCH_ROOT, 'logs', `status-view-${revision}`);
  if (!fs.existsSync(path.join(dir, SERVICE_DIR, 'StatusService.ts'))) {
    fs.mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', revision, SERVICE_DIR], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  return path.join(dir, SERVICE_DIR);
}

async function measure(
  variant: Variant,
  objects: number,
  revision: string,
): Promise<Figures> {
  const dir =
    variant === 'before'
      ? baselineDir(revision)
      : path.join(REPO_ROOT, SERVICE_DIR);
  const { StatusService } = require(path.join(dir, 'StatusService.ts'));

  const units = Math.ceil(objects / OBJECTS_PER_UNIT);
  const client = new CopyingClusterClient(CLUSTER);
  // Established, as the API server marks a CRD it serves.
  const established = {
    conditions: [{ type: 'Established', status: 'True' }],
  };
  for (const kind of ALL_KINDS)
    client.put({ ...crd(kind), status: established } as KubernetesObject);
  for (let i = 0; i < units; i++) {
    for (const o of unitObjects(unitOf(CLUSTER, i)))
      client.put(o as KubernetesObject);
  }

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cache = new ClusterObjectCache({
    client,
    logger: quiet,
    includeWorkloads: false,
  });
  // Registered before the service's views: an event is stamped before
  // they see it, so their work on it is part of the figure.
  let eventAt = 0;
  let awaited: string | undefined;
  cache.subscribe(event => {
    if (event.type === 'upsert' && event.object.metadata.name === awaited)
      eventAt = now();
  });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () =>
      (cache.status().synced &&
        cache.status().objectCount >= units * OBJECTS_PER_UNIT) ||
      undefined,
    1_200_000,
  );
  gc();
  const cached = cache.status().objectCount;
  const bytesPerObject = (process.memoryUsage().heapUsed - heapBefore) / cached;

  const status = new StatusService({
    cache: { start() {}, caches: () => [cache], cache: () => cache },
    clusters: new StaticCrossplaneClusters([client]),
    mapping: readEntityMapping(new ConfigReader({})),
  });
  // Every object visible: what a caller allowed everything is answered
  // (the revision before visibility took undefined for it).
  const { everyObject } = fs.existsSync(path.join(dir, 'Visibility.ts'))
    ? require(path.join(dir, 'Visibility.ts'))
    : { everyObject: undefined };
  const firstStart = now();
  status.summary({}, everyObject, { limit: 500 });
  const firstBuildMs = now() - firstStart;

  // The first page after a change: a managed resource's Ready message
  // changes between two requests, as in a cluster being reconciled, so
  // that no answer computed before can be sent again. Timed: the service's
  // work and the answer's text, gzipped where the service keeps it so.
  const page = () => {
    if (!status.summaryJson)
      return JSON.stringify(status.summary({}, everyObject, { limit: 500 }));
    const json = status.summaryJson({}, everyObject, { limit: 500 });
    return typeof json === 'string' ? json : json.gzip();
  };
  const pageTimes: number[] = [];
  for (let i = 0; i < SUMMARY_RUNS; i++) {
    const managed = (unitObjects(unitOf(CLUSTER, i)) as KubernetesObject[])[2];
    awaited = managed.metadata.name;
    eventAt = 0;
    client.put({
      ...managed,
      status: {
        conditions: [
          { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
          { type: 'Ready', status: 'True', message: `run ${i}` },
        ],
      },
    });
    while (eventAt === 0) await sleep(1);
    const start = now();
    page();
    pageTimes.push(now() - start);
  }

  /** Polls GET /tree's work every 2 ms until `answered` holds. */
  const freshness = async (
    write: () => void,
    root: { kind: string; namespace?: string; name: string },
    answered: (tree: any) => boolean,
  ) => {
    write();
    for (;;) {
      try {
        const tree = status.tree({
          cluster: CLUSTER,
          group: 'bench.platformops.io',
          version: VERSION,
          ...root,
        });
        if (answered(tree)) return now() - eventAt;
      } catch {
        // not in the view yet
      }
      await sleep(2);
    }
  };

  const samples = SAMPLES[objects] ?? 20;
  const freshNewClaimMs: number[] = [];
  const freshHealthMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Writes come at any time, not just after the view was rebuilt.
    await sleep(100 + Math.random() * 500);
    const unit = unitOf(CLUSTER, units + i);
    const unitObjs = unitObjects(unit) as KubernetesObject[];
    awaited = unitObjs[unitObjs.length - 1].metadata.name;
    freshNewClaimMs.push(
      await freshness(
        () => unitObjs.forEach(o => client.put(o)),
        { kind: 'Database', namespace: unit.namespace, name: unit.claimName },
        tree =>
          tree.children[0]?.children.length === 3 &&
          tree.children[0].children.every((c: any) => !c.missing),
      ),
    );

    await sleep(100 + Math.random() * 500);
    const healthy = unitOf(CLUSTER, i * 7);
    if (healthy.failing) continue;
    const managed = (unitObjects(healthy) as KubernetesObject[])[2];
    awaited = managed.metadata.name;
    const degraded: KubernetesObject = {
      ...managed,
      status: {
        conditions: [
          { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
          {
            type: 'Ready',
            status: 'False',
            reason: 'ReconcileError',
            message: 'cannot update instance: throttled',
          },
        ],
      },
    };
    freshHealthMs.push(
      await freshness(
        () => client.put(degraded),
        {
          kind: 'Database',
          namespace: healthy.namespace,
          name: healthy.claimName,
        },
        tree => tree.rolledUpHealth.status === 'Degraded',
      ),
    );
  }
  cache.stop();

  return {
    variant,
    objects: cached,
    firstBuildMs,
    freshNewClaimMs,
    freshHealthMs,
    summaryPageMs: median(pageTimes),
    rssPeakMb: peakRssMb(),
    bytesPerObject,
  };
}

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

function table(figures: Figures[]): string {
  const rows = [
    '| objects | freshness, new claim p50 / p95 (before → after) | freshness, health change p50 / p95 (before → after) | summary first page p50 (before → after) | first build (before → after) | peak RSS (before → after) | heap per cached object (before → after) |',
    '| ------- | ----------------------------------------------- | --------------------------------------------------- | --------------------------------------- | ---------------------------- | ------------------------- | --------------------------------------- |',
  ];
  const sizes = [...new Set(figures.map(f => f.objects))];
  for (const size of sizes) {
    const of = (variant: Variant) =>
      figures.find(f => f.objects === size && f.variant === variant);
    const pair = (render: (f: Figures) => string) =>
      ['before', 'after']
        .map(v => {
          const f = of(v as Variant);
          return f ? render(f) : '–';
        })
        .join(' → ');
    const p = (values: number[]) =>
      `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
    rows.push(
      `| ${size} | ${pair(f => p(f.freshNewClaimMs))} | ${pair(f =>
        p(f.freshHealthMs),
      )} | ${pair(f => ms(f.summaryPageMs))} | ${pair(f =>
        ms(f.firstBuildMs),
      )} | ${pair(f => `${f.rssPeakMb.toFixed(0)} MiB`)} | ${pair(
        f => `${f.bytesPerObject.toFixed(0)} B`,
      )} |`,
    );
  }
  return rows.join('\n');
}

async function main() {
  const revision = flag('baseline') ?? DEFAULT_BASELINE;
  const variant = flag('variant') as Variant | undefined;
  if (variant) {
    const figures = await measure(variant, Number(flag('objects')), revision);
    console.log(JSON.stringify(figures));
    return;
  }
  const sizes = (flag('sizes') ?? '10000,100000').split(',').map(Number);
  const variants = (flag('variants') ?? 'before,after').split(',') as Variant[];
  const figures: Figures[] = [];
  for (const objects of sizes) {
    for (const v of variants) {
      const child = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          '--max-old-space-size=8192',
          '--require',
          '@backstage/cli/config/nodeTransform.cjs',
          __filename,
          '--variant',
          v,
          '--objects',
          String(objects),
          '--baseline',
          revision,
        ],
        { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      if (child.status !== 0) {
        throw new Error(`${v} at ${objects} objects failed: ${child.stderr}`);
      }
      const lines = child.stdout.trim().split('\n');
      figures.push(JSON.parse(lines[lines.length - 1]));
      console.error(`measured ${v} at ${objects} objects`);
    }
  }
  console.log(table(figures));
  console.log(JSON.stringify(figures));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
