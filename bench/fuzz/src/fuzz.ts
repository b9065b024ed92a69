/* eslint-disable no-console */
/*
 * Fuzzes the status routes and the scaffolder's crossplane:* dry runs of the
 * portal backend on a control plane of its own, and prints what came back
 * (see bench/fuzz/README.md). A measurement: exits 0 whatever it finds, and
 * non-zero only when it could not run.
 *
 *   ./bench/fuzz/run.sh [--seed 1] [--requests 10000] [--dry-runs 500]
 *                       [--clients 8] [--minutes 10] [--port 7390]
 *                       [--node-env production]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BenchCluster, kubeCall, kubeRequest, mapLimit } from '../../src/kube';
import yaml from 'yaml';
import { now, timeUntil } from '../../src/measure';
import { REPO_ROOT } from '../../src/paths';
import { CANARY_SECRET, canaryIn, plantCanary } from './canary';
import {
  dryRunBody,
  DryRunProbe,
  dryRunProbes,
  ESCAPE_DIR,
  wellFormedBases,
} from './dryRunProbes';
import { errorMessage, falseFindingIn, Outcome, Probe } from './findings';
import { Random } from './random';
import { Baseline, ClusterCheck, formatReport, summaryLine } from './report';
import {
  percentEncode,
  StatusProbe,
  statusProbes,
  statusUrl,
} from './statusProbes';
import { Tally } from './tally';
import {
  failedStepLines,
  runTask,
  TASK_TEMPLATE,
  TaskProbe,
  taskProbes,
  wellFormedTask,
  writeTaskTemplate,
} from './taskProbes';
import { crossplaneTargets, otherTargets, Target } from './targets';
import { startPortal } from './portal';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../tools/controlplane');

const CONTROL_PLANE = { name: 'fuzz', port: 7343 };
const REQUEST_TIMEOUT_MS = 30_000;
const DRY_RUN_CLIENTS = 2;
const TASK_CLIENTS = 4;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const log = (line: string) => console.error(`[fuzz] ${line}`);

async function send(
  url: string,
  token: string,
  body?: string,
): Promise<Outcome> {
  const start = now();
  try {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, ms: now() - start };
  } catch (error) {
    const cause = (error as any)?.cause?.code ?? '';
    return {
      status: 0,
      text: '',
      ms: now() - start,
      failure: `${String(error)} ${cause}`.trim(),
    };
  }
}

/** Runs the probes from `clients` clients until done or the deadline. */
async function run<P extends Probe>(
  probes: P[],
  clients: number,
  deadline: number,
  request: (probe: P) => { display: string; go: () => Promise<Outcome> },
  tally: Tally,
  label: string,
  dump?: fs.WriteStream,
): Promise<{ seconds: number; skipped: number }> {
  const start = now();
  let done = 0;
  let skipped = 0;
  await mapLimit(probes, clients, async probe => {
    if (Date.now() > deadline) {
      skipped += 1;
      return;
    }
    const r = request(probe);
    const outcome = await r.go();
    const route = outcome.route ?? probe.route;
    tally.record({ ...probe, route }, r.display, outcome);
    dump?.write(
      `${JSON.stringify({
        route,
        description: probe.description,
        mutated: probe.mutated,
        request: r.display.slice(0, 400),
        status: outcome.status,
        response: (
          outcome.failure ??
          (route.startsWith('task')
            ? failedStepLines(outcome.text)
            : outcome.text)
        ).slice(0, 400),
      })}\n`,
    );
    done += 1;
    if (done % 1000 === 0) log(`${label}: ${done}/${probes.length}`);
  });
  return { seconds: (now() - start) / 1000, skipped };
}

/** A query for display: long values shortened. */
function displayUrl(probe: StatusProbe): string {
  return statusUrl({
    ...probe,
    query: probe.query.map(p =>
      p.value.length > 80
        ? {
            ...p,
            value: `${percentEncode(p.value.slice(0, 20))}...(${
              p.value.length
            } chars)`,
            raw: true,
          }
        : p,
    ),
  });
}

