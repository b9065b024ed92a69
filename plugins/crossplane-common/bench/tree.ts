/* eslint-disable no-console */
/*
 * Benchmark: assemble resource trees and health over 100k objects.
 *
 *   cd /work/main && node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/crossplane-common/bench/tree.ts [objects]
 *
 * Builds a realistic cluster: half Crossplane v1 claims (claim -> cluster-scoped
 * composite -> managed resources, a nested composite with its own managed
 * resources, a provider-kubernetes Object), half v2 namespaced composites
 * (spec.crossplane.resourceRefs, Deployments, Services, namespaced managed
 * resources), with unready and failing resources, dangling references,
 * duplicates and a few reference cycles.
 */
import {
  KubernetesObject,
  buildResourceTree,
  buildResourceTrees,
  computeHealth,
  indexResources,
} from '../src';

const TOTAL = Number(process.argv[2] ?? 100_000);

function cond(type: string, ok: boolean, reason: string) {
  return {
    type,
    status: ok ? 'True' : 'False',
    reason,
    lastTransitionTime: '2025-05-01T10:00:00Z',
  };
}

function managed(
  i: number,
  j: number,
  xr: KubernetesObject,
  namespace?: string,
): KubernetesObject {
  const failing = (i * 31 + j) % 97 === 0;
  const creating = (i * 7 + j) % 13 === 0;
  return {
    apiVersion: namespace
      ? 's3.aws.m.upbound.io/v1beta1'
      : 'rds.aws.upbound.io/v1beta1',
    kind: j % 2 ? 'Bucket' : 'Instance',
    metadata: {
      name: `${xr.metadata.name}-mr-${j}`,
      ...(namespace ? { namespace } : {}),
      uid: `mr-${i}-${j}`,
      labels: {
        'crossplane.io/composite':
          xr.metadata.labels!['crossplane.io/composite'],
      },
      ownerReferences: [
        {
          apiVersion: xr.apiVersion,
          kind: xr.kind,
          name: xr.metadata.name,
          uid: xr.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      forProvider: { region: 'eu-west-1', password: 'x' },
      providerConfigRef: { name: 'default' },
    },
    status: {
      atProvider: { id: `id-${i}-${j}` },
      conditions: [
        cond('Ready', !creating, creating ? 'Creating' : 'Available'),
        cond(
          'Synced',
          !failing,
          failing ? 'ReconcileError' : 'ReconcileSuccess',
        ),
      ],
    },
  };
}

function v1Tree(i: number): KubernetesObject[] {
  const name = `db-${i}`;
  const xrName = `${name}-x${i}`;
  const xr: KubernetesObject = {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'XPostgreSQLInstance',
    metadata: {
      name: xrName,
      uid: `xr-${i}`,
      labels: {
        'crossplane.io/composite': xrName,
        'crossplane.io/claim-name': name,
        'crossplane.io/claim-namespace': `team-${i % 50}`,
      },
    },
    spec: {
      claimRef: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        name,
        namespace: `team-${i % 50}`,
      },
      compositionRef: { name: 'aws' },
      resourceRefs: [] as unknown[],
    },
    status: {
      conditions: [
        cond('Ready', true, 'Available'),
        cond('Synced', true, 'ReconcileSuccess'),
      ],
    },
  };
  const claim: KubernetesObject = {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: { name, namespace: `team-${i % 50}`, uid: `claim-${i}` },
    spec: {
      resourceRef: { apiVersion: xr.apiVersion, kind: xr.kind, name: xrName },
      parameters: { storageGB: 20 },
    },
    status: {
      conditions: [
        cond('Ready', true, 'Available'),
        cond('Synced', true, 'ReconcileSuccess'),
      ],
    },
  };
  const nested: KubernetesObject = {
    apiVersion: 'net.example.org/v1alpha1',
    kind: 'XNetwork',
    metadata: {
      name: `${xrName}-net`,
      uid: `net-${i}`,
      labels: { 'crossplane.io/composite': xrName },
      ownerReferences: [
        {
          apiVersion: xr.apiVersion,
          kind: xr.kind,
          name: xrName,
          uid: xr.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { resourceRefs: [] as unknown[] },
    status: {
      conditions: [
        cond('Ready', true, 'Available'),
        cond('Synced', true, 'ReconcileSuccess'),
      ],
    },
  };
  const mrs = Array.from({ length: 12 }, (_, j) => managed(i, j, xr));
  const netMrs = Array.from({ length: 3 }, (_, j) =>
    managed(i, 100 + j, nested),
  );
  const object: KubernetesObject = {
    apiVersion: 'kubernetes.crossplane.io/v1alpha2',
    kind: 'Object',
    metadata: {
      name: `${xrName}-obj`,
      uid: `obj-${i}`,
      labels: { 'crossplane.io/composite': xrName },
    },
    spec: {
      forProvider: {
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's' },
          data: { a: 'b' },
        },
      },
    },
    status: {
      conditions: [
        cond('Ready', true, 'Available'),
        cond('Synced', true, 'ReconcileSuccess'),
      ],
    },
  };
  xr.spec!.resourceRefs = [...mrs, nested, object].map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  }));
  if (i % 500 === 0)
    xr.spec!.resourceRefs.push({
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Instance',
      name: `${xrName}-gone`,
    });
  nested.spec!.resourceRefs = netMrs.map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  }));
  if (i % 1000 === 0)
    nested.spec!.resourceRefs.push({
      apiVersion: xr.apiVersion,
      kind: xr.kind,
      name: xrName,
    }); // cycle
  const out = [claim, xr, nested, object, ...mrs, ...netMrs];
  if (i % 200 === 0) out.push({ ...mrs[0] }); // duplicate from a second list page
  return out;
}

