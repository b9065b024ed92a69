/* eslint-disable no-console */
/*
 * Where a measured backend's catalog time went, read from its database after
 * the run (PostgreSQL only; each backend's catalog keeps its own database,
 * `<prefix>catalog`): per entity type, when the provider wrote the entities
 * (`refresh_state.last_discovery_at`) and when the catalog's stitcher made
 * them visible (`final_entities.last_updated_at`, the last change), in
 * seconds from the catalog's first migration, which is its start.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/src/catalogTimeline.ts [--database bench_platformops_..._catalog]
 *
 * Without --database: the newest database of each measured backend.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Rows of a query, through psql (as JSON, one row a line). */
function query(url: string, database: string, sql: string): any[] {
  const out = execFileSync(
    'psql',
    [
      `${url.replace(/\/[^/]*$/, '')}/${database}`,
      '-At',
      '-c',
      `select row_to_json(q) from (${sql}) q`,
    ],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line));
}

function timeline(url: string, database: string) {
  const rows = query(
    url,
    database,
    `with s as (select min(migration_time) as start from knex_migrations),
       t as (
         select coalesce(r.unprocessed_entity::json->'spec'->>'type',
                         r.unprocessed_entity::json->>'kind') as type,
                extract(epoch from r.last_discovery_at - s.start) as written,
                extract(epoch from f.last_updated_at - s.start) as stitched
         from refresh_state r left join final_entities f using (entity_id)
         cross join s)
       select type, count(*)::int as entities, count(stitched)::int as visible,
              min(written) as first_written, max(written) as last_written,
              min(stitched) as first_visible,
              percentile_cont(0.5) within group (order by stitched) as median_visible,
              max(stitched) as last_visible
       from t group by type order by min(written), type`,
  );
  const s = (v: number | null) => (v === null ? '-' : `${(+v).toFixed(1)} s`);
  console.log(`\n${database} (from the catalog's start)\n`);
  console.log(
    '| type | entities (visible) | written | visible: first / median / last |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) {
    const written =
      Math.abs(r.last_written - r.first_written) < 0.05
        ? s(r.first_written)
        : `${s(r.first_written)} to ${s(r.last_written)}`;
    console.log(
      `| ${r.type} | ${r.entities} (${r.visible}) | ${written} | ${s(
        r.first_visible,
      )} / ${s(r.median_visible)} / ${s(r.last_visible)} |`,
    );
  }
}

function main() {
  const url = execFileSync(
    'bash',
    [path.join(REPO_ROOT, 'scripts/postgres.sh')],
    { encoding: 'utf8' },
  ).trim();
  let databases = flag('database') ? [flag('database')!] : [];
  if (databases.length === 0) {
    const rows = query(
      url,
      'postgres',
      `select datname from pg_database where datname like 'bench\\_%catalog'`,
    );
    // Prefixes end in the start time (base 36): the newest of each backend.
    const newest = new Map<string, string>();
    for (const { datname } of rows as { datname: string }[]) {
      const backend = datname.replace(/_[0-9a-z]+_catalog$/, '');
      const known = newest.get(backend);
      if (!known || known < datname) newest.set(backend, datname);
    }
    databases = [...newest.values()].sort();
  }
  for (const database of databases) timeline(url, database);
}

main();
