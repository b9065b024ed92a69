/*
 * Installs the PlatformOps suite into a fresh Backstage app the way a
 * platform team would, and checks that it works: packs the suite's packages,
 * creates an app with @backstage/create-app, follows the READMEs' install
 * steps (read from the READMEs), type-checks and builds the app, starts its
 * backend against a local control plane and asks it for a Crossplane claim
 * in the catalog, the status routes and the scaffolder actions.
 *
 * Run through scripts/install-check.sh, which sets up Node and Yarn.
 */
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const YAML = require('yaml');
const { alignBackstageVersions } = require('./backstageVersions');
const { createClaim, deleteClaim } = require('./controlPlane');
const { startRegistry, readPackedManifest } = require('./registry');
const {
  readSteps,
  shellCommands,
  applyBackendStep,
  applyAppStep,
  mergeConfig,
} = require('./readmeSteps');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const { controlPlaneInfo, isControlPlaneUp } = require(path.join(
  REPO_ROOT,
  'tools/controlplane',
));

const CREATE_APP = '@backstage/create-app@0.9.2';
/** The packages, in the order their README steps are applied. */
const PACKAGES = [
  'crossplane-common',
  'crossplane-node',
  'crossplane-backend',
  'catalog-backend-module-crossplane',
  'scaffolder-backend-module-crossplane',
  'crossplane',
];
const CLAIM_NAMESPACE = 'team-alpha';

const options = parseArgs(process.argv.slice(2));
const workDir = path.resolve(
  options.dir ??
    process.env.PLATFORMOPS_INSTALL_CHECK_DIR ??
    path.join(os.tmpdir(), 'platformops-install-check'),
);
const cacheDir = path.resolve(
  process.env.PLATFORMOPS_INSTALL_CHECK_CACHE ??
    path.join(os.homedir(), '.cache', 'platformops-install-check'),
);
const appDir = path.join(workDir, 'app');
const packDir = path.join(workDir, 'packs');
const logDir = path.join(workDir, 'logs');

function parseArgs(argv) {
  const opts = { controlPlane: 'itest', frontendBuild: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dir') opts.dir = argv[++i];
    else if (arg === '--control-plane') opts.controlPlane = argv[++i];
    else if (arg === '--skip-frontend-build') opts.frontendBuild = false;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--resume') opts.resume = argv[++i];
    else if (arg === '--source') opts.source = argv[++i];
    else {
      console.error(
        'usage: install-check.sh [--dir DIR] [--control-plane NAME] [--skip-frontend-build] [--keep] [--resume PHASE] [--source REV]',
      );
      process.exit(2);
    }
  }
  return opts;
}

// ---- running commands ------------------------------------------------------

