/*
 * Node helper for integration tests and scripts: starts (or reuses) a local
 * control plane instance through controlplane.sh and returns its connection
 * details. No dependencies.
 *
 *   const { ensureControlPlane } = require('<repo>/tools/controlplane');
 *   const cp = ensureControlPlane({ name: 'itest', port: 6643, seed: true, waitReady: true });
 *   // cp.url, cp.caData, cp.kubeconfig, cp.backstageCluster, cp.adminToken, ...
 *
 * `crossplane: 'v2'` starts a new instance on the Crossplane v2 line (v2.1,
 * composition functions, demo-v2/); default 'v1'. An existing instance keeps
 * the line it was started with (`cp.crossplane`).
 *
 * Two identities: `backstageCluster` (and `portalToken`) is the portal's,
 * the least-privilege service account of deploy/rbac/, for the code under
 * test; `adminToken` and `kubeconfig` are the admin's (system:masters), for
 * test setup that creates CRDs, namespaces or roles.
 *
 * In Jest, call it from globalSetup (once per run); an instance that is
 * already up is reused within a second. Each script call has a time limit
 * (`commandTimeoutMs`; default 45 min for `up`, 15 min for `wait-ready`).
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'controlplane.sh');
const REPO_ROOT = path.resolve(__dirname, '..', '..');

function args(opts) {
  const a = [];
  if (opts.name) a.push('--name', String(opts.name));
  if (opts.port) a.push('--port', String(opts.port));
  if (opts.crossplane) a.push('--crossplane', String(opts.crossplane));
  return a;
}

// A first `up` includes the cold build (up to ~25 minutes on 2 cores).
const DEFAULT_TIMEOUT_MS = { up: 45 * 60 * 1000, 'wait-ready': 15 * 60 * 1000 };

function run(command, opts = {}, extra = []) {
  execFileSync(SCRIPT, [command, ...args(opts), ...extra], {
    stdio: opts.quiet
      ? ['ignore', 'ignore', 'pipe']
      : ['ignore', 'inherit', 'inherit'],
    env: process.env,
    timeout:
      opts.commandTimeoutMs || DEFAULT_TIMEOUT_MS[command] || 5 * 60 * 1000,
    killSignal: 'SIGTERM',
  });
}

function readUserTokens(dir) {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(user => [
        user,
        fs.readFileSync(path.join(dir, user), 'utf8').trim(),
      ]),
  );
}

/** Connection details of an instance (after prepare or up). */
function controlPlaneInfo(opts = {}) {
  const name = opts.name || 'local';
  const stateDir = path.join(REPO_ROOT, '.controlplane', name);
  const env = {};
  for (const line of fs
    .readFileSync(path.join(stateDir, 'env'), 'utf8')
    .split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  const caPem = fs.readFileSync(path.join(stateDir, 'ca.crt'), 'utf8');
  const readToken = file =>
    fs.readFileSync(path.join(stateDir, file), 'utf8').trim();
  const adminToken = readToken('token');
  const portalToken = readToken('portal-token');
  const url = env.CONTROLPLANE_URL;
  const line = path.join(stateDir, 'line');
  return {
    name,
    url,
    stateDir,
    /** Crossplane line of the instance: 'v1' or 'v2'. */
    crossplane: fs.existsSync(line)
      ? fs.readFileSync(line, 'utf8').trim()
      : 'v1',
    /** Admin kubeconfig (system:masters): for setup only. */
    kubeconfig: env.KUBECONFIG,
    /** Admin bearer token (system:masters): for setup only. */
    adminToken,
    adminTokenFile: env.CONTROLPLANE_TOKEN_FILE,
    /** The admin token under its earlier name; prefer `adminToken`. */
    token: adminToken,
    /** The portal's token: service account platformops:platformops-portal. */
    portalToken,
    /**
     * The team users' tokens (alice in group team-alpha, bob in team-beta),
     * standing in for an identity provider's tokens; see rbac/team-users.yaml.
     */
    userTokens: readUserTokens(path.join(stateDir, 'user-tokens')),
    caFile: path.join(stateDir, 'ca.crt'),
    caPem,
    caData: Buffer.from(caPem).toString('base64'),
    env,
    /**
     * Entry for Backstage's kubernetes.clusterLocatorMethods[].clusters,
     * with the portal's least-privilege token.
     */
    backstageCluster: {
      name,
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: portalToken,
      caData: Buffer.from(caPem).toString('base64'),
      // No metrics-server here: the Kubernetes tab would warn on every page.
      skipMetricsLookup: true,
    },
  };
}

/**
 * Starts the instance unless it is already up (builds on first use), then
 * optionally seeds the demo content and waits for the demo claims.
 */
function ensureControlPlane(opts = {}) {
  run('up', opts);
  if (opts.seed) run('seed', opts);
  if (opts.waitReady) {
    run('wait-ready', opts, ['--timeout', String(opts.timeoutSeconds || 300)]);
  }
  return controlPlaneInfo(opts);
}

/** Stops the instance; `purge` also removes its state directory. */
function stopControlPlane(opts = {}) {
  run('down', opts, opts.purge ? ['--purge'] : []);
}

function isControlPlaneUp(opts = {}) {
  try {
    run('status', { ...opts, quiet: true });
    return true;
  } catch {
    return false;
  }
}

module.exports = {
  ensureControlPlane,
  stopControlPlane,
  controlPlaneInfo,
  isControlPlaneUp,
};
