/*
 * Runs a backend under measurement as a child process and talks to it:
 * generated config, readiness, catalog counts, peak RSS from the kernel.
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BenchCluster } from './kube';
import { BACKEND_ENTRY } from './paths';

export type Subject = 'platformops' | 'peer';
export type BackendKind = Subject | 'scaffolder';

export interface BackendOptions {
  subject: BackendKind;
  /** Objects as Crossplane v1 (claims) or v2 (namespaced XRs) writes them. */
  shape?: 'v1' | 'v2';
  clusters: BenchCluster[];
  port: number;
  /** A knex connection for PostgreSQL, or undefined for in-memory SQLite. */
  postgresUrl?: string;
  /**
   * Table prefix of the catalog's database on PostgreSQL: replicas share
   * one; a fresh one per backend when unset.
   */
  databasePrefix?: string;
  logFile: string;
  /** Merged over the generated config, key by key at the top level. */
  extraConfig?: Record<string, any>;
  /** Node's heap limit for the backend (`--max-old-space-size`). */
  maxHeapMiB?: number;
}

/**
 * The backends' heap limit unless told: what a deployment sized for the
 * memory bar (1.2 GB at 100k objects) gives Node. Without a limit fitted to
 * its pod, V8 lets garbage grow towards its own default (about 4 GiB here)
 * before it collects hard, and the peak RSS measures that, not the need.
 */
export const DEFAULT_MAX_HEAP_MIB = 1024;

export interface RunningBackend {
  baseUrl: string;
  token: string;
  pid: number;
  get(pathAndQuery: string): Promise<{ status: number; body: any }>;
  /**
   * A GET as a browser makes it (gzip accepted), received to its last byte
   * and left as it came: how long the backend takes to answer, without the
   * decoding and parsing that the benchmark's clients, all in this one
   * process, would otherwise do one after the other.
   */
  getBytes(pathAndQuery: string): Promise<{ status: number; bytes: number }>;
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Peak resident set of the process so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** The process's heap in use after a full garbage collection, in bytes. */
  heapAfterGc(): Promise<number>;
  stop(): Promise<void>;
}

function config(options: BackendOptions, token: string) {
  const database = options.postgresUrl
    ? {
        client: 'pg',
        connection: options.postgresUrl,
        // Fresh databases per run: nothing carried over between runs.
        prefix:
          options.databasePrefix ?? databasePrefix(options.subject, 'single'),
      }
    : { client: 'better-sqlite3', connection: ':memory:' };
  const clusterNames = options.clusters.map(c => c.name);
  return {
    backend: {
      baseUrl: `http://localhost:${options.port}`,
      listen: { port: options.port },
      database,
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench-harness' } },
        ],
      },
    },
    permission: { enabled: false },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => c.backstageCluster),
        },
      ],
    },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'API',
            'Resource',
            'System',
            'Group',
            'User',
            'Template',
            'Location',
          ],
        },
      ],
      providers: {
        crossplane: { clusters: clusterNames },
      },
    },
    // The peer as its documentation sets it up for Crossplane: every claim,
    // polled every 10 s, XRD templates off (not part of the comparison).
    // On v2 it ingests the XRs of the XRDs it ingests, so every XRD.
    kubernetesIngestor: {
      allowedClusterNames: clusterNames,
      components: {
        enabled: true,
        taskRunner: { frequency: 10, timeout: 600 },
      },
      crossplane: {
        enabled: true,
        claims: { ingestAllClaims: true },
        xrds: {
          enabled: false,
          ...(options.shape === 'v2' ? { ingestAllXRDs: true } : {}),
        },
      },
    },
  };
}

/** A table prefix no earlier run used. */
export function databasePrefix(subject: BackendKind, run: string): string {
  return `bench_${subject}_${run}_${Date.now().toString(36)}_`;
}

export async function startBackend(
  options: BackendOptions,
): Promise<RunningBackend> {
  const token = crypto.randomBytes(24).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platformops-bench-'));
  const configFile = path.join(dir, 'app-config.json');
  // JSON is YAML: the backend reads it with --config.
  const generated = config(options, token);
  for (const [key, value] of Object.entries(options.extraConfig ?? {})) {
    (generated as any)[key] = { ...(generated as any)[key], ...value };
  }
  fs.writeFileSync(configFile, JSON.stringify(generated));
  const log = fs.openSync(options.logFile, 'w');
  const heapFile = path.join(dir, 'heap');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      `--max-old-space-size=${options.maxHeapMiB ?? DEFAULT_MAX_HEAP_MIB}`,
      // For heapAfterGc: the backend collects on SIGUSR2 (see backend.ts).
      '--expose-gc',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      BACKEND_ENTRY,
      '--config',
      configFile,
    ],
    {
      env: {
        ...process.env,
        BENCH_SUBJECT: options.subject,
        BENCH_HEAP_FILE: heapFile,
        BENCH_PROFILE_FILE: options.logFile.replace(/\.log$/, '.cpuprofile'),
        NODE_ENV: 'production',
        // BENCH_LOG_LEVEL=info shows the module's writes, e.g. to see where
        // time goes; warnings only by default, as logging costs time too.
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', log, log],
    },
  );
  const baseUrl = `http://localhost:${options.port}`;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const call = async (method: string, pathAndQuery: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${pathAndQuery}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, body: parsed };
  };
  const get = (pathAndQuery: string) => call('GET', pathAndQuery);
  const agent = new http.Agent({ keepAlive: true });
  const getBytes = (pathAndQuery: string) =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const req = http.get(
        `${baseUrl}${pathAndQuery}`,
        {
          agent,
          headers: {
            Authorization: `Bearer ${token}`,
            'Accept-Encoding': 'gzip',
          },
        },
        res => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });

  for (const deadline = Date.now() + 180_000; ; ) {
    if (exited) {
      throw new Error(
        `backend (${options.subject}) exited during start; see ${options.logFile}`,
      );
    }
    try {
      if ((await get('/api/catalog/entities?limit=1')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `backend (${options.subject}) did not start in 3 min; see ${options.logFile}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }

  return {
    baseUrl,
    token,
    pid: child.pid!,
    get,
    getBytes,
    post: (p, body) => call('POST', p, body),
    peakRssMiB() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async heapAfterGc() {
      fs.rmSync(heapFile, { force: true });
      child.kill('SIGUSR2');
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        await new Promise(r => setTimeout(r, 100));
        if (fs.existsSync(heapFile)) {
          const bytes = Number(fs.readFileSync(heapFile, 'utf8'));
          if (bytes > 0) return bytes;
        }
      }
      throw new Error(`backend (${options.subject}) reported no heap`);
    },
    async stop() {
      agent.destroy();
      if (exited) return;
      const done = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Entities matching any of the filters (catalog filter syntax), counted. */
export async function countEntities(
  backend: RunningBackend,
  filters: string[],
): Promise<number> {
  const query = filters
    .map(f => `filter=${encodeURIComponent(f)}`)
    .concat('limit=1')
    .join('&');
  const res = await backend.get(`/api/catalog/entities/by-query?${query}`);
  if (res.status !== 200) {
    throw new Error(
      `catalog query failed: HTTP ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body.totalItems;
}
