/* Small measuring helpers: clocks, polling, percentiles. */

export const now = () => performance.now();

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Calls `probe` every `intervalMs` until it returns true; resolves with the
 * elapsed milliseconds since `since`, or undefined after `timeoutMs`.
 */
export async function timeUntil(
  probe: () => Promise<boolean>,
  options: { since?: number; intervalMs?: number; timeoutMs: number },
): Promise<number | undefined> {
  const since = options.since ?? now();
  const deadline = since + options.timeoutMs;
  for (;;) {
    try {
      if (await probe()) return now() - since;
    } catch {
      // not there yet (backend busy or starting)
    }
    if (now() > deadline) return undefined;
    await sleep(options.intervalMs ?? 250);
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
}

export const median = (values: number[]) => percentile(values, 50);

/**
 * Runs `request` `total` times from `clients` concurrent clients and returns
 * each latency in milliseconds.
 */
export async function latencies(
  clients: number,
  total: number,
  request: (i: number) => Promise<void>,
): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const start = now();
        await request(i);
        out.push(now() - start);
      }
    }),
  );
  return out;
}

export function seconds(ms: number | undefined): string {
  if (ms === undefined) return 'timeout';
  return ms < 10_000
    ? `${(ms / 1000).toFixed(2)} s`
    : `${(ms / 1000).toFixed(1)} s`;
}

export function millis(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function ratio(
  value: number | undefined,
  floor: number | undefined,
): string {
  if (value === undefined || floor === undefined || floor === 0) return 'n/a';
  return `${(value / floor).toFixed(1)}x`;
}
