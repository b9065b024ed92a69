/** How long a first write's bulk waits for the entities written ahead of it. */
export interface BulkHoldOptions {
  /**
   * How often the catalog is asked at most (a count over the catalog's
   * entities); 1 s, 2 s, 4 s... up to this, since a small catalog shows
   * them within seconds.
   */
  intervalMs: number;
  /** Released when the count has not grown for this long. */
  stallMs: number;
  /** Released after this long in any case. */
  maxMs: number;
}

/**
 * The catalog works through every cluster's claims in the order they were
 * written, so one cluster's count may stay still while another's grow:
 * 2 minutes without growth, before giving up on the rest.
 */
export const DEFAULT_BULK_HOLD: BulkHoldOptions = {
  intervalMs: 5_000,
  stallMs: 120_000,
  maxMs: 10 * 60_000,
};

export type BulkHoldOutcome = 'held' | 'stalled' | 'timeout' | 'closed';

/**
 * Waits until the catalog holds `expected` entities of a provider (its
 * cluster and claims, written ahead of the bulk of its entities), so that
 * the catalog spends its first minutes on what developers look for. The
 * catalog processes and stitches entities in the order they were written
 * and marked, one by one; a bulk written meanwhile competes with the claims
 * for its CPU and puts the work its relations cause between them.
 *
 * Resolves `held` once they are all there (at once on a restart, where the
 * catalog holds them already), `stalled` when the count stopped growing
 * for `stallMs` (an entity the catalog refuses never shows; a count that
 * fails counts as no progress), `timeout` after `maxMs`, and `closed` as
 * soon as `writing()` turns false (the writing window closed: no bulk is
 * to be written from here).
 */
export async function waitUntilHeld(options: {
  expected: number;
  count: () => Promise<number>;
  writing: () => boolean;
  hold?: BulkHoldOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<BulkHoldOutcome> {
  const { expected, count, writing } = options;
  const hold = options.hold ?? DEFAULT_BULK_HOLD;
  const now = options.now ?? Date.now;
  const sleep =
    options.sleep ?? (ms => new Promise<void>(r => setTimeout(r, ms)));
  const started = now();
  let best = -1;
  let grewAt = started;
  let asked = 0;
  for (;;) {
    if (!writing()) return 'closed';
    let held = best;
    try {
      held = await count();
    } catch {
      // Asked again at the next interval; no progress meanwhile.
    }
    if (held >= expected) return 'held';
    if (!writing()) return 'closed';
    if (held > best) {
      best = held;
      grewAt = now();
    }
    if (now() - grewAt >= hold.stallMs) return 'stalled';
    if (now() - started >= hold.maxMs) return 'timeout';
    await sleep(Math.min(hold.intervalMs, 1_000 * 2 ** asked));
    asked += 1;
  }
}
