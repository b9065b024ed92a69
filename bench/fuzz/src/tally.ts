/*
 * Counts what the responses showed, by route and status, and keeps the first
 * examples of each finding for the report.
 */
import { Canary, canaryIn } from './canary';
import {
  errorMessage,
  findLeaks,
  namesField,
  Outcome,
  Probe,
} from './findings';

export interface Example {
  route: string;
  description: string;
  request: string;
  status: number;
  response: string;
  /** Why it is listed (the leaked path, the needle, the message). */
  note?: string;
}

export type Finding =
  | 'serverError'
  | 'unnamed400'
  | 'pathLeak'
  | 'stackTrace'
  | 'canary'
  | 'noResponse';

/** Examples kept per finding (all of them are counted). */
const KEPT = 50;
const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;

export class Tally {
  total = 0;
  readonly byRoute = new Map<string, Map<number, number>>();
  readonly counts: Record<Finding, number> = {
    serverError: 0,
    unnamed400: 0,
    pathLeak: 0,
    stackTrace: 0,
    canary: 0,
    noResponse: 0,
  };
  /** Responses with a server path or a stack trace (either). */
  leakingResponses = 0;
  readonly pathsFound = new Map<string, number>();
  readonly examples: Record<Finding, Example[]> = {
    serverError: [],
    unnamed400: [],
    pathLeak: [],
    stackTrace: [],
    canary: [],
    noResponse: [],
  };
  /** Milliseconds of every answered request, by route. */
  readonly latencies = new Map<string, number[]>();

  constructor(private readonly canary: Canary) {}

  record(probe: Probe, request: string, outcome: Outcome) {
    this.total += 1;
    const statuses = this.byRoute.get(probe.route) ?? new Map<number, number>();
    statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    this.byRoute.set(probe.route, statuses);
    const example = (note?: string): Example => ({
      route: probe.route,
      description: clip(probe.description, 300),
      request: clip(request, 600),
      status: outcome.status,
      response: clip(outcome.failure ?? outcome.text, 1500),
      note,
    });
    const found = (finding: Finding, note?: string) => {
      this.counts[finding] += 1;
      if (this.examples[finding].length < KEPT) {
        this.examples[finding].push(example(note));
      }
    };

    if (outcome.failure) {
      found('noResponse', outcome.failure);
      return;
    }
    const ms = this.latencies.get(probe.route) ?? [];
    ms.push(outcome.ms);
    this.latencies.set(probe.route, ms);
    if (outcome.status >= 500) found('serverError');
    if (outcome.status === 400) {
      const message = errorMessage(outcome.text);
      if (!namesField(message, probe.mutated, probe.sent)) {
        found(
          'unnamed400',
          probe.mutated.length > 0
            ? `does not name ${probe.mutated.join(' or ')}: ${clip(
                message,
                300,
              )}`
            : `a well-formed request: ${clip(message, 300)}`,
        );
      }
    }
    const leaks = findLeaks(outcome.text);
    if (leaks.paths.length > 0) {
      found('pathLeak', `${leaks.paths.join(', ')}: ${leaks.evidence}`);
      for (const p of leaks.paths) {
        this.pathsFound.set(p, (this.pathsFound.get(p) ?? 0) + 1);
      }
    }
    if (leaks.stackTrace) found('stackTrace', leaks.evidence);
    if (leaks.paths.length > 0 || leaks.stackTrace) this.leakingResponses += 1;
    const needle = canaryIn(outcome.text, this.canary);
    if (needle) {
      found(
        'canary',
        needle === this.canary.value ? 'the value' : 'its base64 form',
      );
    }
  }

  /** Latencies of the routes whose name starts with `prefix`. */
  latenciesOf(prefix: string): number[] {
    return [...this.latencies]
      .filter(([route]) => route.startsWith(prefix))
      .flatMap(([, ms]) => ms);
  }

  count(status: (s: number) => boolean, route?: string): number {
    let n = 0;
    for (const [r, statuses] of this.byRoute) {
      if (route && r !== route) continue;
      for (const [s, c] of statuses) if (status(s)) n += c;
    }
    return n;
  }
}
