/*
 * Ingestion, freshness, status API and memory at one size: the floor (raw
 * paginated lists), PlatformOps, and the peer, in the same run.
 */
import path from 'node:path';
import { BenchCluster, kubeCall, paginatedCount } from './kube';
import {
  BenchUnit,
  KindSpec,
  MR_KINDS,
  Shape,
  VERSION,
  listPath,
  populate,
} from './objects';
import {
  RunningBackend,
  Subject,
  countEntities,
  databasePrefix,
  startBackend,
} from './harness';
import {
  latencies,
  median,
  now,
  percentile,
  sleep,
  timeUntil,
} from './measure';

export interface SizeResult {
  /** Absent in results of runs before the v2 shape: v1. */
  shape?: 'v1' | 'v2';
  size: number;
  /** When this size's measuring began and ended (ISO; absent in older results). */
  startedAt?: string;
  finishedAt?: string;
  objects: number;
  /** Units: claims (v1 shape) or XRs (v2 shape). */
  claims: number;
  setupMs: number;
  floorListMs: number;
  floorSummaryListMs: number;
  floorTreeP50Ms: number;
  floorTreeP95Ms: number;
  subjects: Partial<Record<Measured, SubjectResult>>;
}

/**
 * What a row measures: a subject in one backend process, or (`platformops2`)
 * PlatformOps in two, sharing one catalog database, as replicas of one
 * deployment would.
 */
export type Measured = Subject | 'platformops2';

const RUNS: Record<Measured, { subject: Subject; replicas: number }> = {
  platformops: { subject: 'platformops', replicas: 1 },
  platformops2: { subject: 'platformops', replicas: 2 },
  peer: { subject: 'peer', replicas: 1 },
};

export const MEASURED = Object.keys(RUNS) as Measured[];

export interface SubjectResult {
  /** Backend processes (absent in earlier runs' results: 1). */
  replicas?: number;
  /** What this subject ingests of the objects (the peer: claims only). */
  expected: number;
  /** From process start until every replica answers. */
  bootMs: number;
  /** From process start until the catalog holds every expected entity. */
  completeMs?: number;
  /** From process start until the catalog holds every claim (v2: every XR). */
  claimsCompleteMs?: number;
  /**
   * Every start's `claimsCompleteMs`, in order, when the size was measured
   * with several starts (this result is the median one's).
   */
  claimsCompleteStartsMs?: (number | null)[];
  /** From process start until the status API has read every object. */
  statusCompleteMs?: number;
  /** Claim written to the cluster -> its entity in the catalog (median). */
  freshCatalogMs?: number;
  /** Claim written -> its full tree served by the status API (median). */
  freshStatusMs?: number;
  summaryP50Ms?: number;
  summaryP95Ms?: number;
  /** Every summary request's time, in the order they ended (results JSON only). */
  summaryMs?: number[];
  treeP50Ms?: number;
  treeP95Ms?: number;
  /** The highest peak RSS of its replicas. */
  peakRssMiB: number;
  /** Heap in use after a full collection, once measured (one replica). */
  heapBytes?: number;
}

export interface IngestionOptions {
  shape: Shape;
  clusters: BenchCluster[];
  postgresUrl?: string;
  logDir: string;
  subjects: Measured[];
  completeTimeoutMs: number;
  /** The peer's, when it differs (it may never complete). */
  peerTimeoutMs?: number;
  /** Called with the size's figures so far after each subject. */
  onSubject?: (partial: SizeResult) => void;
  clients: number;
  log: (line: string) => void;
  /** Node's heap limit for the backends (see startBackend). */
  maxHeapMiB?: number;
  /**
   * Starts of each subject at this size (default 1). The subjects take
   * turns, and each keeps its start with the median time to every claim.
   */
  starts?: number;
}

const FRESHNESS_PROBES = 3;
/** Rows of the summary's first page. */
const SUMMARY_PAGE = 500;
/** Unit indexes of the freshness probes, far past any benchmark size. */
const PROBE_BASE = 900_000;

/** Units per cluster for a total object count, spread over the clusters. */
export function unitsPerCluster(
  size: number,
  clusters: number,
  shape: Shape,
): number {
  return Math.ceil(size / shape.objectsPerUnit / clusters);
}

