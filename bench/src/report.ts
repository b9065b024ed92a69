/* The printed table: each figure beside its floor and the peer. */
import os from 'node:os';
import { Measured, SizeResult, SubjectResult } from './ingestion';
import { ScaffolderResult } from './scaffolder';
import { millis, ratio, seconds } from './measure';

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join(
    '\n',
  );
}

/** The words of the tables for each shape: a unit's root and what a tree reads. */
const TERMS = {
  v1: {
    roots: 'claims',
    root: 'claim',
    aRoot: 'a claim',
    summaryFloor: 'floor: list claims + composites',
    treeFloor: 'floor: 5 GETs from the API server, p50 / p95',
  },
  v2: {
    roots: 'XRs',
    root: 'XR',
    aRoot: 'an XR',
    summaryFloor: 'floor: list XRs',
    treeFloor: 'floor: 4 GETs from the API server, p50 / p95',
  },
};

const SUBJECT_NAMES: Record<Measured, string> = {
  platformops: 'PlatformOps',
  platformops2: 'PlatformOps, 2 replicas',
  peer: 'peer',
};

/**
 * A note for each size whose backends were started several times: every
 * start's time to every root, of which the table shows the median start.
 */
function severalStarts(results: SizeResult[], root: string): string[] {
  return results.flatMap(r => {
    const measured = Object.entries(r.subjects).filter(
      ([, s]) => s?.claimsCompleteStartsMs,
    );
    if (measured.length === 0) return [];
    const starts = measured
      .map(
        ([name, s]) =>
          `${SUBJECT_NAMES[name as Measured]} ${s!
            .claimsCompleteStartsMs!.map(ms => seconds(ms ?? undefined))
            .join(', ')}`,
      )
      .join('; ');
    return [
      `At ${r.objects} objects each backend was started ${
        measured[0][1]!.claimsCompleteStartsMs!.length
      } times, taking turns; every figure of the size is its start with the median time to every ${root}. Every start's time to every ${root}: ${starts}.`,
      '',
    ];
  });
}