/** What the cluster holds of the kinds a dry run could create or delete. */
async function snapshot(
  cluster: BenchCluster,
  targets: Target[],
): Promise<Set<string>> {
  const lists = new Set<string>();
  for (const t of targets) {
    const [group, version] = t.apiVersion.includes('/')
      ? t.apiVersion.split('/')
      : ['', t.apiVersion];
    const plural = `${t.kind.toLowerCase()}s`;
    lists.add(
      group
        ? `/apis/${group}/${version}/${plural}`
        : `/api/${version}/${plural}`,
    );
  }
  lists.add('/api/v1/secrets');
  lists.add('/api/v1/configmaps');
  const names = new Set<string>();
  for (const list of lists) {
    const res = await kubeRequest(cluster, 'GET', list);
    if (res.status !== 200) continue;
    for (const item of res.body.items ?? []) {
      const m = item.metadata;
      names.add(
        `${list.split('/').pop()} ${m.namespace ? `${m.namespace}/` : ''}${
          m.name
        }`,
      );
    }
  }
  return names;
}

/**
 * Well-formed requests that should all answer 200: each real object on the
 * object routes, and each dry-run base before mutation. Shows that the fuzz
 * starts from inputs the portal accepts.
 */
async function baseline(
  baseUrl: string,
  token: string,
  targets: Target[],
  bases: { action: string; input: Record<string, unknown> }[],
): Promise<Baseline> {
  const requests: { what: string; go: () => Promise<Outcome> }[] = [];
  for (const route of ['clusters', 'summary']) {
    requests.push({
      what: `GET /${route}`,
      go: () => send(`${baseUrl}/api/crossplane/${route}`, token),
    });
  }
  for (const t of targets) {
    const query = new URLSearchParams({
      cluster: t.cluster,
      apiVersion: t.apiVersion,
      kind: t.kind,
      ...(t.namespace ? { namespace: t.namespace } : {}),
      name: t.name,
    });
    for (const route of ['tree', 'events', 'yaml']) {
      requests.push({
        what: `GET /${route} ${t.kind} ${t.name}`,
        go: () => send(`${baseUrl}/api/crossplane/${route}?${query}`, token),
      });
    }
  }
  for (const b of bases) {
    requests.push({
      what: `dry-run ${b.action} ${JSON.stringify(b.input).slice(0, 120)}`,
      go: () =>
        send(
          `${baseUrl}/api/scaffolder/v2/dry-run`,
          token,
          dryRunBody(b.action, b.input),
        ),
    });
  }
  requests.push({
    what: `task ${TASK_TEMPLATE} with its form values as they are`,
    go: async () => {
      const { outcome, taskStatus } = await runTask(
        baseUrl,
        token,
        wellFormedTask(),
      );
      // Answered 200 only when the task completed.
      return taskStatus === 'completed'
        ? outcome
        : { ...outcome, status: 0, failure: `task ${taskStatus}` };
    },
  });
  const failures: string[] = [];
  await mapLimit(requests, DRY_RUN_CLIENTS, async r => {
    const outcome = await r.go();
    if (outcome.status !== 200) {
      failures.push(
        `${r.what} -> ${outcome.status} ${(
          outcome.failure ?? errorMessage(outcome.text)
        ).slice(0, 200)}`,
      );
    }
  });
  return { sent: requests.length, failures: failures.sort() };
}

function escapedFiles(): string[] {
  if (!fs.existsSync(ESCAPE_DIR)) return [];
  return fs.readdirSync(ESCAPE_DIR).map(f => path.join(ESCAPE_DIR, f));
}