/** Every benchmark object of every cluster, listed page by page, at once. */
async function floorList(clusters: BenchCluster[], kinds: KindSpec[]) {
  const start = now();
  await Promise.all(
    clusters.flatMap(cluster =>
      kinds.map(kind => paginatedCount(cluster, listPath(kind))),
    ),
  );
  return now() - start;
}

/**
 * A tree read straight from the API server: the root, then (v1) its
 * composite, then its managed resources at once.
 */
async function floorTree(cluster: BenchCluster, index: number, shape: Shape) {
  for (const paths of shape.treeReads(shape.unitOf(cluster.name, index))) {
    await Promise.all(paths.map(p => kubeCall(cluster, 'GET', p)));
  }
}

/** Every root entity: claims (v1) or XRs (v2), for both subjects. */
function rootsFilter(shape: Shape): string {
  return `kind=component,spec.type=${shape.rootEntityType}`;
}

function entityFilters(subject: Subject, shape: Shape): string[] {
  return subject === 'platformops'
    ? [
        'spec.type=crossplane-claim',
        'spec.type=crossplane-xr',
        'spec.type=crossplane-managed',
      ]
    : [rootsFilter(shape)];
}

function rootEntityFilter(
  subject: Subject,
  shape: Shape,
  rootName: string,
): string {
  return subject === 'platformops'
    ? `spec.type=${shape.rootEntityType},metadata.annotations.platformops.io/name=${rootName}`
    : `kind=component,metadata.name=${rootName}`;
}

async function treeComplete(
  backend: RunningBackend,
  cluster: string,
  unit: BenchUnit,
  shape: Shape,
): Promise<boolean> {
  const query = new URLSearchParams({
    cluster,
    apiVersion: `${shape.root.group}/${VERSION}`,
    kind: shape.root.kind,
    namespace: unit.namespace,
    name: unit.rootName,
  });
  const res = await backend.get(`/api/crossplane/tree?${query}`);
  // v1: root -> composite -> managed; v2: root -> managed.
  let parent = res.body?.root;
  for (let depth = 1; depth < shape.managedDepth; depth++) {
    parent = parent?.children?.[0];
  }
  return res.status === 200 && parent?.children?.length === MR_KINDS.length;
}

/** Whether every cluster is synced and holds at least `perCluster` objects. */
async function statusHoldsAll(backend: RunningBackend, perCluster: number) {
  const res = await backend.get('/api/crossplane/clusters');
  const items: { synced?: boolean; objectCount?: number }[] =
    res.body?.items ?? [];
  return (
    res.status === 200 &&
    items.length > 0 &&
    items.every(c => c.synced && (c.objectCount ?? 0) >= perCluster)
  );
}

/**
 * How often the catalog's counts are asked while it ingests. A count is
 * the catalog's own query over every entity (about 250 ms of PostgreSQL
 * at 100k): asked every 500 ms there, it would take a good part of the
 * database from the backend it measures. Every 500 ms up to 25k objects,
 * then 20 ms more per 1k objects (2 s at 100k).
 */
function countIntervalMs(size: number): number {
  return Math.max(500, Math.round(size / 50));
}

/** Base port of the backends; replica i listens 10 ports further each. */
const BACKEND_PORT = 7200;

