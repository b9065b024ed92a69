/*
 * The portal backend (packages/backend) as a child process of its own, on
 * the portal's app-config.yaml and the fuzz instance's cluster fragment,
 * listening on 127.0.0.1 only; a guest sign-in gives the user token.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../../src/measure';
import { REPO_ROOT } from '../../src/paths';

export interface PortalOptions {
  port: number;
  /** The control plane's `backstage-cluster.yaml`. */
  clusterConfig: string;
  logFile: string;
  /** `production` (no stack traces in error bodies) or `development`. */
  nodeEnv: string;
  /** Merged over the override at the top level, e.g. `catalog`. */
  extraConfig?: Record<string, unknown>;
}

export interface Portal {
  baseUrl: string;
  /** A guest user's Backstage token. */
  token: string;
  pid: number;
  stop(): Promise<void>;
}

const BACKEND_DIR = path.join(REPO_ROOT, 'packages/backend');
const START_TIMEOUT_MS = 5 * 60_000;

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platformops-fuzz-'));
  const override = path.join(dir, 'app-config.fuzz.json');
  // JSON is YAML: read with --config after the portal's own files.
  fs.writeFileSync(
    override,
    JSON.stringify({
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port: options.port },
      },
      auth: {
        providers: {
          // Outside development the guest provider needs this to sign in.
          guest: { dangerouslyAllowOutsideDevelopment: true },
        },
      },
      ...options.extraConfig,
    }),
  );
  const log = fs.openSync(options.logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(BACKEND_DIR, 'src/index.ts'),
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      options.clusterConfig,
      '--config',
      override,
    ],
    {
      // The catalog locations in app-config.yaml are relative to it.
      cwd: BACKEND_DIR,
      env: { ...process.env, NODE_ENV: options.nodeEnv, LOG_LEVEL: 'warn' },
      stdio: ['ignore', log, log],
    },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      const done = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const token = await waitForGuestToken(baseUrl, () => exited, options);
    return { baseUrl, token, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForGuestToken(
  baseUrl: string,
  hasExited: () => boolean,
  options: PortalOptions,
): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (hasExited()) {
      throw new Error(`the portal backend exited; see ${options.logFile}`);
    }
    try {
      const health = await fetch(`${baseUrl}/api/crossplane/health`);
      if (health.ok) {
        const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
          method: 'POST',
        });
        const body: any = await res.json();
        const token = body?.backstageIdentity?.token;
        if (typeof token === 'string') return token;
        throw new Error(
          `guest sign-in failed: HTTP ${res.status} ${JSON.stringify(body)}`,
        );
      }
    } catch (error) {
      if (String(error).includes('guest sign-in failed')) throw error;
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the portal backend did not answer in ${
          START_TIMEOUT_MS / 60_000
        } min; see ${options.logFile}`,
      );
    }
    await sleep(1000);
  }
}
