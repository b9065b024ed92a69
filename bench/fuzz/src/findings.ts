/*
 * What a response reveals: the error message of a 400 and whether it names
 * the field that was made bad, server paths, stack traces, and the canary.
 */

/** One request of the fuzz, as generated; routes and bodies vary. */
export interface Probe {
  /** e.g. `GET /yaml` or `dry-run crossplane:render`. */
  route: string;
  /** What was done to the request, for the report. */
  description: string;
  /**
   * The fields made bad. A 400 names its field when its message names one
   * of them; an empty list means the request is well-formed.
   */
  mutated: string[];
  /** Every string value sent, so that an echo of it is not taken for a finding. */
  sent: string[];
}

export interface Outcome {
  status: number;
  text: string;
  ms: number;
  /** Set when no HTTP response came (timeout, reset). */
  failure?: string;
  /** Counts it under another route than the probe's (a task's end state). */
  route?: string;
}

const SERVER_PATHS: [string, RegExp][] = [
  ['/work/', /\/work\//],
  ['/tmp/', /\/tmp\//],
  ['node_modules', /node_modules/],
  ['/root/', /\/root\//],
  ['/home/', /\/home\//],
  ['file://', /file:\/\//],
];

/** A V8 stack frame: `at fn (/x/y.js:1:2)`, `at /x/y.js:1:2`, `at node:internal/...`. */
const STACK_FRAME =
  /\bat (?:async )?(?:[\w$.<>[\]]+ )?\(?(?:\/|node:|file:|[A-Za-z]:\\)[^\s)]*:\d+:\d+\)?/;

/** The message of a Backstage error body, or the text when it is not one. */
export function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') return body.error.message;
    if (Array.isArray(body?.errors)) {
      return body.errors
        .map((e: any) => `${e?.property ?? ''} ${e?.message ?? e?.stack ?? ''}`)
        .join('; ');
    }
  } catch {
    // not JSON
  }
  return text;
}

/** Whether a JSON error body carries a stack. */
function hasStackProperty(text: string): boolean {
  try {
    const body = JSON.parse(text);
    return typeof body?.error?.stack === 'string';
  } catch {
    return false;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where `needle` occurs in `text`, as [start, end) intervals. */
function occurrences(text: string, needle: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    out.push([i, i + needle.length]);
  }
  return out;
}

/**
 * Whether an error message names one of the mutated fields: the field's name
 * as a word of its own (`name` is not found in `namespace` or `resource-name`,
 * but is in `metadata.name`) somewhere that is not inside an echo of a value
 * the request sent, so that an echoed value is never taken for the field's
 * name (values of fewer than 3 characters are not looked for).
 */
export function namesField(
  message: string,
  fields: string[],
  sent: string[],
): boolean {
  const echoes = [...new Set(sent)]
    .filter(v => v.trim().length >= 3)
    .flatMap(v => occurrences(message, v));
  return fields.some(field => {
    const word = new RegExp(
      `(?<![A-Za-z0-9_-])${escapeRegExp(field)}(?![A-Za-z0-9_-])`,
      'g',
    );
    for (const match of message.matchAll(word)) {
      const start = match.index!;
      const end = start + field.length;
      if (!echoes.some(([s, e]) => s <= start && end <= e)) return true;
    }
    return false;
  });
}

export interface Leaks {
  /** Names of the server paths found (`/work/`, `node_modules`, ...). */
  paths: string[];
  stackTrace: boolean;
  /** The text around the first one found, for the report. */
  evidence?: string;
}

export function findLeaks(text: string): Leaks {
  const found = SERVER_PATHS.filter(([, re]) => re.test(text));
  const first = [STACK_FRAME, ...found.map(([, re]) => re)]
    .map(re => re.exec(text))
    .find(m => m);
  return {
    paths: found.map(([n]) => n),
    stackTrace: STACK_FRAME.test(text) || hasStackProperty(text),
    evidence: first
      ? text.slice(Math.max(0, first.index - 120), first.index + 120)
      : undefined,
  };
}

/** Values a probe must not contain, or a finding could be its own echo. */
export function falseFindingIn(value: string): string | undefined {
  const leaks = findLeaks(value);
  if (leaks.paths.length > 0) return leaks.paths[0];
  if (leaks.stackTrace) return 'a stack frame';
  return undefined;
}