async function measureSubject(
  measured: Measured,
  size: number,
  units: number,
  options: IngestionOptions,
  startIndex: number,
): Promise<SubjectResult> {
  const { clusters, log, shape } = options;
  const { subject, replicas } = RUNS[measured];
  const expected =
    subject === 'platformops'
      ? units * clusters.length * shape.objectsPerUnit
      : units * clusters.length;
  const spawnedAt = now();
  const shapeSuffix = shape.name === 'v1' ? '' : `-${shape.name}`;
  const prefix = databasePrefix(subject, measured);
  const start = (i: number) =>
    startBackend({
      subject,
      shape: shape.name,
      clusters,
      port: BACKEND_PORT + 10 * i,
      postgresUrl: options.postgresUrl,
      databasePrefix: prefix,
      maxHeapMiB: options.maxHeapMiB,
      logFile: path.join(
        options.logDir,
        `${measured}${replicas > 1 ? `-${i + 1}` : ''}${shapeSuffix}-${size}${
          startIndex > 0 ? `-start${startIndex + 1}` : ''
        }.log`,
      ),
    });
  // One replica after the other, as a rolling deployment starts them: the
  // catalog's first start migrates the database, and a second replica
  // starting meanwhile fails on the migration lock.
  const replicaSet: RunningBackend[] = [];
  try {
    for (let i = 0; i < replicas; i++) replicaSet.push(await start(i));
  } catch (error) {
    await Promise.all(replicaSet.map(b => b.stop()));
    throw error;
  }
  // Every replica answers from the same catalog; the first is asked.
  const backend = replicaSet[0];
  const result: SubjectResult = {
    replicas,
    expected,
    bootMs: now() - spawnedAt,
    peakRssMiB: 0,
  };
  const timeoutMs =
    subject === 'peer'
      ? options.peerTimeoutMs ?? options.completeTimeoutMs
      : options.completeTimeoutMs;
  try {
    const filters = entityFilters(subject, shape);
    const claims = units * clusters.length;
    let last = 0;
    const allIn = await timeUntil(
      async () => {
        const at = now() - spawnedAt;
        if (result.claimsCompleteMs === undefined) {
          const claimCount = await countEntities(backend, [rootsFilter(shape)]);
          if (claimCount >= claims) result.claimsCompleteMs = at;
        }
        if (
          subject === 'platformops' &&
          result.statusCompleteMs === undefined
        ) {
          if (await statusHoldsAll(backend, units * shape.objectsPerUnit)) {
            result.statusCompleteMs = at;
          }
        }
        if (result.completeMs === undefined) {
          last = await countEntities(backend, filters);
          if (last >= expected) result.completeMs = at;
        }
        // Done when every figure is in (the counts can be reached in any order).
        return (
          result.completeMs !== undefined &&
          result.claimsCompleteMs !== undefined &&
          (subject !== 'platformops' || result.statusCompleteMs !== undefined)
        );
      },
      {
        since: spawnedAt,
        intervalMs: countIntervalMs(size),
        timeoutMs,
      },
    );
    log(
      `  ${measured}: ${last}/${expected} entities after ${(
        (now() - spawnedAt) /
        1000
      ).toFixed(1)} s`,
    );
    // The replicas' row is the catalog's throughput only. A catalog still
    // ingesting at the timeout leaves out its freshness (a new entity waits
    // behind the backlog), not the status API's figures, which no longer
    // wait for it (measured while it ingests, so on a busier backend).
    const catalogDone = allIn !== undefined;
    if (replicas > 1 || (!catalogDone && subject !== 'platformops'))
      return result;

    // Freshness: a new claim (with its composite and resources) written to
    // the first cluster, timed from the claim's write.
    const cluster = clusters[0];
    const catalogDelays: number[] = [];
    const statusDelays: number[] = [];
    for (let probe = 0; probe < FRESHNESS_PROBES; probe++) {
      const unit = shape.unitOf(cluster.name, PROBE_BASE + probe);
      await shape.deleteUnit(cluster, unit);
      await shape.writeUnit(cluster, unit);
      const writtenAt = now();
      const [catalog, status] = await Promise.all([
        catalogDone
          ? timeUntil(
              async () =>
                (await countEntities(backend, [
                  rootEntityFilter(subject, shape, unit.rootName),
                ])) > 0,
              { since: writtenAt, intervalMs: 50, timeoutMs: 120_000 },
            )
          : Promise.resolve(undefined),
        subject === 'platformops'
          ? timeUntil(() => treeComplete(backend, cluster.name, unit, shape), {
              since: writtenAt,
              // The status API answers within milliseconds: asked often.
              intervalMs: 10,
              timeoutMs: 120_000,
            })
          : Promise.resolve(undefined),
      ]);
      if (catalog !== undefined) catalogDelays.push(catalog);
      if (status !== undefined) statusDelays.push(status);
      await shape.deleteUnit(cluster, unit);
    }
    result.freshCatalogMs = catalogDelays.length
      ? median(catalogDelays)
      : undefined;
    result.freshStatusMs = statusDelays.length
      ? median(statusDelays)
      : undefined;

    if (subject === 'platformops') {
      // Wait until the probes are gone from the status view, then load it.
      await sleep(2000);
      // The control-plane page's first page.
      const summary = await latencies(
        options.clients,
        options.clients * 5,
        async () => {
          const res = await backend.getBytes(
            `/api/crossplane/summary?limit=${SUMMARY_PAGE}`,
          );
          if (res.status !== 200 || res.bytes === 0)
            throw new Error(`summary: HTTP ${res.status}`);
        },
      );
      result.summaryP50Ms = percentile(summary, 50);
      result.summaryP95Ms = percentile(summary, 95);
      result.summaryMs = summary.map(ms => Math.round(ms * 10) / 10);
      const tree = await latencies(
        options.clients,
        options.clients * 25,
        async i => {
          const c = clusters[i % clusters.length];
          const unit = shape.unitOf(c.name, (i * 7919) % units);
          if (!(await treeComplete(backend, c.name, unit, shape))) {
            throw new Error(`tree of ${unit.rootName} incomplete`);
          }
        },
      );
      result.treeP50Ms = percentile(tree, 50);
      result.treeP95Ms = percentile(tree, 95);
      result.heapBytes = await backend.heapAfterGc();
    }
    return result;
  } finally {
    result.peakRssMiB = Math.max(...replicaSet.map(b => b.peakRssMiB()));
    await Promise.all(replicaSet.map(b => b.stop()));
  }
}