function v2Tree(i: number): KubernetesObject[] {
  const namespace = `team-${i % 50}`;
  const name = `app-${i}`;
  const xr: KubernetesObject = {
    apiVersion: 'platform.example.org/v1',
    kind: 'App',
    metadata: {
      name,
      namespace,
      uid: `app-${i}`,
      labels: { 'crossplane.io/composite': name },
    },
    spec: {
      image: 'nginx',
      crossplane: {
        compositionRef: { name: 'app' },
        resourceRefs: [] as unknown[],
      },
    },
    status: {
      conditions: [
        cond('Ready', true, 'Available'),
        cond('Synced', true, 'ReconcileSuccess'),
      ],
    },
  };
  const owner = [
    {
      apiVersion: xr.apiVersion,
      kind: xr.kind,
      name,
      uid: xr.metadata.uid!,
      controller: true,
    },
  ];
  const deployment: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      uid: `dep-${i}`,
      generation: 2,
      labels: { 'crossplane.io/composite': name },
      ownerReferences: owner,
    },
    spec: { replicas: 2 },
    status: {
      observedGeneration: 2,
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      conditions: [cond('Available', true, 'MinimumReplicasAvailable')],
    },
  };
  const service: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      uid: `svc-${i}`,
      labels: { 'crossplane.io/composite': name },
      ownerReferences: owner,
    },
    spec: { ports: [{ port: 80 }] },
  };
  const mrs = Array.from({ length: 17 }, (_, j) =>
    managed(i, j, xr, namespace),
  );
  xr.spec!.crossplane.resourceRefs = [deployment, service, ...mrs].map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  }));
  return [xr, deployment, service, ...mrs];
}

function generate(total: number): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (let i = 0; objects.length < total; i++) {
    objects.push(...(i % 2 ? v2Tree(i) : v1Tree(i)));
  }
  return objects.slice(0, total);
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function time<T>(label: string, run: () => T): T {
  const start = process.hrtime.bigint();
  const result = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`);
  return result;
}

const objects = generate(TOTAL);
const baseline = heapMb();
console.log(
  `objects: ${objects.length} (node ${process.version}, ${process.arch})`,
);
time('computeHealth, every object', () =>
  objects.forEach(o => computeHealth(o)),
);
const trees = time('buildResourceTrees (index + every tree)', () =>
  buildResourceTrees(objects),
);
let nodes = 0;
const stack = [...trees];
while (stack.length) {
  const n = stack.pop()!;
  nodes++;
  stack.push(...n.children);
}
const afterTrees = heapMb();
const index = time('indexResources (once)', () => indexResources(objects));
time('buildResourceTree x 1000 roots on that index', () => {
  for (let i = 0; i < 1000; i++) {
    const t = trees[(i * 7919) % trees.length];
    buildResourceTree(index, t.ref);
  }
});
const unhealthy = trees.filter(
  t => t.rolledUpHealth.status !== 'Healthy',
).length;
console.log(
  `trees: ${trees.length}, nodes: ${nodes}, not healthy: ${unhealthy}`,
);
console.log(
  `heap: objects ${baseline.toFixed(0)} MB, + trees ${(
    afterTrees - baseline
  ).toFixed(0)} MB`,
);
