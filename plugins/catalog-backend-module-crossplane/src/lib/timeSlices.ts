import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

/** The longest a loop over a cluster's objects holds the event loop. */
const SLICE_MS = 20;

/**
 * A yield point for long loops over a cluster's objects (a full write maps
 * tens of thousands): `await next()` in each round lets requests and the
 * catalog's own work run every `SLICE_MS`, instead of after the loop.
 */
export function timeSlices(sliceMs = SLICE_MS): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < sliceMs) return;
    await setImmediate();
    started = performance.now();
  };
}
