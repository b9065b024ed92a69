/* The printed table: each figure beside its floor and the peer. */
import os from 'node:os';
import { SizeResult } from './ingestion';
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
  out.push(
    `Measured ${new Date()
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ')} UTC on ${os.cpus().length} cores, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB; ${
        setup.clusters
      } API servers; catalog on ${setup.database}; ` +
      `${setup.clients} concurrent clients for the status API.`,
    '',
    '### Ingestion: process start to a complete catalog',
    '',
  );
  const rate = (r?: {
    expected: number;
    completeMs?: number;
    bootMs: number;
  }) =>
    r?.completeMs
      ? `${Math.round(r.expected / ((r.completeMs - r.bootMs) / 1000))}/s`
      : 'n/a';
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
        seconds(r.subjects.platformops?.freshCatalogMs),
        seconds(r.subjects.platformops?.freshStatusMs),
        seconds(r.subjects.peer?.freshCatalogMs),
      ]),
    ),
    '',
    '### Status API latency (the peer has no status API)',
    '',
    table(
      [
        'objects',
        'summary p50 / p95',
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
      ['objects', 'PlatformOps', 'peer', 'PlatformOps vs peer'],
      results.map(r => {
        const ours = r.subjects.platformops?.peakRssMiB;
        const peer = r.subjects.peer?.peakRssMiB;
        return [
          String(r.objects),
          ours ? `${Math.round(ours)} MiB` : 'n/a',
          peer ? `${Math.round(peer)} MiB` : 'n/a',
          ratio(ours, peer),
        ];
      }),
    ),
  );
  if (scaffolder) {
    out.push(
      '',
      `### Scaffolder: template run to a Ready claim (median of ${scaffolder.runs})`,
      '',
      table(
        [
          'Crossplane alone (claim written to Ready)',
          'template run (render, apply, wait)',
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