export async function measureSize(
  size: number,
  options: IngestionOptions,
): Promise<SizeResult> {
  const { clusters, log, shape } = options;
  const units = unitsPerCluster(size, clusters.length, shape);
  const startedAt = new Date().toISOString();
  const setupStart = now();
  // Freshness probes of an interrupted run would be counted as objects.
  for (let probe = 0; probe < FRESHNESS_PROBES; probe++) {
    await shape.deleteUnit(
      clusters[0],
      shape.unitOf(clusters[0].name, PROBE_BASE + probe),
    );
  }
  const written = await Promise.all(
    clusters.map(c => populate(c, units, shape)),
  );
  const setupMs = now() - setupStart;
  log(
    `size ${size}: ${units} units per cluster (${written.reduce(
      (a, b) => a + b,
      0,
    )} written in ${(setupMs / 1000).toFixed(1)} s)`,
  );

  // The floor, best of three (the first read warms the API servers' caches).
  const lists: number[] = [];
  const summaryLists: number[] = [];
  for (let i = 0; i < 3; i++) {
    lists.push(await floorList(clusters, shape.kinds));
    summaryLists.push(await floorList(clusters, shape.summaryKinds));
  }
  const trees = await latencies(
    options.clients,
    options.clients * 25,
    async i => {
      const c = clusters[i % clusters.length];
      await floorTree(c, (i * 7919) % units, shape);
    },
  );

  const result: SizeResult = {
    size,
    startedAt,
    shape: shape.name,
    objects: units * clusters.length * shape.objectsPerUnit,
    claims: units * clusters.length,
    setupMs,
    floorListMs: Math.min(...lists),
    floorSummaryListMs: Math.min(...summaryLists),
    floorTreeP50Ms: percentile(trees, 50),
    floorTreeP95Ms: percentile(trees, 95),
    subjects: {},
  };
  const starts = options.starts ?? 1;
  const runs = new Map<Measured, SubjectResult[]>();
  for (let start = 0; start < starts; start++) {
    if (starts > 1) log(`size ${size}: start ${start + 1} of ${starts}`);
    for (const measured of options.subjects) {
      const run = await measureSubject(measured, size, units, options, start);
      runs.set(measured, [...(runs.get(measured) ?? []), run]);
      result.subjects[measured] = medianStart(runs.get(measured)!);
      result.finishedAt = new Date().toISOString();
      options.onSubject?.(result);
    }
  }
  return result;
}

/**
 * The start with the median time to every claim (a start that never got
 * there counts as the slowest), with every start's time. One start's figure
 * is decided by where it falls against the peer's polling and by the
 * machine's noise; the median of a few is the figure to compare.
 */
export function medianStart(runs: SubjectResult[]): SubjectResult {
  if (runs.length === 1) return runs[0];
  const time = (r: SubjectResult) => r.claimsCompleteMs ?? Infinity;
  const middle = median(runs.map(time));
  return {
    ...runs.find(r => time(r) === middle)!,
    claimsCompleteStartsMs: runs.map(r => r.claimsCompleteMs ?? null),
  };
}
