/*
 * The backend under measurement, one process per run: Backstage's catalog
 * and kubernetes backends on the same database, plus either the PlatformOps
 * suite or the peer ingestor (BENCH_SUBJECT). Config comes from the files
 * the harness passes with --config.
 */
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

backend.start();
