import { mockServices } from '@backstage/backend-test-utils';
import {
  buildResourceTrees,
  indexResources,
  KubernetesObject,
  parseXrd,
  refOf,
  ResourceIndex,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import fc from 'fast-check';
import {
  claim,
  composite,
  crd,
  demoCluster,
  nop,
} from '../__fixtures__/demoCluster';
import { ClusterView } from './ClusterView';
import { compareRows, rowOf } from './SummaryRows';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

const V2_GROUP = 'platform.example.org';
const V2_MR_GROUP = 'db.m.example.org';

/** The CRDs and XRD of the demo cluster, and the v2 kinds: no objects. */
const definitions: KubernetesObject[] = [
  ...demoCluster.filter(o =>
    ['CustomResourceDefinition', 'CompositeResourceDefinition'].includes(
      o.kind,
    ),
  ),
  crd('AppDatabase', 'appdatabases', V2_GROUP, ['composite'], 'Namespaced'),
  crd(
    'Instance',
    'instances',
    V2_MR_GROUP,
    ['crossplane', 'managed'],
    'Namespaced',
  ),
];

const conditions = fc.constantFrom('True', 'False', 'Unknown').map(status => [
  { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
  {
    type: 'Ready',
    status,
    reason: status === 'True' ? 'Available' : 'ReconcileError',
  },
]);
const namespace = fc.constantFrom('team-a', 'team-b');
const claimName = fc.constantFrom('c0', 'c1', 'c2');
const xrName = fc.constantFrom('x0', 'x1', 'x2');
const mrName = fc.constantFrom('m0', 'm1', 'm2', 'm3');
const v2Name = fc.constantFrom('v0', 'v1');
const v2MrName = fc.constantFrom('n0', 'n1', 'n2');
/** A recreated object gets another uid: owners must match it. */
const generation = fc.constantFrom('', '-2');

/** A v2 namespaced XR, composing `.m.` managed resources in its namespace. */
function v2Xr(
  name: string,
  ns: string,
  managed: string[],
  uid: string,
  conds: object[],
): KubernetesObject {
  return {
    apiVersion: `${V2_GROUP}/v1alpha1`,
    kind: 'AppDatabase',
    metadata: {
      name,
      namespace: ns,
      uid,
      labels: { 'crossplane.io/composite': name },
    },
    spec: {
      crossplane: {
        compositionRef: { name: 'appdatabases' },
        resourceRefs: managed.map(m => ({
          apiVersion: `${V2_MR_GROUP}/v1alpha1`,
          kind: 'Instance',
          name: m,
        })),
      },
    },
    status: { conditions: conds },
  };
}

function v2Mr(
  name: string,
  ns: string,
  xr: string,
  ownerUid: string,
  conds: object[],
): KubernetesObject {
  return {
    apiVersion: `${V2_MR_GROUP}/v1alpha1`,
    kind: 'Instance',
    metadata: {
      name,
      namespace: ns,
      uid: `mr2-${ns}-${name}`,
      labels: { 'crossplane.io/composite': xr },
      ownerReferences: [
        {
          apiVersion: `${V2_GROUP}/v1alpha1`,
          kind: 'AppDatabase',
          name: xr,
          uid: ownerUid,
          controller: true,
        },
      ],
    },
    spec: { forProvider: {}, providerConfigRef: { name: 'default' } },
    status: { conditions: conds },
  };
}

/**
 * Writes and deletes of v1 claims → XRs → MRs and v2 XRs → `.m.` MRs; the
 * names are few, so that writes re-parent (a claim bound to another XR, an
 * XR naming other MRs, an MR owned by another XR) and children arrive
 * before or after their parents.
 */
const operation: fc.Arbitrary<
  { put: KubernetesObject } | { remove: KubernetesObject }
> = fc.oneof(
  fc
    .tuple(claimName, namespace, xrName, conditions)
    .map(([name, ns, xr, conds]) => ({
      put: claim(name, ns, xr, ns, conds),
    })),
  fc
    .tuple(
      xrName,
      claimName,
      namespace,
      fc.subarray(['m0', 'm1', 'm2', 'm3']),
      generation,
      conditions,
    )
    .map(([name, c, ns, managed, gen, conds]) => {
      const xr = composite(name, c, ns, managed, conds);
      xr.metadata.uid = `xr-${name}${gen}`;
      return { put: xr };
    }),
  fc
    .tuple(mrName, xrName, generation, conditions)
    .map(([name, xr, gen, conds]) => {
      const mr = nop(name, xr, conds);
      mr.metadata.ownerReferences![0].uid = `xr-${xr}${gen}`;
      return { put: mr };
    }),
  fc
    .tuple(
      v2Name,
      namespace,
      fc.subarray(['n0', 'n1', 'n2']),
      generation,
      conditions,
    )
    .map(([name, ns, managed, gen, conds]) => ({
      put: v2Xr(name, ns, managed, `v2-${ns}-${name}${gen}`, conds),
    })),
  fc
    .tuple(v2MrName, namespace, v2Name, generation, conditions)
    .map(([name, ns, xr, gen, conds]) => ({
      put: v2Mr(name, ns, xr, `v2-${ns}-${xr}${gen}`, conds),
    })),
  fc
    .oneof(
      claimName.map(name => claim(name, 'team-a', 'x0', 'team-a', [])),
      claimName.map(name => claim(name, 'team-b', 'x0', 'team-b', [])),
      xrName.map(name => composite(name, 'c0', 'team-a', [], [])),
      mrName.map(name => nop(name, 'x0', [])),
      fc
        .tuple(v2Name, namespace)
        .map(([name, ns]) => v2Xr(name, ns, [], '', [])),
      fc
        .tuple(v2MrName, namespace)
        .map(([name, ns]) => v2Mr(name, ns, 'v0', '', [])),
    )
    .map(object => ({ remove: object })),
);

/** What a full build of the cache's objects gives: the reference. */
function fullBuild(cache: ClusterObjectCache) {
  const objects = cache.objects();
  const xrds = objects
    .filter(o => o.kind === 'CompositeResourceDefinition')
    .map(parseXrd);
  const index = indexResources(objects, xrds, {
    follows: ref =>
      cache.kindStatus(splitApiVersion(ref.apiVersion).group, ref.kind) !==
      undefined,
  });
  return { index, trees: buildResourceTrees(index) };
}

function rootIn(index: ResourceIndex, object: KubernetesObject) {
  let root = object;
  const seen = new Set([object]);
  for (let p = index.parentOf(root); p && !seen.has(p); p = index.parentOf(p)) {
    seen.add(p);
    root = p;
  }
  return root;
}

function expectSameAsFullBuild(view: ClusterView, cache: ClusterObjectCache) {
  const reference = fullBuild(cache);
  const index = view.index();
  expect(index.objects).toEqual(reference.index.objects);
  for (const object of reference.index.objects) {
    const ref = refOf(object);
    expect(index.resolve(ref)).toBe(object);
    // Lenient lookups: without apiVersion, and with a namespace given to a
    // cluster-scoped object.
    const { apiVersion: _, ...noVersion } = ref;
    expect(index.resolve(noVersion)).toBe(reference.index.resolve(noVersion));
    const elsewhere = { ...ref, namespace: ref.namespace ?? 'team-a' };
    expect(index.resolve(elsewhere)).toBe(reference.index.resolve(elsewhere));
    expect(index.parentOf(object)).toBe(reference.index.parentOf(object));
    expect(index.childrenOf(object)).toEqual(
      reference.index.childrenOf(object),
    );
    expect(index.classOf(object)).toBe(reference.index.classOf(object));
    expect(index.healthOf(object)).toEqual(reference.index.healthOf(object));
    expect(view.rootOf(object)).toBe(rootIn(reference.index, object));
  }
  // Every tree, with each node's health and roll-up, in the same order.
  expect(view.trees()).toEqual(reference.trees);
  // The summary's rows: those of the same trees, in the summary's order.
  const rows = (list: readonly ReturnType<typeof rowOf>[]) =>
    list.map(r => ({
      ref: r.tree.ref,
      health: r.tree.rolledUpHealth.status,
      culprit: r.tree.culpritPath,
    }));
  expect(rows(view.summaryRows())).toEqual(
    rows(reference.trees.map(rowOf).sort(compareRows)),
  );
}

async function startCache() {
  const client = new InMemoryClusterClient('east', definitions);
  const cache = new ClusterObjectCache({
    client,
    logger: mockServices.logger.mock(),
    includeWorkloads: false,
  });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () =>
      (cache.status().synced && cache.status().kinds.length >= 6) || undefined,
    5_000,
  );
  return { client, cache };
}

describe('ClusterView, kept current by events', () => {
  it('equals a full build after every write and delete, and never rebuilds whole for them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 1, maxLength: 40 }),
        async operations => {
          const { client, cache } = await startCache();
          try {
            const view = new ClusterView(cache);
            expectSameAsFullBuild(view, cache);
            const fullReads = jest.spyOn(cache, 'objects');
            for (const op of operations) {
              if ('put' in op) client.put(op.put);
              else {
                const { apiVersion, kind, metadata } = op.remove;
                client.remove({
                  apiVersion,
                  kind,
                  namespace: metadata.namespace,
                  name: metadata.name,
                });
              }
              const before = fullReads.mock.calls.length;
              // The view's trees and rows are read first, then compared.
              view.trees();
              view.summaryRows();
              expect(fullReads.mock.calls.length).toBe(before);
              expectSameAsFullBuild(view, cache);
            }
          } finally {
            cache.stop();
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 300_000);
});