/** Runs a command with its output in logs/<log>.log; throws with its tail. */
function run(command, args, { cwd, env, log }) {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${log}.log`);
  fs.appendFileSync(
    logFile,
    `$ ${[command, ...args].join(' ')}  (in ${cwd})\n`,
  );
  const out = fs.openSync(logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', out, out],
    });
    child.on('error', reject);
    child.on('exit', code => {
      fs.closeSync(out);
      if (code === 0) {
        resolve();
        return;
      }
      const tail = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .slice(-40)
        .join('\n');
      reject(
        new Error(
          `${command} ${args.join(
            ' ',
          )} exited with ${code} (${logFile}):\n${tail}`,
        ),
      );
    });
  });
}

const yarn = (args, cwd, log, env) => run('yarn', args, { cwd, log, env });

const PHASES = [
  'pack',
  'create-app',
  'install',
  'follow-readmes',
  'tsc',
  'build',
  'start-and-verify',
];
const phases = [];
/** Runs a phase, unless `--resume` (a developer's rerun) starts later. */
async function phase(name, fn, skipped) {
  if (PHASES.indexOf(name) < PHASES.indexOf(options.resume ?? 'pack')) {
    return skipped?.();
  }
  const start = Date.now();
  console.log(`install-check: ${name}...`);
  try {
    return await fn();
  } finally {
    const seconds = (Date.now() - start) / 1000;
    phases.push({ name, seconds });
    console.log(`install-check: ${name} ${seconds.toFixed(1)} s`);
  }
}

// ---- phases -------------------------------------------------------------

/**
 * With `--source REV`, the suite is packed from that commit rather than the
 * working tree: its files in workDir/source, with hard-linked copies of the
 * installed node_modules (links to the workspaces stay relative, so they
 * point into the snapshot).
 */
async function snapshotSource(rev) {
  const dir = path.join(workDir, 'source');
  fs.mkdirSync(dir, { recursive: true });
  await run(
    'bash',
    [
      '-c',
      'git -C "$1" archive "$2" | tar -x -C "$3"',
      '-',
      REPO_ROOT,
      rev,
      dir,
    ],
    { cwd: workDir, log: 'pack' },
  );
  const workspaces = ['.', 'bench', 'packages', 'plugins'].flatMap(d =>
    d === '.' || d === 'bench'
      ? [d]
      : fs.readdirSync(path.join(REPO_ROOT, d)).map(n => path.join(d, n)),
  );
  for (const ws of workspaces) {
    const modules = path.join(REPO_ROOT, ws, 'node_modules');
    if (fs.existsSync(modules) && fs.existsSync(path.join(dir, ws))) {
      await run('cp', ['-al', modules, path.join(dir, ws)], {
        cwd: workDir,
        log: 'pack',
      });
    }
  }
  fs.mkdirSync(path.join(dir, '.yarn'), { recursive: true });
  fs.copyFileSync(
    path.join(REPO_ROOT, '.yarn/install-state.gz'),
    path.join(dir, '.yarn/install-state.gz'),
  );
  return dir;
}

/** Builds each package as `prepack` expects and packs it with `yarn pack`. */
async function packSuite(sourceRoot) {
  fs.mkdirSync(packDir, { recursive: true });
  // Type declarations for the packages' dist/index.d.ts come from dist-types.
  await yarn(['tsc'], sourceRoot, 'pack');
  const tarballs = [];
  for (const pkg of PACKAGES) {
    const dir = path.join(sourceRoot, 'plugins', pkg);
    await yarn(['backstage-cli', 'package', 'build'], dir, 'pack');
    const { name, version } = readJson(path.join(dir, 'package.json'));
    const tarball = path.join(
      packDir,
      `${name.replace('@', '').replace('/', '-')}-${version}.tgz`,
    );
    await yarn(['pack', '--out', tarball], dir, 'pack');
    checkTarball(tarball);
    tarballs.push(tarball);
  }
  return tarballs;
}

/** Every entry point a packed package.json names is in the tarball. */
/**
 * The app must run the code just packed, not a package of the same name
 * and version that a cache kept from an earlier run: each packed file's
 * bytes are compared with the installed one's.
 */
function checkInstalledFromPacks(tarballs) {
  for (const tarball of tarballs) {
    const { name } = readPackedManifest(tarball);
    const installed = ['.', 'packages/backend', 'packages/app']
      .map(dir => path.join(appDir, dir, 'node_modules', name))
      .find(dir => fs.existsSync(dir));
    if (!installed) throw new Error(`${name}: not installed in the app`);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(f => f.startsWith('package/dist/') && f.endsWith('.js'));
    for (const file of files) {
      const packed = execFileSync('tar', ['-xzOf', tarball, file]);
      const target = path.join(installed, file.replace(/^package\//, ''));
      if (!fs.existsSync(target) || !packed.equals(fs.readFileSync(target))) {
        throw new Error(
          `${name}: the app's ${file.replace(
            /^package\//,
            '',
          )} is not the one just packed (a cached package of an earlier run?)`,
        );
      }
    }
  }
}

function checkTarball(tarball) {
  const files = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const pkg = readPackedManifest(tarball);
  const named = [pkg.main, pkg.module, pkg.types, pkg.configSchema];
  // Export conditions name files ("./dist/..."); `backstage` names a feature type.
  const walk = value => {
    if (typeof value === 'string' && value.startsWith('./')) named.push(value);
    else if (value && typeof value === 'object')
      Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  const missing = named
    .filter(Boolean)
    .map(f => f.replace(/^\.\//, ''))
    .filter(f => !files.has(f));
  const problems = [
    ...missing.map(f => `names ${f}, which it does not contain`),
    ...[...files].filter(f => f.startsWith('src/')).map(f => `ships ${f}`),
    ...Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })
      .filter(([, range]) => String(range).startsWith('workspace:'))
      .map(([dep]) => `depends on ${dep} through the workspace protocol`),
  ];
  if (problems.length) {
    throw new Error(`${path.basename(tarball)}: ${problems.join('; ')}`);
  }
}

async function createApp() {
  fs.mkdirSync(workDir, { recursive: true });
  await run('npx', ['--yes', CREATE_APP, '--path', appDir, '--skip-install'], {
    cwd: workDir,
    env: { BACKSTAGE_APP_NAME: 'app' },
    log: 'create',
  });
}

/**
 * What the app needs from this machine, not from the READMEs: the
 * repository's Backstage line, the registry serving the packed suite, and
 * the repository's lockfile as the seed create-app fetches when online.
 */
function prepareApp(registryUrl) {
  const { line, chosen } = alignBackstageVersions({
    repoRoot: REPO_ROOT,
    packageJsonPaths: [
      'package.json',
      'packages/app/package.json',
      'packages/backend/package.json',
    ].map(f => path.join(appDir, f)),
    cacheFile: path.join(cacheDir, 'backstage-versions.json'),
  });
  fs.writeFileSync(
    path.join(appDir, 'backstage.json'),
    `${JSON.stringify({ version: line }, null, 2)}\n`,
  );
  const fromRegistry = Object.entries(chosen).filter(([, v]) =>
    v.endsWith('(registry)'),
  );
  console.log(
    `install-check: Backstage ${line}: ${
      Object.keys(chosen).length
    } @backstage packages, ${
      fromRegistry.length
    } not in this repository: ${fromRegistry
      .map(([n, v]) => `${n}@${v.split(' ')[0]}`)
      .join(', ')}`,
  );

  // better-sqlite3 13 ships a prebuilt binary for Node 22 in its npm tarball
  // (the GitHub downloads of 12's are out of reach), as in this repository.
  const rootPkgFile = path.join(appDir, 'package.json');
  const rootPkg = readJson(rootPkgFile);
  rootPkg.resolutions = {
    ...rootPkg.resolutions,
    'better-sqlite3': readJson(path.join(REPO_ROOT, 'package.json'))
      .resolutions['better-sqlite3'],
  };
  fs.writeFileSync(rootPkgFile, `${JSON.stringify(rootPkg, null, 2)}\n`);

  fs.copyFileSync(
    path.join(REPO_ROOT, 'yarn.lock'),
    path.join(appDir, 'yarn.lock'),
  );

  const yarnrcFile = path.join(appDir, '.yarnrc.yml');
  const yarnrc = YAML.parse(fs.readFileSync(yarnrcFile, 'utf8'));
  yarnrc.npmScopes = { platformops: { npmRegistryServer: registryUrl } };
  yarnrc.unsafeHttpWhitelist = ['127.0.0.1'];
  yarnrc.npmPreapprovedPackages = [
    ...(yarnrc.npmPreapprovedPackages ?? []),
    '@platformops/*',
  ];
  yarnrc.cacheFolder = path.join(cacheDir, 'yarn-cache');
  yarnrc.enableGlobalCache = false;
  // Nor from Yarn's global mirror, which keeps packages of earlier runs
  // under the same name and version.
  yarnrc.enableMirror = false;
  yarnrc.enableTelemetry = false;
  // Yarn makes installs immutable on CI; this app's lockfile is new.
  yarnrc.enableImmutableInstalls = false;
  fs.writeFileSync(yarnrcFile, YAML.stringify(yarnrc));

  // A package of an earlier run has the same version: never reuse it.
  fs.mkdirSync(yarnrc.cacheFolder, { recursive: true });
  for (const file of fs.readdirSync(yarnrc.cacheFolder)) {
    if (file.startsWith('@platformops-'))
      fs.rmSync(path.join(yarnrc.cacheFolder, file));
  }
}

/** The READMEs' marked install steps, applied in package order. */
async function followReadmes(sourceRoot) {
  const steps = PACKAGES.flatMap(pkg =>
    readSteps(path.join(sourceRoot, 'plugins', pkg, 'README.md')),
  );
  let config = {};
  const counts = {};
  for (const step of steps) {
    counts[step.kind] = (counts[step.kind] ?? 0) + 1;
    if (step.kind === 'shell') {
      // run below, together
    } else if (step.kind === 'backend') {
      applyBackendStep(appDir, step);
    } else if (step.kind === 'app') {
      applyAppStep(appDir, step);
    } else {
      config = mergeConfig(config, YAML.parse(step.body));
    }
  }
  for (const kind of ['shell', 'backend', 'app', 'app-config']) {
    if (!counts[kind])
      throw new Error(`no README has an install-check '${kind}' step`);
  }
  for (const [cmd, ...args] of shellCommands(
    steps.filter(s => s.kind === 'shell'),
  )) {
    await run(cmd, args, { cwd: appDir, log: 'readme' });
  }
  fs.writeFileSync(
    path.join(workDir, 'readme-config.yaml'),
    YAML.stringify(config),
  );
  return { config, counts };
}

/**
 * The environment's part of the configuration: the port, a fast first
 * catalog pass and the values the READMEs' `${...}` placeholders take.
 */
function writeLocalConfig(readmeConfig, port) {
  const local = mergeConfig(readmeConfig, {
    app: { baseUrl: `http://localhost:${port}` },
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
    },
  });
  fs.writeFileSync(
    path.join(appDir, 'app-config.local.yaml'),
    YAML.stringify(local),
  );
}

