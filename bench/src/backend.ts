/*
 * The backend under measurement, one process per run: Backstage's catalog
 * and kubernetes backends on the same database, plus either the PlatformOps
 * suite or the peer ingestor (BENCH_SUBJECT). Config comes from the files
 * the harness passes with --config.
 */
import fs from 'node:fs';
import { createBackend } from '@backstage/backend-defaults';

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

backend.start();
