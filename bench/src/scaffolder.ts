/*
 * Scaffolder: a template run from task start to a Ready claim, beside
 * Crossplane's own reconcile time for the same claim written directly.
 * Runs on a control plane with Crossplane, the provider and the demo XRDs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { BenchCluster, kubeCall, kubeRequest } from './kube';
import { startBackend } from './harness';
import { REPO_ROOT } from './paths';
import { median, now, sleep, timeUntil } from './measure';

export interface ScaffolderResult {
  runs: number;
  crossplaneMs: number;
  scaffolderMs: number;
}

const EXAMPLE = path.join(REPO_ROOT, 'examples/templates/object-bucket.yaml');
/** The example teams: the template's owner must be an entity of the catalog. */
const ORG = path.join(REPO_ROOT, 'examples/org.yaml');
const BUCKETS =
  '/apis/storage.platformops.io/v1alpha1/namespaces/team-alpha/objectbuckets';

async function isReady(cluster: BenchCluster, name: string): Promise<boolean> {
  const res = await kubeRequest(cluster, 'GET', `${BUCKETS}/${name}`);
  const conditions: { type: string; status: string }[] =
    res.body?.status?.conditions ?? [];
  const ok = (type: string) =>
    conditions.some(c => c.type === type && c.status === 'True');
  return res.status === 200 && ok('Ready') && ok('Synced');
}

async function deleteBucket(cluster: BenchCluster, name: string) {
  await kubeRequest(cluster, 'DELETE', `${BUCKETS}/${name}`);
  await timeUntil(
    async () =>
      (await kubeRequest(cluster, 'GET', `${BUCKETS}/${name}`)).status === 404,
    {
      timeoutMs: 120_000,
    },
  );
}

/** The example template, pointed at the benchmark's cluster. */
function templateFile(cluster: string): string {
  const template = yaml.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  template.metadata.name = 'bench-object-bucket';
  for (const step of template.spec.steps) {
    if (step.input.cluster) step.input.cluster = cluster;
  }
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'platformops-bench-')),
    'template.yaml',
  );
  fs.writeFileSync(file, yaml.stringify(template));
  return file;
}

export async function measureScaffolder(
  cluster: BenchCluster,
  options: {
    runs: number;
    logDir: string;
    postgresUrl?: string;
    log: (line: string) => void;
  },
): Promise<ScaffolderResult> {
  const suffix = Date.now().toString(36);
  const crossplane: number[] = [];
  const scaffolder: number[] = [];

  for (let i = 0; i < options.runs; i++) {
    const name = `bench-direct-${suffix}-${i}`;
    const start = now();
    await kubeCall(cluster, 'POST', BUCKETS, {
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      metadata: { name, namespace: 'team-alpha' },
      spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
    });
    const ready = await timeUntil(() => isReady(cluster, name), {
      since: start,
      intervalMs: 100,
      timeoutMs: 300_000,
    });
    if (ready === undefined)
      throw new Error(`${name} did not become Ready in 5 min`);
    crossplane.push(ready);
    await deleteBucket(cluster, name);
  }

  const backend = await startBackend({
    subject: 'scaffolder',
    clusters: [cluster],
    port: 7201,
    postgresUrl: options.postgresUrl,
    logFile: path.join(options.logDir, 'scaffolder.log'),
    extraConfig: {
      catalog: {
        locations: [
          {
            type: 'file',
            target: templateFile(cluster.name),
            rules: [{ allow: ['Template'] }],
          },
          { type: 'file', target: ORG, rules: [{ allow: ['Group', 'User'] }] },
        ],
      },
    },
  });
  try {
    // The template, and its owner: the render refuses an owner the catalog
    // does not hold.
    const inCatalog = async (ref: string, what: string) => {
      const held = await timeUntil(
        async () =>
          (await backend.get(`/api/catalog/entities/by-name/${ref}`)).status ===
          200,
        { intervalMs: 250, timeoutMs: 120_000 },
      );
      if (held === undefined)
        throw new Error(`${what} ${ref} was not loaded into the catalog`);
    };
    await inCatalog(
      'template/default/bench-object-bucket',
      'the benchmark template',
    );
    await inCatalog('group/default/team-alpha', `the example team (${ORG})`);
    for (let i = 0; i < options.runs; i++) {
      const name = `bench-scaffolded-${suffix}-${i}`;
      const start = now();
      const created = await backend.post('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/bench-object-bucket',
        values: {
          name,
          namespace: 'team-alpha',
          owner: 'group:default/team-alpha',
          region: 'eu-west-1',
          storageClass: 'STANDARD',
        },
      });
      if (created.status !== 201) {
        throw new Error(
          `task not created: HTTP ${created.status} ${JSON.stringify(
            created.body,
          )}`,
        );
      }
      let status = 'open';
      while (!['completed', 'failed', 'cancelled'].includes(status)) {
        await sleep(100);
        status = (
          await backend.get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        ).body.status;
      }
      if (status !== 'completed') {
        // The task's own log says which step failed and why.
        const events = await backend.get(
          `/api/scaffolder/v2/tasks/${created.body.id}/events`,
        );
        const messages = Array.isArray(events.body)
          ? events.body
              .map((e: { body?: { message?: string } }) => e.body?.message)
              .filter(Boolean)
              .slice(-5)
          : [];
        throw new Error(
          `task ${created.body.id} ended ${status}: ${messages.join(' | ')}`,
        );
      }
      scaffolder.push(now() - start);
      await deleteBucket(cluster, name);
    }
  } finally {
    await backend.stop();
  }
  options.log(
    `scaffolder: crossplane ${crossplane.map(
      Math.round,
    )} ms, template ${scaffolder.map(Math.round)} ms`,
  );
  return {
    runs: options.runs,
    crossplaneMs: median(crossplane),
    scaffolderMs: median(scaffolder),
  };
}
