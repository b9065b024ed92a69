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
import {
  claim,
  composite,
  crd,
  demoCluster,
  nop,
} from '../__fixtures__/demoCluster';
import { ClusterView } from './ClusterView';
import { compareRows, RowFacts, rowOf, SummaryRow } from './SummaryRows';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);

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

/** A seeded random source: a failing run is replayed by its seed. */
function randomOf(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(...values: T[]): T =>
    values[Math.floor(next() * values.length)];
  const subset = <T>(values: T[]): T[] => values.filter(() => next() < 0.5);
  return { next, pick, subset };
}
type Random = ReturnType<typeof randomOf>;

function conditions(random: Random) {
  const status = random.pick('True', 'False', 'Unknown');
  return [
    { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    {
      type: 'Ready',
      status,
      reason: status === 'True' ? 'Available' : 'ReconcileError',
    },
  ];
}

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

type Operation = { put: KubernetesObject } | { remove: KubernetesObject };

/**
 * A write or delete of v1 claims → XRs → MRs and v2 XRs → `.m.` MRs; the
 * names are few, so that writes re-parent (a claim bound to another XR, an
 * XR naming other MRs, an MR owned by another XR) and children arrive
 * before or after their parents. A recreated owner gets another uid.
 */
function operation(random: Random): Operation {
  const ns = random.pick('team-a', 'team-b');
  const claimName = random.pick('c0', 'c1', 'c2');
  const xrName = random.pick('x0', 'x1', 'x2');
  const mrName = random.pick('m0', 'm1', 'm2', 'm3');
  const v2Name = random.pick('v0', 'v1');
  const v2MrName = random.pick('n0', 'n1', 'n2');
  const gen = random.pick('', '-2');
  const conds = conditions(random);
  let object: KubernetesObject;
  switch (random.pick('claim', 'xr', 'mr', 'v2xr', 'v2mr')) {
    case 'claim':
      object = claim(claimName, ns, xrName, ns, conds);
      break;
    case 'xr':
      object = composite(
        xrName,
        claimName,
        ns,
        random.subset(['m0', 'm1', 'm2', 'm3']),
        conds,
      );
      object.metadata.uid = `xr-${xrName}${gen}`;
      break;
    case 'mr':
      object = nop(mrName, xrName, conds);
      object.metadata.ownerReferences![0].uid = `xr-${xrName}${gen}`;
      break;
    case 'v2xr':
      object = v2Xr(
        v2Name,
        ns,
        random.subset(['n0', 'n1', 'n2']),
        `v2-${ns}-${v2Name}${gen}`,
        conds,
      );
      break;
    default:
      object = v2Mr(v2MrName, ns, v2Name, `v2-${ns}-${v2Name}${gen}`, conds);
  }
  return random.next() < 0.25 ? { remove: object } : { put: object };
}

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
  for (const tree of reference.trees)
    expect(view.treeOf(tree.object!)).toEqual(tree);
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

/** Facts read from the row alone, so that a full build can tell them too. */
const factsOf = (row: SummaryRow): RowFacts => ({
  subject: {} as RowFacts['subject'],
  owner: `owner-of-${row.namespace ?? 'none'}`,
  xrd: row.group === V2_GROUP ? undefined : row.kind,
});

/** The tally, brought up to date, counts what the full build's rows hold. */
function expectTallyOfRows(view: ClusterView, cache: ClusterObjectCache) {
  const rows = fullBuild(cache).trees.map(rowOf);
  const { rows: listed, tally } = view.summaryTally(factsOf);
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const status = row.tree.rolledUpHealth.status;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  const counted = Object.fromEntries(
    Object.entries(tally.counts).filter(([, n]) => n !== 0),
  );
  expect(counted).toEqual(counts);
  const distinct = (values: (string | undefined)[]) =>
    [...new Set(values.filter(v => v !== undefined))].sort();
  const facts = rows.map(factsOf);
  expect([...tally.owners.values()].sort()).toEqual(
    distinct(facts.map(f => f.owner)),
  );
  expect([...tally.xrds.values()].sort()).toEqual(
    distinct(facts.map(f => f.xrd)),
  );
  expect([...tally.namespaces.values()].sort()).toEqual(
    distinct(rows.map(r => r.namespace)),
  );
  expect(listed).toBe(view.summaryRows());
  for (const row of listed) expect(tally.factsOf(row)).toEqual(factsOf(row));
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
    for (let run = 0; run < NUM_RUNS; run++) {
      const seed = SEED + run;
      const random = randomOf(seed);
      const operations = Array.from(
        { length: 1 + Math.floor(random.next() * 40) },
        () => operation(random),
      );
      const { client, cache } = await startCache();
      const done: Operation[] = [];
      try {
        const view = new ClusterView(cache);
        expectSameAsFullBuild(view, cache);
        const fullReads = jest.spyOn(cache, 'objects');
        for (const op of operations) {
          done.push(op);
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
          // Brought up to date after one change, or after several.
          if (random.next() < 0.5) expectTallyOfRows(view, cache);
        }
        expectTallyOfRows(view, cache);
      } catch (error) {
        throw new Error(
          `seed ${seed}, after ${JSON.stringify(done)}: ${error}`,
        );
      } finally {
        cache.stop();
      }
    }
  }, 300_000);
});
