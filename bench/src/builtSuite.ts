/*
 * The suite's backend packages as a deployment runs them: built
 * (`backstage-cli package build`, what `publishConfig.main` names), not
 * compiled from TypeScript as they load. The peer is measured as published,
 * so measuring the suite from source counted the compiler in its start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './paths';

/** The suite's packages a benchmark backend loads, by their folder. */
const SUITE = [
  'crossplane-common',
  'crossplane-node',
  'crossplane-backend',
  'catalog-backend-module-crossplane',
  'scaffolder-backend-module-crossplane',
];

/** Set for the backends once the suite is built: they load it built. */
export const BUILT_SUITE_ENV = 'BENCH_BUILT_SUITE';

function builtEntries(): Map<string, string> {
  return new Map(
    SUITE.map(folder => {
      const dir = path.join(REPO_ROOT, 'plugins', folder);
      const manifest = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      );
      return [
        manifest.name as string,
        path.join(dir, manifest.publishConfig.main as string),
      ];
    }),
  );
}

/** Builds the suite's backend packages, as a release would (`yarn tsc` first). */
export function buildSuite(log: (line: string) => void): void {
  const started = Date.now();
  // The package build wants the declarations `yarn tsc` writes (dist-types).
  execFileSync('yarn', ['tsc'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const folder of SUITE) {
    execFileSync('yarn', ['build'], {
      cwd: path.join(REPO_ROOT, 'plugins', folder),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  process.env[BUILT_SUITE_ENV] = '1';
  log(
    `suite built (${SUITE.length} packages in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s): the backends load it built`,
  );
}

/**
 * In a backend: the suite's packages resolve to their built entry points
 * (each package's own imports of the others too), when the harness built
 * them.
 */
export function loadSuiteBuilt(): void {
  if (!process.env[BUILT_SUITE_ENV]) return;
  const entries = builtEntries();
  for (const entry of entries.values()) {
    if (!fs.existsSync(entry)) throw new Error(`${entry} is not built`);
  }
  const resolver = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function resolveBuilt(request, ...rest) {
    return entries.get(request) ?? resolve.call(this, request, ...rest);
  };
}
