/* eslint-disable no-console */
/*
 * Runs every benchmark and prints the table (see bench/README.md):
 *
 *   ./bench/run.sh [--sizes 1000,10000,100000]
 *                  [--subjects platformops,platformops2,peer] [--clients 8]
 *                  [--sqlite] [--no-scaffolder] [--timeout MIN]
 *                  [--peer-timeout MIN] [--shape v1|v2] [--max-heap MIB]
 *                  [--starts 3]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BenchCluster } from './kube';
import { Shape, V1_SHAPE } from './objects';
import { V2_SHAPE } from './objectsV2';
import { MEASURED, Measured, SizeResult, measureSize } from './ingestion';
import { ScaffolderResult, measureScaffolder } from './scaffolder';
import { formatReport } from './report';
import { REPO_ROOT as REPO } from './paths';
import { buildSuite } from './builtSuite';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../tools/controlplane');

/**
 * Base ports clear of every other instance's block (base to base+9): the
 * integration tests' (6643, 6743, 6843), the crds bench's (6963), the
 * fuzz's (7343), the v2 shape's (7443 to 7643) and the developers' (6443,
 * 6543, 7043, 7243).
 */
const INGEST_CLUSTERS = [
  { name: 'bench-a', port: 7843 },
  { name: 'bench-b', port: 7943 },
  { name: 'bench-c', port: 8043 },
];
/**
 * The v2 shape has instances of its own on the Crossplane v2 line (its XRD
 * API), so that each shape's API servers hold only that shape's objects.
 */
const INGEST_CLUSTERS_V2 = [
  { name: 'bench-v2-a', port: 7443, crossplane: 'v2' },
  { name: 'bench-v2-b', port: 7543, crossplane: 'v2' },
  { name: 'bench-v2-c', port: 7643, crossplane: 'v2' },
];
const CROSSPLANE_CLUSTER = { name: 'bench-xp', port: 7143 };
/** Sizes up to this many objects are measured with `--starts` starts. */
const SMALL_SIZE = 1000;

/** Each shape's instances and files; v1 keeps the names it always had. */
const SHAPES: Record<
  string,
  { shape: Shape; clusters: object[]; results: string; report: string }
> = {
  v1: {
    shape: V1_SHAPE,
    clusters: INGEST_CLUSTERS,
    results: 'results.json',
    report: 'bench/results.md',
  },
  v2: {
    shape: V2_SHAPE,
    clusters: INGEST_CLUSTERS_V2,
    results: 'results-v2.json',
    report: 'bench/results-v2.md',
  },
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);

function benchCluster(info: any): BenchCluster {
  return {
    name: info.name,
    url: info.url,
    // Setup and the floor's direct reads use the admin; the portal under
    // test gets its least-privilege token through backstageCluster.
    token: info.adminToken,
    caPem: info.caPem,
    backstageCluster: info.backstageCluster,
  };
}

