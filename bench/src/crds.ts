/*
 * Large provider: a cluster with 2,000+ CRDs installed, as the AWS provider
 * installs them whole (v1 cluster-scoped and `.m.` namespaced managed
 * resource kinds, almost all empty). Measures the product's object cache on
 * it over the old transport (one HTTP/1.1 connection per list and watch) and
 * the new one (HTTP/2, multiplexed), each in a process of its own: the
 * connections it holds to the API server, file descriptors, time to sync,
 * RSS, and how long the first object of an empty kind takes to reach it.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/src/crds.ts \
 *     [--crds 2100] [--objects 48] [--transports http1,http2]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  largeProviderCrds,
  largeProviderObject,
} from '@platformops/plugin-crossplane-node/testUtils';
import type { CacheRunInput, CacheRunResult } from './crdsCache';
import { BenchCluster, kubeCall, kubeRequest, mapLimit } from './kube';
import { now, sleep } from './measure';
import { BENCH_ROOT, REPO_ROOT } from './paths';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../tools/controlplane');

const INSTANCE = { name: 'crds', port: 6963 };
const BASE_GROUP = 'aws.bench.platformops.io';
const NAMESPACE = 'bench-crds';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const apply = (admin: BenchCluster, url: string, body: unknown) =>
  kubeCall(
    admin,
    'PATCH',
    `${url}?fieldManager=bench&force=true`,
    body,
    'application/apply-patch+yaml',
  );

async function installCrds(admin: BenchCluster, crds: KubernetesObject[]) {
  const started = now();
  let done = 0;
  await mapLimit(crds, 8, async crd => {
    const res = await kubeRequest(admin, 'POST', CRD_PATH, crd);
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`CRD ${crd.metadata.name}: HTTP ${res.status}`);
    }
    done += 1;
    if (done % 250 === 0)
      console.log(
        `  ${done}/${crds.length} CRDs (${((now() - started) / 1000).toFixed(
          0,
        )} s)`,
      );
  });
  // Every kind served before the cache starts.
  for (;;) {
    const list = await kubeCall(
      admin,
      'GET',
      `${CRD_PATH}?labelSelector=platformops.io/generated-by=${BASE_GROUP}`,
    );
    const established = list.items.filter((c: any) =>
      c.status?.conditions?.some(
        (k: any) => k.type === 'Established' && k.status === 'True',
      ),
    ).length;
    if (established >= crds.length) break;
    await sleep(1000);
  }
  console.log(
    `  ${crds.length} CRDs established in ${((now() - started) / 1000).toFixed(
      0,
    )} s`,
  );
}

/** The portal reads the generated groups, as it would a provider's. */
async function grantPortalRead(admin: BenchCluster, crds: KubernetesObject[]) {
  const groups = [...new Set(crds.map(c => (c.spec as any).group))];
  await apply(
    admin,
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/platformops-bench-large-provider',
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'platformops-bench-large-provider',
        labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
      },
      rules: [
        {
          apiGroups: groups,
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  );
}

async function writeObjects(
  admin: BenchCluster,
  crds: KubernetesObject[],
  count: number,
) {
  await apply(admin, `/api/v1/namespaces/${NAMESPACE}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE },
  });
  const objects: { object: KubernetesObject; plural: string }[] = [];
  for (let i = 0; i < count; i++) {
    const crd = crds[Math.floor(i / 2)];
    const object = largeProviderObject(crd, `object-${i}`, NAMESPACE);
    objects.push({ object, plural: (crd.spec as any).names.plural });
  }
  await mapLimit(objects, 8, async ({ object, plural }) => {
    const ns = object.metadata.namespace;
    await apply(
      admin,
      `/apis/${object.apiVersion}/${ns ? `namespaces/${ns}/` : ''}${plural}/${
        object.metadata.name
      }`,
      object,
    );
  });
}

function measure(input: CacheRunInput): Promise<CacheRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(BENCH_ROOT, 'src', 'crdsCache.ts'),
        JSON.stringify(input),
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.on('exit', code => {
      const line = out.split('\n').find(l => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`measurement (${input.transport}) exited ${code}`));
    });
  });
}

function table(crds: number, results: CacheRunResult[]): string {
  const rows = [
    [
      'connections to the API server (synced)',
      (r: CacheRunResult) => r.connections,
    ],
    ['connections, peak during sync', (r: CacheRunResult) => r.connectionsPeak],
    ['file descriptors (synced)', (r: CacheRunResult) => r.fds],
    ['file descriptors, peak', (r: CacheRunResult) => r.fdsPeak],
    [
      'time to sync',
      (r: CacheRunResult) => `${(r.syncMs / 1000).toFixed(1)} s`,
    ],
    ['RSS (synced)', (r: CacheRunResult) => `${r.rssMb.toFixed(0)} MB`],
    ['RSS, peak', (r: CacheRunResult) => `${r.rssPeakMb.toFixed(0)} MB`],
    [
      'first object of an empty kind in the cache (v1, `.m.`)',
      (r: CacheRunResult) =>
        r.firstObjectMs.map(ms => `${ms.toFixed(0)} ms`).join(', '),
    ],
    [
      'kinds watched / objects cached',
      (r: CacheRunResult) => `${r.kinds} / ${r.objects}`,
    ],
  ] as const;
  const names: Record<string, string> = {
    http1: 'before: HTTP/1.1, a connection per watch',
    http2: 'after: HTTP/2, multiplexed',
  };
  const header = `| ${crds} CRDs | ${results
    .map(r => names[r.transport] ?? r.transport)
    .join(' | ')} |`;
  const rule = `| --- | ${results.map(() => '---:').join(' | ')} |`;
  return [
    header,
    rule,
    ...rows.map(
      ([label, value]) =>
        `| ${label} | ${results.map(r => value(r)).join(' | ')} |`,
    ),
  ].join('\n');
}

async function main() {
  const crdCount = Number(option('crds', '2100'));
  const objectCount = Number(option('objects', '48'));
  const transports = option('transports', 'http1,http2').split(
    ',',
  ) as CacheRunInput['transport'][];

  const cp = controlPlane.ensureControlPlane(INSTANCE);
  const admin: BenchCluster = {
    name: INSTANCE.name,
    url: cp.url,
    token: cp.adminToken,
    caPem: Buffer.from(cp.caData, 'base64').toString('utf8'),
    backstageCluster: cp.backstageCluster,
  };
  const crds = largeProviderCrds({ baseGroup: BASE_GROUP, count: crdCount });
  console.log(`Installing ${crdCount} CRDs on ${cp.url}`);
  await installCrds(admin, crds);
  await grantPortalRead(admin, crds);
  await writeObjects(admin, crds, objectCount);
  // Give the role aggregation a moment.
  await sleep(2000);

  // What the cache watches besides the generated kinds: Crossplane's own
  // kinds and the workloads, counted from a first run of the new transport.
  const allCrds = await kubeCall(admin, 'GET', CRD_PATH);
  const emptyCrds = [crds[crds.length - 2], crds[crds.length - 1]];
  const results: CacheRunResult[] = [];
  for (const transport of transports) {
    console.log(`Measuring the cache over ${transport}`);
    const result = await measure({
      transport,
      backstageCluster: cp.backstageCluster,
      admin,
      port: INSTANCE.port,
      expectedKinds: crdCount,
      expectedObjects: objectCount,
      emptyCrds,
      namespace: NAMESPACE,
      maxConcurrentLists: process.argv.includes('--max-concurrent-lists')
        ? Number(option('max-concurrent-lists', '4'))
        : undefined,
    });
    console.log(`  ${JSON.stringify(result)}`);
    results.push(result);
  }
  const text = [
    `Large provider: ${crdCount} generated CRDs (${
      allCrds.items.length
    } in the cluster), ${objectCount} objects, ${new Date().toISOString()}`,
    '',
    table(crdCount, results),
    '',
  ].join('\n');
  fs.mkdirSync(path.join(BENCH_ROOT, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(BENCH_ROOT, 'logs', 'crds-results.md'), text);
  console.log(`\n${text}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
