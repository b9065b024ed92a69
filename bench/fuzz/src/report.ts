/* The printed report of a fuzz run, ending with the one-line summary. */
import { percentile } from '../../src/measure';
import { Example, Tally } from './tally';

export interface ClusterCheck {
  /** Objects of the demo that were there before the run and are gone. */
  missing: string[];
  /** Objects that appeared during the run. */
  created: string[];
  /** Files a dry run wrote outside its workspace. */
  escapedFiles: string[];
  /** Whether the portal still answered its health and summary routes. */
  portalHealthy: boolean;
}

export interface Baseline {
  /** Well-formed requests sent before the fuzz. */
  sent: number;
  /** Those that did not answer 200. */
  failures: string[];
}

export interface RunInfo {
  seed: number;
  requestSet: string;
  statusProbes: number;
  dryRunProbes: number;
  statusSeconds: number;
  dryRunSeconds: number;
  taskProbes: number;
  taskSeconds: number;
  skipped: number;
  clients: number;
  nodeEnv: string;
  targets: { crossplane: number; other: number };
  canaryPlaces: string[];
  baseline: Baseline;
}

const SHOWN = 5;

const latency = (ms: number[]) =>
  ms.length
    ? `p50 ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(
        ms,
        99,
      ).toFixed(0)} ms`
    : 'none';

const listed = (items: string[]) =>
  items.length
    ? ` (${items.slice(0, 5).join(', ')}${items.length > 5 ? ', ...' : ''})`
    : '';

function table(tally: Tally): string[] {
  const statuses = [
    ...new Set([...tally.byRoute.values()].flatMap(m => [...m.keys()])),
  ].sort((a, b) => a - b);
  const header = [
    'route',
    'total',
    ...statuses.map(s => (s === 0 ? 'none' : String(s))),
  ];
  const rows = [...tally.byRoute.keys()].sort().map(route => {
    const m = tally.byRoute.get(route)!;
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    return [route, String(total), ...statuses.map(s => String(m.get(s) ?? 0))];
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')}`;
  return [line(header), ...rows.map(line)];
}

function examples(title: string, list: Example[], count: number): string[] {
  if (count === 0) return [`${title}: 0`];
  const out = [`${title}: ${count} (first ${Math.min(SHOWN, list.length)})`];
  for (const e of list.slice(0, SHOWN)) {
    out.push(`  - ${e.route}: ${e.description}`);
    out.push(`    request:  ${e.request}`);
    out.push(
      `    response: ${e.status} ${e.response
        .replace(/\s+/g, ' ')
        .slice(0, 400)}`,
    );
    if (e.note) out.push(`    why:      ${e.note}`);
  }
  return out;
}

export function summaryLine(tally: Tally): string {
  return `fuzz: ${tally.total} requests, 5xx ${tally.counts.serverError}, unnamed 400 ${tally.counts.unnamed400}, path leaks ${tally.leakingResponses}, canary hits ${tally.counts.canary}`;
}

export function formatReport(
  tally: Tally,
  info: RunInfo,
  check: ClusterCheck,
): string {
  const c = tally.counts;
  const lines = [
    `fuzz: seed ${info.seed}, request set ${info.requestSet}: ${info.statusProbes} status requests, ${info.dryRunProbes} scaffolder dry runs, ${info.taskProbes} scaffolder tasks; backend NODE_ENV=${info.nodeEnv}, ${info.clients} clients`,
    `targets: ${info.targets.crossplane} Crossplane objects from /summary and /tree, ${info.targets.other} other objects (Secrets, workloads, namespaces, XRDs)`,
    `canary in: ${info.canaryPlaces.join('; ')}`,
    `baseline: ${info.baseline.sent - info.baseline.failures.length} of ${
      info.baseline.sent
    } well-formed requests (every real object on /tree, /events, /yaml; each dry-run input before mutation; the task's form as it is) answered 200 (a task: completed)`,
    ...info.baseline.failures.slice(0, 10).map(f => `  - ${f}`),
    `time: status routes ${info.statusSeconds.toFixed(1)} s (${latency(
      tally.latenciesOf('GET'),
    )}), dry runs ${info.dryRunSeconds.toFixed(1)} s (${latency(
      tally.latenciesOf('dry-run'),
    )}), tasks ${info.taskSeconds.toFixed(1)} s (${latency(
      tally.latenciesOf('task'),
    )})${
      info.skipped ? `; ${info.skipped} requests not sent (time limit)` : ''
    }`,
    '',
    'responses by route and status (431: the URL is larger than the HTTP server takes; none: no response):',
    ...table(tally),
    '',
    `2xx ${tally.count(s => s >= 200 && s < 300)}, 4xx ${tally.count(
      s => s >= 400 && s < 500,
    )} (403 not allowed: ${tally.count(s => s === 403)}), 5xx ${
      c.serverError
    }, no response ${c.noResponse}`,
    ...examples('5xx', tally.examples.serverError, c.serverError),
    ...examples(
      '400 that does not name the bad field',
      tally.examples.unnamed400,
      c.unnamed400,
    ),
    ...examples(
      `server paths (${
        [...tally.pathsFound].map(([p, n]) => `${p} ${n}`).join(', ') || 'none'
      })`,
      tally.examples.pathLeak,
      c.pathLeak,
    ),
    ...examples('stack traces', tally.examples.stackTrace, c.stackTrace),
    ...examples('canary hits', tally.examples.canary, c.canary),
    ...examples(
      'no response (timeout, reset)',
      tally.examples.noResponse,
      c.noResponse,
    ),
    `cluster after the dry runs: ${check.missing.length} objects gone${listed(
      check.missing,
    )}, ${check.created.length} created${listed(check.created)}`,
    `files written outside a dry run's workspace: ${
      check.escapedFiles.length
    }${listed(check.escapedFiles)}`,
    `portal after the run: ${
      check.portalHealthy ? 'healthy' : 'NOT answering /health or /summary'
    }`,
    '',
    summaryLine(tally),
  ];
  return lines.join('\n');
}