export function formatReport(
  results: SizeResult[],
  scaffolder: ScaffolderResult | undefined,
  setup: {
    shape: 'v1' | 'v2';
    database: string;
    clusters: number;
    clients: number;
  },
): string {
  const terms = TERMS[setup.shape];
  const out: string[] = [];
  if (setup.shape === 'v2') {
    out.push(
      'Crossplane v2 shape: namespaced XRs, each composing 3 namespaced `.m.` managed resources, no claims.',
      '',
    );
  }
  const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const started = results.flatMap(r => (r.startedAt ? [r.startedAt] : []));
  const finished = results.flatMap(r => (r.finishedAt ? [r.finishedAt] : []));
  const when =
    started.length && finished.length
      ? `${minute(started.sort()[0])} to ${minute(finished.sort().at(-1)!)}`
      : minute(new Date().toISOString());
  out.push(
    `Measured ${when} on ${os.cpus().length} cores, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB; ${
        setup.clusters
      } API servers; catalog on ${setup.database}; ` +
      `${setup.clients} concurrent clients for the status API.`,
    '',
    '### Ingestion: process start to a complete catalog',
    '',
  );
  const rate = (r?: SubjectResult) =>
    r?.completeMs
      ? `${Math.round(r.expected / ((r.completeMs - r.bootMs) / 1000))}/s`
      : 'n/a';
  // Heap per object: its growth from the smallest size measured.
  const smallest = results.find(r => r.subjects.platformops?.heapBytes);
  const heapPerObject = (r: SizeResult) => {
    const heap = r.subjects.platformops?.heapBytes;
    const base = smallest?.subjects.platformops?.heapBytes;
    if (!heap || !base || !smallest || r.objects <= smallest.objects)
      return 'n/a';
    return `${Math.round((heap - base) / (r.objects - smallest.objects))} B`;
  };
  // From process start: a second replica starts once the first answers,
  // so the first has been writing for a while by the time both have booted.
  const rateFromStart = (r?: SubjectResult) =>
    r?.completeMs
      ? `${Math.round(r.expected / (r.completeMs / 1000))}/s`
      : 'n/a';
  // The catalog's freshness waits for a complete catalog.
  const fresh = (r: SubjectResult | undefined, ms?: number) =>
    r && r.completeMs === undefined ? 'not measured' : seconds(ms);
  const mib = (value?: number) => (value ? `${Math.round(value)} MiB` : 'n/a');
  out.push(
    table(
      [
        `objects (${terms.roots})`,
        'floor: paginated list',
        'PlatformOps status API holds all',
        'vs floor',
        `PlatformOps catalog: every ${terms.root}`,
        `peer catalog: every ${terms.root}`,
        'PlatformOps vs peer',
        'PlatformOps catalog: every object',
        'catalog entities/s after boot (ours / peer)',
        'boot (ours / peer)',
      ],
      results.map(r => {
        const ours = r.subjects.platformops;
        const peer = r.subjects.peer;
        return [
          `${r.objects} (${r.claims})`,
          seconds(r.floorListMs),
          seconds(ours?.statusCompleteMs),
          ratio(ours?.statusCompleteMs, r.floorListMs),
          seconds(ours?.claimsCompleteMs),
          seconds(peer?.claimsCompleteMs),
          ratio(ours?.claimsCompleteMs, peer?.claimsCompleteMs),
          seconds(ours?.completeMs),
          `${rate(ours)} / ${rate(peer)}`,
          `${seconds(ours?.bootMs)} / ${seconds(peer?.bootMs)}`,
        ];
      }),
    ),
    '',
    ...severalStarts(results, terms.root),
    '### Catalog throughput: one PlatformOps backend, and two sharing its database',
    '',
    table(
      [
        'objects',
        `1 replica: every ${terms.root} / every object`,
        '1 replica: entities/s from process start',
        `2 replicas: every ${terms.root} / every object`,
        '2 replicas: entities/s from process start',
        'boot (1 / 2 replicas)',
      ],
      results.map(r => {
        const one = r.subjects.platformops;
        const two = r.subjects.platformops2;
        return [
          String(r.objects),
          `${seconds(one?.claimsCompleteMs)} / ${seconds(one?.completeMs)}`,
          rateFromStart(one),
          two
            ? `${seconds(two.claimsCompleteMs)} / ${seconds(two.completeMs)}`
            : 'n/a',
          two ? rateFromStart(two) : 'n/a',
          `${seconds(one?.bootMs)} / ${two ? seconds(two.bootMs) : 'n/a'}`,
        ];
      }),
    ),
    '',
    `### Freshness: ${terms.aRoot} written to a cluster until it is seen (median of 3)`,
    '',
    table(
      [
        'objects',
        'PlatformOps catalog',
        'PlatformOps status API',
        'peer catalog',
      ],
      results.map(r => [
        String(r.objects),
        fresh(r.subjects.platformops, r.subjects.platformops?.freshCatalogMs),
        seconds(r.subjects.platformops?.freshStatusMs),
        fresh(r.subjects.peer, r.subjects.peer?.freshCatalogMs),
      ]),
    ),
    '',
    '### Status API latency (the peer has no status API)',
    '',
    table(
      [
        'objects',
        'summary first page (500) p50 / p95',
        terms.summaryFloor,
        'tree p50 / p95',
        terms.treeFloor,
      ],
      results.map(r => {
        const ours = r.subjects.platformops;
        return [
          String(r.objects),
          `${millis(ours?.summaryP50Ms)} / ${millis(ours?.summaryP95Ms)}`,
          millis(r.floorSummaryListMs),
          `${millis(ours?.treeP50Ms)} / ${millis(ours?.treeP95Ms)}`,
          `${millis(r.floorTreeP50Ms)} / ${millis(r.floorTreeP95Ms)}`,
        ];
      }),
    ),
    '',
    '### Memory: peak RSS of the backend process',
    '',
    table(
      [
        'objects',
        'PlatformOps',
        'peer',
        'PlatformOps vs peer',
        'PlatformOps heap after GC',
        'heap per object',
        'PlatformOps, 2 replicas (highest)',
      ],
      results.map(r => {
        const ours = r.subjects.platformops?.peakRssMiB;
        const peer = r.subjects.peer?.peakRssMiB;
        const heap = r.subjects.platformops?.heapBytes;
        return [
          String(r.objects),
          mib(ours),
          mib(peer),
          ratio(ours, peer),
          mib(heap && heap / 2 ** 20),
          heapPerObject(r),
          mib(r.subjects.platformops2?.peakRssMiB),
        ];
      }),
    ),
    '',
    `Heap per object: the heap after a full collection once every figure is in, its growth from the ${
      smallest ? `${smallest.objects}-object` : 'smallest'
    } size per object added (the watch cache, the status view and the catalog module's own state).`,
  );
  if (scaffolder) {
    out.push(
      '',
      `### Scaffolder: template run to a Ready claim (median of ${scaffolder.runs})`,
      '',
      table(
        [
          'Crossplane alone (claim written to Ready)',
          'template run (render, apply, wait, register)',
          'overhead',
        ],
        [
          [
            seconds(scaffolder.crossplaneMs),
            seconds(scaffolder.scaffolderMs),
            `${seconds(
              scaffolder.scaffolderMs - scaffolder.crossplaneMs,
            )} (${ratio(scaffolder.scaffolderMs, scaffolder.crossplaneMs)})`,
          ],
        ],
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
