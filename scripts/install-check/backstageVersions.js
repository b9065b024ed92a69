/*
 * Moves a created app's @backstage/* dependencies onto this repository's
 * Backstage release line. create-app pins an older release, and
 * `backstage-cli versions:bump` needs a manifest site that is not reachable:
 * a package this repository has installed takes its installed version; any
 * other takes the newest version the npm registry had published when this
 * repository's line came out (the publish time of its backend-defaults).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const semver = require('semver');

const REFERENCE_PACKAGE = '@backstage/backend-defaults';
/** A release publishes its packages within hours; patch releases follow. */
const RELEASE_WINDOW_MS = 2 * 24 * 3600 * 1000;

function installedVersion(repoRoot, name) {
  const file = path.join(repoRoot, 'node_modules', name, 'package.json');
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8')).version
    : undefined;
}

function publishTimes(name) {
  return JSON.parse(
    execFileSync('npm', ['view', name, 'time', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
}

/** The newest release of `name` published before `cutoff`. */
function versionAt(name, cutoff) {
  const candidates = Object.entries(publishTimes(name))
    .filter(([v, t]) => semver.valid(v) && !semver.prerelease(v))
    .filter(([, t]) => Date.parse(t) <= cutoff)
    .map(([v]) => v)
    .sort(semver.rcompare);
  if (!candidates.length) throw new Error(`${name}: no release before cutoff`);
  return candidates[0];
}

/**
 * Rewrites the @backstage/* ranges of the given package.json files; returns
 * `{ name: version }` of what it chose and where from. Lookups are cached in
 * `cacheFile`, keyed by the repository's line.
 */
function alignBackstageVersions({ repoRoot, packageJsonPaths, cacheFile }) {
  const line = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'backstage.json'), 'utf8'),
  ).version;
  const referenceVersion = installedVersion(repoRoot, REFERENCE_PACKAGE);
  const cacheKey = `${line}/${referenceVersion}`;
  let cache = {};
  try {
    cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  } catch {
    // first run
  }
  if (cache.key !== cacheKey) cache = { key: cacheKey, versions: {} };

  let cutoff;
  const chosen = {};
  for (const file of packageJsonPaths) {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (!name.startsWith('@backstage/')) continue;
        let version = installedVersion(repoRoot, name);
        let from = 'repository';
        if (!version) {
          from = 'registry';
          version = cache.versions[name];
          if (!version) {
            cutoff ??=
              Date.parse(publishTimes(REFERENCE_PACKAGE)[referenceVersion]) +
              RELEASE_WINDOW_MS;
            version = versionAt(name, cutoff);
            cache.versions[name] = version;
          }
        }
        pkg[field][name] = `^${version}`;
        chosen[name] = `${version} (${from})`;
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(cache, null, 2));
  return { line, chosen };
}

module.exports = { alignBackstageVersions };
