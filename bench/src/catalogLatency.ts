/*
 * How long a new object takes to reach the catalog, end to end: the portal's
 * backend (bench/src/backend.ts, the catalog on in-memory SQLite unless
 * --postgres) watches the local control plane itest (Crossplane v1, up
 * already) and is at rest; then, one at a time, a claim is created (which
 * Crossplane then composes) and the first object of a kind that had none,
 * and the catalog is asked for the object's entity every 50 ms until it
 * answers. Prints p50/p95 and one JSON line; cleans up what it created.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/src/catalogLatency.ts [--tries 10] [--postgres] [--label before]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startBackend, RunningBackend } from './harness';
import { BenchCluster, kubeCall, kubeRequest } from './kube';
import { millis, now, percentile, sleep, timeUntil } from './measure';
import { crd, KindSpec, listPath, portalReadRole } from './objects';
import { REPO_ROOT } from './paths';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../tools/controlplane');

const CLUSTER = 'itest';
const RUN = Date.now().toString(36);
const NAMESPACE = 'team-alpha';
/** How often the catalog is asked, as a page waiting for the entity would. */
const POLL_MS = 50;
/** Pause between tries: the previous claim's composition settles first. */
const REST_MS = 5_000;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A cluster-scoped managed kind per try, empty until its try. */
function emptyKinds(tries: number): KindSpec[] {
  return Array.from({ length: tries }, (_, i) => ({
    group: `lat${RUN}.bench.platformops.io`,
    kind: `Probe${i}`,
    plural: `probe${i}s`,
    namespaced: false,
    categories: ['crossplane', 'managed'],
  }));
}

/** The entity of the object with this uid, as the catalog answers now. */
async function hasEntity(backend: RunningBackend, uid: string) {
  const filter = encodeURIComponent(
    `metadata.annotations.platformops.io/uid=${uid}`,
  );
  const res = await backend.get(
    `/api/catalog/entities/by-query?filter=${filter}&limit=1`,
  );
  return res.status === 200 && res.body.items.length > 0;
}

/** Creates an object, then times until the catalog has its entity. */
async function timeToCatalog(
  backend: RunningBackend,
  cluster: BenchCluster,
  apiPath: string,
  object: Record<string, unknown>,
): Promise<number | undefined> {
  const since = now();
  const created = await kubeCall(cluster, 'POST', apiPath, object);
  return timeUntil(() => hasEntity(backend, created.metadata.uid), {
    since,
    intervalMs: POLL_MS,
    timeoutMs: 120_000,
  });
}

/** Until the catalog's count of the cluster's entities holds for 10 s. */
async function atRest(backend: RunningBackend) {
  const filter = encodeURIComponent(
    `metadata.annotations.platformops.io/cluster=${CLUSTER}`,
  );
  let last = -1;
  let since = now();
  for (const deadline = now() + 300_000; now() < deadline; ) {
    const res = await backend.get(
      `/api/catalog/entities/by-query?filter=${filter}&limit=1`,
    );
    const count = res.status === 200 ? res.body.totalItems : -1;
    if (count !== last) {
      last = count;
      since = now();
    } else if (count > 0 && now() - since > 10_000) {
      return count;
    }
    await sleep(1_000);
  }
  throw new Error('the catalog did not settle in 5 min');
}

async function main() {
  const tries = Number(flag('tries') ?? 10);
  const label = flag('label') ?? '';
  const info = controlPlane.controlPlaneInfo({ name: CLUSTER });
  const cluster: BenchCluster = {
    name: CLUSTER,
    url: info.url,
    token: info.adminToken,
    caPem: info.caPem,
    backstageCluster: info.backstageCluster,
  };
  const postgresUrl = process.argv.includes('--postgres')
    ? execFileSync('bash', [path.join(REPO_ROOT, 'scripts/postgres.sh')], {
        encoding: 'utf8',
      }).trim()
    : undefined;
  const logDir = path.join(REPO_ROOT, 'bench/logs');
  fs.mkdirSync(logDir, { recursive: true });

  // The empty kinds exist (and the portal may read them) before the start.
  const kinds = emptyKinds(tries);
  const role = {
    ...portalReadRole(kinds),
    metadata: {
      name: `platformops-portal-read-latency-${RUN}`,
      labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
    },
  };
  const crdsPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const rolesPath = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
  const claimsPath = `/apis/storage.platformops.io/v1alpha1/namespaces/${NAMESPACE}/objectbuckets`;
  const claims: string[] = [];
  let backend: RunningBackend | undefined;
  try {
    for (const kind of kinds)
      await kubeCall(cluster, 'POST', crdsPath, crd(kind));
    await kubeCall(cluster, 'POST', rolesPath, role);
    for (const kind of kinds) {
      await timeUntil(
        async () =>
          (
            await kubeRequest(cluster, 'GET', `${listPath(kind)}?limit=1`)
          ).status === 200,
        { intervalMs: 100, timeoutMs: 60_000 },
      );
    }

    backend = await startBackend({
      subject: 'platformops',
      clusters: [cluster],
      port: Number(flag('port') ?? 7781),
      postgresUrl,
      logFile: path.join(logDir, `catalog-latency${label && `-${label}`}.log`),
    });
    const entities = await atRest(backend);
    console.error(`[latency] at rest with ${entities} entities of ${CLUSTER}`);

    const claim: number[] = [];
    const firstOfKind: number[] = [];
    for (let i = 0; i < tries; i++) {
      const name = `lat-${RUN}-${i}`;
      claims.push(name);
      const claimMs = await timeToCatalog(backend, cluster, claimsPath, {
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'ObjectBucket',
        metadata: { name, namespace: NAMESPACE },
        spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
      });
      await sleep(REST_MS);
      const kind = kinds[i];
      const firstMs = await timeToCatalog(backend, cluster, listPath(kind), {
        apiVersion: `${kind.group}/v1alpha1`,
        kind: kind.kind,
        metadata: { name: 'first' },
        spec: { forProvider: {}, providerConfigRef: { name: 'default' } },
      });
      await sleep(REST_MS);
      console.error(
        `[latency] try ${i + 1}: claim ${millis(
          claimMs,
        )}, first object of an empty kind ${millis(firstMs)}`,
      );
      if (claimMs !== undefined) claim.push(claimMs);
      if (firstMs !== undefined) firstOfKind.push(firstMs);
    }

    const row = (what: string, values: number[]) =>
      `| ${what} | ${millis(percentile(values, 50))} | ${millis(
        percentile(values, 95),
      )} | ${values.length}/${tries} |`;
    console.log(
      `Creation on ${CLUSTER} to the entity in the catalog (polled every ${POLL_MS} ms), catalog on ${
        postgresUrl ? 'PostgreSQL' : 'SQLite'
      }${label && `, ${label}`}`,
    );
    console.log('| object | p50 | p95 | in catalog |');
    console.log('| --- | --- | --- | --- |');
    console.log(row('a claim', claim));
    console.log(row('the first object of an empty kind', firstOfKind));
    console.log(JSON.stringify({ label, tries, claim, firstOfKind }));
  } finally {
    await backend?.stop();
    for (const name of claims) {
      await kubeRequest(cluster, 'DELETE', `${claimsPath}/${name}`);
    }
    for (const kind of kinds) {
      await kubeRequest(
        cluster,
        'DELETE',
        `${crdsPath}/${kind.plural}.${kind.group}`,
      );
    }
    await kubeRequest(cluster, 'DELETE', `${rolesPath}/${role.metadata.name}`);
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
