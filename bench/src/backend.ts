/*
 * The backend under measurement, one process per run: Backstage's catalog
 * and kubernetes backends on the same database, plus either the PlatformOps
 * suite or the peer ingestor (BENCH_SUBJECT). Config comes from the files
 * the harness passes with --config.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createBackend } from '@backstage/backend-defaults';
import { loadSuiteBuilt } from './builtSuite';

loadSuiteBuilt();

const subject = process.env.BENCH_SUBJECT;
const backend = createBackend();

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-kubernetes-backend'));

if (subject === 'platformops') {
  backend.add(import('@platformops/plugin-crossplane-backend'));
  backend.add(import('@platformops/plugin-catalog-backend-module-crossplane'));
} else if (subject === 'peer') {
  backend.add(import('@terasky/backstage-plugin-kubernetes-ingestor'));
} else if (subject === 'scaffolder') {
  backend.add(import('@backstage/plugin-scaffolder-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(
    import('@platformops/plugin-scaffolder-backend-module-crossplane'),
  );
  // The template's last step waits for the claim's entity, as in a portal.
  backend.add(import('@platformops/plugin-catalog-backend-module-crossplane'));
} else {
  throw new Error(
    `BENCH_SUBJECT must be platformops, peer or scaffolder, got ${subject}`,
  );
}

// The harness's heap reading: the heap in use after a full collection,
// written whole (renamed into place) to the file it names.
process.on('SIGUSR2', () => {
  const file = process.env.BENCH_HEAP_FILE;
  if (!file) return;
  (global as { gc?: () => void }).gc?.();
  fs.writeFileSync(`${file}.tmp`, String(process.memoryUsage().heapUsed));
  fs.renameSync(`${file}.tmp`, file);
});

// BENCH_LOOP_STATS=1: every 10 s, the event loop's delay and the garbage
// collector's pauses since the last line, to see what a latency waited for.
if (process.env.BENCH_LOOP_STATS) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const pauses = { count: 0, totalMs: 0, maxMs: 0, majorMs: 0 };
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      pauses.count++;
      pauses.totalMs += entry.duration;
      pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
      // kind 4: a full (mark-compact) collection.
      if ((entry as { detail?: { kind?: number } }).detail?.kind === 4)
        pauses.majorMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    const heap = process.memoryUsage();
    process.stderr.write(
      `loop-stats ${new Date().toISOString()} delay p50 ${ms(
        delay.percentile(50),
      )} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms; gc ${
        pauses.count
      } pauses ${pauses.totalMs.toFixed(0)} ms (full ${pauses.majorMs.toFixed(
        0,
      )}), longest ${pauses.maxMs.toFixed(0)} ms; heap ${(
        heap.heapUsed /
        2 ** 20
      ).toFixed(0)} MiB, rss ${(heap.rss / 2 ** 20).toFixed(0)} MiB\n`,
    );
    delay.reset();
    Object.assign(pauses, { count: 0, totalMs: 0, maxMs: 0, majorMs: 0 });
  }, 10_000).unref();
}

// BENCH_CPU_PROFILE=<from s>,<for s>: a CPU profile of that stretch after
// start, written beside the backend's log as `.cpuprofile` (for Chrome's
// DevTools, or to sum self time by function).
const profile = process.env.BENCH_CPU_PROFILE?.split(',').map(Number);
const out = process.env.BENCH_PROFILE_FILE;
if (profile?.length === 2 && out) {
  const [fromS, forS] = profile;
  const session = new inspector.Session();
  session.connect();
  setTimeout(() => {
    session.post('Profiler.enable', () =>
      session.post('Profiler.start', () =>
        setTimeout(
          () =>
            session.post('Profiler.stop', (error, result) => {
              if (!error) fs.writeFileSync(out, JSON.stringify(result.profile));
              process.stderr.write(`cpu profile: ${error ?? out}\n`);
            }),
          forS * 1000,
        ).unref(),
      ),
    );
  }, fromS * 1000).unref();
}

backend.start();