function placeholderEnv(cp) {
  return {
    PRODUCTION_URL: cp.url,
    PRODUCTION_TOKEN: cp.portalToken,
    PRODUCTION_CA: cp.caData,
  };
}

async function freePort() {
  const server = net.createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** `yarn start`'s backend half: `backstage-cli package start`. */
function startBackend(env) {
  fs.mkdirSync(logDir, { recursive: true });
  const out = fs.openSync(path.join(logDir, 'backend.log'), 'a');
  const child = spawn('yarn', ['workspace', 'backend', 'start'], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.exited = new Promise(resolve => child.on('exit', resolve));
  return child;
}

async function stopBackend(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 10_000);
  await child.exited;
  clearTimeout(timer);
}

/** Polls `probe` until it returns a value; fails with its last reason. */
async function until(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}

async function getJson(url, token) {
  const res = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The portal's checks, as a signed-in guest of the created app. */
async function verify(baseUrl, claim, backend) {
  await until('the backend to be ready', 300_000, async () => {
    if (backend.exitCode !== null) throw new Error('the backend exited');
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    return res.ok;
  });

  const refresh = await fetch(
    `${baseUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!refresh.ok)
    throw new Error(`guest sign-in: ${refresh.status} ${await refresh.text()}`);
  const token = (await refresh.json()).backstageIdentity?.token;
  if (!token) throw new Error('guest sign-in returned no token');

  const actions = await getJson(`${baseUrl}/api/scaffolder/v2/actions`, token);
  const ids = actions.map(a => a.id);
  if (!ids.includes('crossplane:render')) {
    throw new Error(
      `crossplane:render is not registered; actions: ${ids.join(', ')}`,
    );
  }
  console.log(
    `install-check: scaffolder actions: ${ids
      .filter(id => id.startsWith('crossplane:'))
      .join(', ')}`,
  );

  const clusters = await until(
    'the status routes to list the cluster',
    60_000,
    async () => {
      const body = await getJson(`${baseUrl}/api/crossplane/clusters`, token);
      return body.items?.some(c => c.name === 'production') && body.items;
    },
  );
  console.log(
    `install-check: /api/crossplane/clusters: ${clusters
      .map(c => c.name)
      .join(', ')}`,
  );

  const filter = encodeURIComponent(
    `metadata.annotations.platformops.io/name=${claim.name}`,
  );
  const entity = await until(
    'the catalog to ingest the claim',
    240_000,
    async () => {
      const body = await getJson(
        `${baseUrl}/api/catalog/entities/by-query?filter=${filter}`,
        token,
      );
      return body.items?.find(
        e =>
          e.metadata.annotations?.['platformops.io/namespace'] ===
          claim.namespace,
      );
    },
  );
  console.log(
    `install-check: catalog: ${entity.kind.toLowerCase()}:${
      entity.metadata.namespace
    }/${entity.metadata.name} for claim ${claim.namespace}/${claim.name}`,
  );

  await until('the claim in /api/crossplane/summary', 60_000, async () => {
    const query = new URLSearchParams({
      cluster: 'production',
      namespace: claim.namespace,
    });
    const body = await getJson(
      `${baseUrl}/api/crossplane/summary?${query}`,
      token,
    );
    return JSON.stringify(body).includes(claim.name);
  });
  console.log('install-check: /api/crossplane/summary lists the claim');
}

/** The app's bundle discovered the frontend plugin (`app.packages: all`). */
function checkAppBundle() {
  const dir = path.join(appDir, 'packages/app/dist/static');
  const found = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .some(f =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .includes('name:"@platformops/plugin-crossplane"'),
    );
  if (!found) {
    throw new Error('the app bundle has no @platformops/plugin-crossplane');
  }
}

/** The backend serves the built app (app-backend). */
async function verifyAppServed(baseUrl) {
  const res = await fetch(`${baseUrl}/`);
  const html = await res.text();
  if (!res.ok || !html.includes('<div id="root">')) {
    throw new Error(`the app at /: ${res.status}`);
  }
  console.log('install-check: the backend serves the built app');
}

/**
 * A folder with gigabytes of node_modules is moved aside and deleted in the
 * background: an earlier run's while this one goes on, this one's after it.
 */
function removeInBackground(dir) {
  if (!fs.existsSync(dir)) return;
  const trash = `${dir}.old-${process.pid}`;
  fs.renameSync(dir, trash);
  spawn('nice', ['rm', '-rf', trash], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---- main -----------------------------------------------------------------

async function main() {
  const started = Date.now();
  let registry;
  let backend;
  let claim;
  let cp;
  let failure;
  try {
    if (!isControlPlaneUp({ name: options.controlPlane })) {
      throw new Error(
        `control plane '${options.controlPlane}' is not up (tools/controlplane/controlplane.sh up --name ${options.controlPlane})`,
      );
    }
    cp = controlPlaneInfo({ name: options.controlPlane });
    if (!options.resume) removeInBackground(workDir);
    fs.mkdirSync(workDir, { recursive: true });
    console.log(`install-check: in ${workDir} (Yarn cache ${cacheDir})`);

    const sourceRoot = options.source
      ? path.join(workDir, 'source')
      : REPO_ROOT;
    const tarballs = await phase(
      'pack',
      async () => {
        if (options.source) await snapshotSource(options.source);
        return packSuite(sourceRoot);
      },
      () => fs.readdirSync(packDir).map(f => path.join(packDir, f)),
    );
    registry = await startRegistry(tarballs);
    await phase('create-app', createApp);
    await phase('install', async () => {
      prepareApp(registry.url);
      await yarn(['install'], appDir, 'install');
    });
    const { config, counts } = await phase(
      'follow-readmes',
      () => followReadmes(sourceRoot),
      async () => ({
        config: YAML.parse(
          fs.readFileSync(path.join(workDir, 'readme-config.yaml'), 'utf8'),
        ),
        counts: {},
      }),
    );
    console.log(
      `install-check: README steps applied: ${JSON.stringify(counts)}`,
    );
    checkInstalledFromPacks(tarballs);
    await phase('tsc', () => yarn(['tsc'], appDir, 'tsc'));
    await phase('build', async () => {
      if (!options.frontendBuild) {
        await yarn(
          ['workspace', 'backend', 'build', '--skip-build-dependencies'],
          appDir,
          'build',
        );
        return;
      }
      // The backend's build bundles the app (the backend serves it).
      await yarn(['build:backend'], appDir, 'build');
      checkAppBundle();
    });
    await phase('start-and-verify', async () => {
      const port = await freePort();
      writeLocalConfig(config, port);
      claim = {
        namespace: CLAIM_NAMESPACE,
        name: `install-check-${process.pid}-${Date.now() % 100000}`,
      };
      await createClaim(cp, claim.namespace, claim.name);
      backend = startBackend(placeholderEnv(cp));
      await verify(`http://localhost:${port}`, claim, backend);
      if (options.frontendBuild)
        await verifyAppServed(`http://localhost:${port}`);
    });
  } catch (e) {
    failure = e;
  } finally {
    await stopBackend(backend);
    if (claim)
      await deleteClaim(cp, claim.namespace, claim.name).catch(e =>
        console.error(e.message),
      );
    await registry?.close();
    if (!failure && !options.keep) {
      removeInBackground(appDir);
      removeInBackground(path.join(workDir, 'source'));
    }
  }
  const total = (Date.now() - started) / 1000;
  console.log('install-check: times');
  for (const { name, seconds } of phases) {
    console.log(`  ${name.padEnd(18)} ${seconds.toFixed(1).padStart(7)} s`);
  }
  console.log(`  ${'total'.padEnd(18)} ${total.toFixed(1).padStart(7)} s`);
  if (failure) {
    console.error(`install-check: failed: ${failure.message}`);
    if (fs.existsSync(path.join(logDir, 'backend.log')) && backend) {
      console.error(`  backend log: ${path.join(logDir, 'backend.log')}`);
    }
    process.exit(1);
  }
  console.log('install-check: passed');
}

main();