async function main() {
  const seed = Number(flag('seed', '1'));
  const requests = Number(flag('requests', '10000'));
  const dryRuns = Number(flag('dry-runs', '500'));
  const tasks = Number(flag('tasks', '60'));
  const clients = Number(flag('clients', '8'));
  const minutes = Number(flag('minutes', '10'));
  const port = Number(flag('port', '7390'));
  const nodeEnv = flag('node-env', 'production');
  const logDir = path.join(REPO_ROOT, 'bench/logs/fuzz');
  fs.mkdirSync(logDir, { recursive: true });

  log(`control plane ${CONTROL_PLANE.name} on :${CONTROL_PLANE.port}`);
  const info = controlPlane.ensureControlPlane({
    ...CONTROL_PLANE,
    seed: true,
    waitReady: true,
  });
  const cluster: BenchCluster = {
    name: info.name,
    url: info.url,
    token: info.token,
    caPem: info.caPem,
    backstageCluster: info.backstageCluster,
  };
  // Left by an earlier run; this run counts what it writes there itself.
  fs.rmSync(ESCAPE_DIR, { recursive: true, force: true });

  // The portal's catalog locations, and the fuzz's task template.
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
  const taskTemplate = writeTaskTemplate(logDir, cluster.name);
  log(`portal backend on 127.0.0.1:${port} (log: bench/logs/fuzz/backend.log)`);
  const portal = await startPortal({
    port,
    clusterConfig: path.join(info.stateDir, 'backstage-cluster.yaml'),
    logFile: path.join(logDir, 'backend.log'),
    nodeEnv,
    extraConfig: {
      catalog: {
        locations: [
          ...(appConfig.catalog?.locations ?? []),
          {
            type: 'file',
            target: taskTemplate,
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
    },
  });
  const stop = () => portal.stop();
  process.once('SIGINT', () => stop().finally(() => process.exit(130)));
  try {
    const get = async (p: string) => {
      const res = await send(`${portal.baseUrl}${p}`, portal.token);
      return {
        status: res.status,
        body: res.text ? JSON.parse(res.text) : undefined,
      };
    };

    // The status cache fills after start: wait until it holds the demo.
    let found = await crossplaneTargets(get);
    for (let i = 0; i < 120 && found.targets.length < 7; i++) {
      await new Promise(r => setTimeout(r, 1000));
      found = await crossplaneTargets(get);
    }
    const claims = found.targets.filter(
      t => t.namespace && ['payments-db', 'orders-db'].includes(t.name),
    );
    const canary = await plantCanary(
      cluster,
      claims.map(t => ({
        apiVersion: t.apiVersion,
        kind: t.kind,
        namespace: t.namespace!,
        name: t.name,
        plural: `${t.kind.toLowerCase()}s`,
      })),
    );
    const other = await otherTargets(cluster);
    log(
      `${found.targets.length} Crossplane objects, ${other.length} other objects; canary in ${canary.planted.length} places`,
    );
    if (found.targets.length === 0)
      throw new Error('the portal shows no Crossplane object');

    const payments = claims.find(t => t.name === 'payments-db') ?? claims[0];
    const claimPath = `/apis/${payments.apiVersion}/namespaces/${
      payments.namespace
    }/${payments.kind.toLowerCase()}s/${payments.name}`;
    const live = await kubeCall(cluster, 'GET', claimPath);
    // Never its annotations, which hold the canary; nor its owner label,
    // which PlatformOps accepts only beside the owner annotation it writes.
    const { 'platformops.io/owner': _owner, ...labels } =
      live.metadata.labels ?? {};
    const realClaim = {
      apiVersion: live.apiVersion,
      kind: live.kind,
      metadata: {
        name: live.metadata.name,
        namespace: live.metadata.namespace,
        labels,
      },
      spec: { parameters: live.spec.parameters },
    };

    const random = new Random(seed);
    const status = statusProbes(requests, {
      random,
      crossplane: found.targets,
      other,
      filters: found.filters,
    });
    const dry = dryRunProbes(dryRuns, {
      random,
      cluster: cluster.name,
      crossplane: found.targets,
      other,
      realClaim,
    });
    const taskList = taskProbes(tasks, random);
    const hash = crypto.createHash('sha256');
    for (const p of status) hash.update(statusUrl(p));
    for (const p of dry) hash.update(p.body);
    for (const p of taskList) hash.update(JSON.stringify(p.values));
    const requestSet = hash.digest('hex').slice(0, 12);

    // A finding must never be the echo of what was sent.
    for (const p of [...status, ...dry, ...taskList]) {
      for (const value of p.sent) {
        const bad =
          falseFindingIn(value) ??
          (canaryIn(value, canary) ? 'the canary' : undefined);
        if (bad) throw new Error(`a request sends ${bad}: ${p.description}`);
      }
    }

    const bases = wellFormedBases({
      random,
      cluster: cluster.name,
      crossplane: found.targets,
      other,
      realClaim,
    });
    const templateLoaded = await timeUntil(
      async () =>
        (
          await get(
            `/api/catalog/entities/by-name/template/default/${TASK_TEMPLATE}`,
          )
        ).status === 200,
      { intervalMs: 1000, timeoutMs: 180_000 },
    );
    if (templateLoaded === undefined) {
      throw new Error(`the catalog did not load the template ${TASK_TEMPLATE}`);
    }
    log(`baseline: well-formed requests (real objects, dry-run bases, a task)`);
    const base = await baseline(
      portal.baseUrl,
      portal.token,
      found.targets,
      bases,
    );

    const before = await snapshot(cluster, found.targets);
    const tally = new Tally(canary);
    const dump = fs.createWriteStream(path.join(logDir, 'requests.jsonl'));
    const deadline = Date.now() + minutes * 60_000;
    log(`${status.length} status requests from ${clients} clients`);
    const statusRun = await run(
      status,
      clients,
      deadline,
      p => ({
        display: `GET ${displayUrl(p)}`,
        go: () => send(`${portal.baseUrl}${statusUrl(p)}`, portal.token),
      }),
      tally,
      'status',
      dump,
    );
    log(`${dry.length} dry runs from ${DRY_RUN_CLIENTS} clients`);
    const dryRun = await run<DryRunProbe>(
      dry,
      DRY_RUN_CLIENTS,
      deadline,
      p => ({
        display: `POST /api/scaffolder/v2/dry-run ${p.action} ${
          p.body.length > 600 ? `${p.body.slice(0, 600)}...` : p.body
        }`,
        go: () =>
          send(
            `${portal.baseUrl}/api/scaffolder/v2/dry-run`,
            portal.token,
            p.body,
          ),
      }),
      tally,
      'dry runs',
      dump,
    );
    log(`${taskList.length} scaffolder tasks from ${TASK_CLIENTS} clients`);
    const taskRun = await run<TaskProbe>(
      taskList,
      TASK_CLIENTS,
      deadline,
      p => ({
        display: `POST /api/scaffolder/v2/tasks ${TASK_TEMPLATE} ${JSON.stringify(
          p.values,
        ).slice(0, 400)}`,
        go: async () => {
          const { outcome, taskStatus } = await runTask(
            portal.baseUrl,
            portal.token,
            p,
          );
          return { ...outcome, route: `task, ${taskStatus}` };
        },
      }),
      tally,
      'tasks',
      dump,
    );
    await new Promise(r => dump.end(r));

    const after = await snapshot(cluster, found.targets);
    const health = await send(
      `${portal.baseUrl}/api/crossplane/health`,
      portal.token,
    );
    const summary = await send(
      `${portal.baseUrl}/api/crossplane/summary`,
      portal.token,
    );
    const check: ClusterCheck = {
      missing: [...before].filter(n => !after.has(n)),
      created: [...after].filter(n => !before.has(n)),
      escapedFiles: escapedFiles(),
      portalHealthy: health.status === 200 && summary.status === 200,
    };
    const report = formatReport(
      tally,
      {
        seed,
        requestSet,
        statusProbes: status.length,
        dryRunProbes: dry.length,
        statusSeconds: statusRun.seconds,
        dryRunSeconds: dryRun.seconds,
        taskProbes: taskList.length,
        taskSeconds: taskRun.seconds,
        skipped: statusRun.skipped + dryRun.skipped + taskRun.skipped,
        clients,
        nodeEnv,
        targets: { crossplane: found.targets.length, other: other.length },
        canaryPlaces: canary.planted,
        baseline: base,
      },
      check,
    );
    fs.writeFileSync(path.join(logDir, 'report.txt'), `${report}\n`);
    fs.writeFileSync(
      path.join(logDir, 'report.json'),
      JSON.stringify(
        {
          seed,
          requestSet,
          total: tally.total,
          counts: tally.counts,
          leakingResponses: tally.leakingResponses,
          byRoute: Object.fromEntries(
            [...tally.byRoute].map(([r, m]) => [r, Object.fromEntries(m)]),
          ),
          check,
          examples: tally.examples,
          summary: summaryLine(tally),
        },
        null,
        2,
      ),
    );
    console.log(report);
    log(
      `bench/logs/fuzz/: report.txt, report.json (the first 50 examples of each finding), requests.jsonl (every request); the canary Secret ${CANARY_SECRET} stays in the fuzz instance`,
    );
  } finally {
    await stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
