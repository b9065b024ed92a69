/** How much of a retry delay is random, so that kinds do not retry in step. */
const JITTER = 0.5;

/**
 * The delay before retry number `failures + 1`: `baseMs` doubled per
 * earlier failure up to `maxMs`, then shortened by up to half at random, so
 * that it never exceeds `maxMs`.
 */
export function retryDelay(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const delay = Math.min(baseMs * 2 ** failures, maxMs);
  return delay * (1 - JITTER * random());
}