async function main() {
  // --report-only prints the table of the figures saved so far.
  const sizes = has('report-only')
    ? []
    : (flag('sizes') ?? '1000,10000,100000')
        .split(',')
        .filter(Boolean)
        .map(Number);
  const subjects = (flag('subjects') ?? MEASURED.join(',')).split(
    ',',
  ) as Measured[];
  const unknown = subjects.filter(s => !MEASURED.includes(s));
  if (unknown.length > 0) {
    throw new Error(
      `--subjects: ${unknown.join(', ')} unknown (use ${MEASURED.join(', ')})`,
    );
  }
  const clients = Number(flag('clients') ?? 8);
  const shapeName = flag('shape') ?? 'v1';
  const setup = SHAPES[shapeName];
  if (!setup) {
    throw new Error(`--shape must be v1 or v2, got ${shapeName}`);
  }
  const { shape } = setup;
  const logDir = path.join(REPO, 'bench/logs');
  fs.mkdirSync(logDir, { recursive: true });
  const log = (line: string) => console.error(`[bench] ${line}`);

  const postgresUrl = has('sqlite')
    ? undefined
    : execFileSync('bash', [path.join(REPO, 'scripts/postgres.sh')], {
        encoding: 'utf8',
      }).trim();
  log(`catalog database: ${postgresUrl ? 'PostgreSQL' : 'SQLite (in memory)'}`);

  if (!has('report-only')) buildSuite(log);

  const clusters = sizes.length
    ? setup.clusters.map(c => benchCluster(controlPlane.ensureControlPlane(c)))
    : [];
  for (const cluster of clusters) await shape.installKinds(cluster);

  // Sizes measured by earlier runs stay in the table until remeasured. A
  // remeasured size takes this run's floor and subjects; a subject this run
  // leaves out keeps its earlier figures of that size.
  const resultsFile = path.join(logDir, setup.results);
  const earlier = fs.existsSync(resultsFile)
    ? JSON.parse(fs.readFileSync(resultsFile, 'utf8'))
    : { results: [] };
  const earlierBySize = new Map<number, SizeResult>(
    earlier.results.map((r: SizeResult) => [r.size, r]),
  );
  const results: SizeResult[] = earlier.results.filter(
    (r: SizeResult) => !sizes.includes(r.size),
  );
  const save = (
    scaffolderResult = earlier.scaffolder,
    inProgress: SizeResult[] = [],
  ) =>
    fs.writeFileSync(
      resultsFile,
      JSON.stringify(
        {
          results: [...results, ...inProgress].sort((a, b) => a.size - b.size),
          scaffolder: scaffolderResult,
        },
        null,
        2,
      ),
    );
  const minutes = (value: string | undefined) =>
    value === undefined ? undefined : Number(value) * 60_000;
  // A size's figures so far, with the earlier ones of subjects left out.
  const merged = (measured: SizeResult): SizeResult => ({
    ...measured,
    subjects: {
      ...earlierBySize.get(measured.size)?.subjects,
      ...measured.subjects,
    },
  });
  for (const size of sizes) {
    const measured = await measureSize(size, {
      shape,
      clusters,
      postgresUrl,
      logDir,
      subjects,
      clients,
      completeTimeoutMs:
        minutes(flag('timeout')) ?? Math.max(5, size / 2500) * 60_000,
      peerTimeoutMs: minutes(flag('peer-timeout')),
      maxHeapMiB: flag('max-heap') ? Number(flag('max-heap')) : undefined,
      // A start is most of a small size's figure, and a start's figure is
      // noisy: small sizes take the median of several.
      starts: size <= SMALL_SIZE ? Number(flag('starts') ?? 3) : 1,
      log,
      // Saved after each subject, so that a run cut short keeps them.
      onSubject: partial => {
        save(earlier.scaffolder, [merged(partial)]);
      },
    });
    results.push(merged(measured));
    save();
  }

  // The scaffolder figure is a v1 claim's; the v2 shape leaves it out.
  let scaffolder: ScaffolderResult | undefined = earlier.scaffolder;
  if (shape.name === 'v1' && !has('no-scaffolder') && !has('report-only')) {
    const cluster = benchCluster(
      controlPlane.ensureControlPlane({ ...CROSSPLANE_CLUSTER, seed: true }),
    );
    scaffolder = await measureScaffolder(cluster, {
      runs: 3,
      logDir,
      postgresUrl,
      log,
    });
  }

  save(scaffolder);
  results.sort((a, b) => a.size - b.size);
  const report = formatReport(results, scaffolder, {
    shape: shape.name,
    database: postgresUrl ? 'PostgreSQL' : 'SQLite (in memory)',
    clusters: setup.clusters.length,
    clients,
  });
  const reportFile = path.join(REPO, setup.report);
  fs.writeFileSync(reportFile, report);
  // Committed with the README, so in the repository's format.
  execFileSync('yarn', ['prettier', '--write', reportFile], {
    cwd: REPO,
    stdio: 'ignore',
  });
  console.log(report);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
