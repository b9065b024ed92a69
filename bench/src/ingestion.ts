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
  objects: number;
  /** Units: claims (v1 shape) or XRs (v2 shape). */
  claims: number;
  setupMs: number;
  floorListMs: number;
  floorSummaryListMs: number;
  floorTreeP50Ms: number;
  floorTreeP95Ms: number;
  subjects: Partial<Record<Subject, SubjectResult>>;
}

export interface SubjectResult {
  /** What this subject ingests of the objects (the peer: claims only). */
  expected: number;
  bootMs: number;
  /** From process start until the catalog holds every expected entity. */
  completeMs?: number;
  /** From process start until the catalog holds every claim (v2: every XR). */
  claimsCompleteMs?: number;
  /** From process start until the status API has read every object. */
  statusCompleteMs?: number;
  /** Claim written to the cluster -> its entity in the catalog (median). */
  freshCatalogMs?: number;
  /** Claim written -> its full tree served by the status API (median). */
  freshStatusMs?: number;
  summaryP50Ms?: number;
  summaryP95Ms?: number;
  treeP50Ms?: number;
  treeP95Ms?: number;
  peakRssMiB: number;
}

export interface IngestionOptions {
  shape: Shape;
  clusters: BenchCluster[];
  postgresUrl?: string;
  logDir: string;
  subjects: Subject[];
  completeTimeoutMs: number;
  clients: number;
  log: (line: string) => void;
}

const FRESHNESS_PROBES = 3;
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

async function measureSubject(
  subject: Subject,
  size: number,
  units: number,
  options: IngestionOptions,
): Promise<SubjectResult> {
  const { clusters, log, shape } = options;
  const expected =
    subject === 'platformops'
      ? units * clusters.length * shape.objectsPerUnit
      : units * clusters.length;
  const spawnedAt = now();
  const shapeSuffix = shape.name === 'v1' ? '' : `-${shape.name}`;
  const backend = await startBackend({
    subject,
    shape: shape.name,
    clusters,
    port: 7200,
    postgresUrl: options.postgresUrl,
    logFile: path.join(options.logDir, `${subject}${shapeSuffix}-${size}.log`),
  });
  const result: SubjectResult = {
    expected,
    bootMs: now() - spawnedAt,
    peakRssMiB: 0,
  };
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
        intervalMs: 500,
        timeoutMs: options.completeTimeoutMs,
      },
    );
    log(
      `  ${subject}: ${last}/${expected} entities after ${(
        (now() - spawnedAt) /
        1000
      ).toFixed(1)} s`,
    );
    if (allIn === undefined) return result;

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
        timeUntil(
          async () =>
            (await countEntities(backend, [
              rootEntityFilter(subject, shape, unit.rootName),
            ])) > 0,
          { since: writtenAt, intervalMs: 50, timeoutMs: 120_000 },
        ),
        subject === 'platformops'
          ? timeUntil(() => treeComplete(backend, cluster.name, unit, shape), {
              since: writtenAt,
              intervalMs: 50,
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
      const summary = await latencies(
        options.clients,
        options.clients * 5,
        async () => {
          const res = await backend.get('/api/crossplane/summary');
          if (res.status !== 200)
            throw new Error(`summary: HTTP ${res.status}`);
        },
      );
      result.summaryP50Ms = percentile(summary, 50);
      result.summaryP95Ms = percentile(summary, 95);
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
    }
    return result;
  } finally {
    result.peakRssMiB = backend.peakRssMiB();
    await backend.stop();
  }
}

export async function measureSize(
  size: number,
  options: IngestionOptions,
): Promise<SizeResult> {
  const { clusters, log, shape } = options;
  const units = unitsPerCluster(size, clusters.length, shape);
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
  for (const subject of options.subjects) {
    result.subjects[subject] = await measureSubject(
      subject,
      size,
      units,
      options,
    );
  }
  return result;
}
