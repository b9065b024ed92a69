import fc from 'fast-check';
import { XrdKindIndex } from '../model/classify';
import { refOf } from '../model/objectRef';
import { KubernetesObject } from '../model/types';
import { buildResourceTrees } from './buildResourceTree';
import { IncrementalResourceIndex } from './incrementalIndex';
import { indexResources } from './resourceIndex';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

const xrdKinds: XrdKindIndex = {
  composites: new Set(['example.org|XThing']),
  claims: new Set(['example.org|Claim']),
};
/** The order of kinds in the list a full build is given. */
const KINDS = ['Claim', 'XThing', 'NopResource', 'Secret'];
const kindRank = (_group: string, kind: string) => KINDS.indexOf(kind);

const names = ['a', 'b', 'c'];
const name = fc.constantFrom(...names);
const namespace = fc.option(fc.constantFrom('x', 'y'), { nil: undefined });
/** Few uids, so that objects share them as a recreated owner would. */
const uid = fc.constantFrom('u1', 'u2', 'u3', 'u4');
const conditions = fc.array(
  fc.record({
    type: fc.constantFrom('Ready', 'Synced'),
    status: fc.constantFrom('True', 'False', 'Unknown'),
    reason: fc.constantFrom('Available', 'ReconcileError'),
  }),
  { maxLength: 2 },
);
const ref = fc.record(
  {
    apiVersion: fc.constantFrom(
      'example.org/v1',
      'nop.crossplane.io/v1alpha1',
      'v1',
    ),
    kind: fc.constantFrom('XThing', 'NopResource', 'Secret', 'Claim'),
    name: fc.constantFrom(...names, 'ghost'),
    namespace: fc.constantFrom('x', 'y'),
  },
  { requiredKeys: ['kind', 'name'] },
);
const labels = fc.record(
  {
    'crossplane.io/composite': name,
    'crossplane.io/claim-name': name,
    'crossplane.io/claim-namespace': fc.constantFrom('x', 'y'),
  },
  { requiredKeys: [] },
);
const owner = fc.option(
  fc.record({ uid, controller: fc.boolean() }).map(o => [
    {
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      name: 'owner',
      ...o,
    },
  ]),
  { nil: undefined },
);

function metadata(m: {
  name: string;
  namespace?: string;
  uid: string;
  labels: Record<string, string>;
  ownerReferences?: object[];
}): KubernetesObject['metadata'] {
  const out: KubernetesObject['metadata'] = {
    name: m.name,
    uid: m.uid,
    labels: m.labels,
  };
  if (m.namespace) out.namespace = m.namespace;
  if (m.ownerReferences) out.ownerReferences = m.ownerReferences as any;
  return out;
}

/**
 * Messy objects of four kinds over three names: claims, composites
 * (references with and without apiVersion or namespace, claimRefs, claim
 * and composite labels, connection Secrets), managed resources (owners by
 * uid, composite labels) and Secrets, sharing names and uids.
 */
const object: fc.Arbitrary<KubernetesObject> = fc.oneof(
  fc
    .record({
      name,
      ns: fc.constantFrom('x', 'y'),
      uid,
      ref: fc.option(ref, { nil: undefined }),
      secret: fc.option(name, { nil: undefined }),
      conditions,
    })
    .map(o => ({
      apiVersion: 'example.org/v1',
      kind: 'Claim',
      metadata: metadata({
        name: o.name,
        namespace: o.ns,
        uid: o.uid,
        labels: {},
      }),
      spec: {
        ...(o.ref ? { resourceRef: o.ref } : {}),
        ...(o.secret ? { writeConnectionSecretToRef: { name: o.secret } } : {}),
      },
      status: { conditions: o.conditions },
    })),
  fc
    .record({
      name,
      namespace,
      uid,
      labels,
      owner,
      refs: fc.array(ref, { maxLength: 3 }),
      claimRef: fc.option(ref, { nil: undefined }),
      secret: fc.option(
        fc.record({ name, namespace: fc.constantFrom('x', 'y') }),
        { nil: undefined },
      ),
      v2: fc.boolean(),
      conditions,
    })
    .map(o => ({
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      metadata: metadata({
        name: o.name,
        namespace: o.namespace,
        uid: o.uid,
        labels: o.labels,
        ownerReferences: o.owner,
      }),
      spec: o.v2
        ? {
            crossplane: { resourceRefs: o.refs },
            ...(o.secret ? { writeConnectionSecretToRef: o.secret } : {}),
          }
        : {
            resourceRefs: o.refs,
            ...(o.claimRef ? { claimRef: o.claimRef } : {}),
            ...(o.secret ? { writeConnectionSecretToRef: o.secret } : {}),
          },
      status: { conditions: o.conditions },
    })),
  fc.record({ name, namespace, uid, labels, owner, conditions }).map(o => ({
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'NopResource',
    metadata: metadata({
      name: o.name,
      namespace: o.namespace,
      uid: o.uid,
      labels: o.labels,
      ownerReferences: o.owner,
    }),
    spec: { forProvider: {} },
    status: { conditions: o.conditions },
  })),
  fc.record({ name, ns: fc.constantFrom('x', 'y'), uid, owner }).map(o => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata({
      name: o.name,
      namespace: o.ns,
      uid: o.uid,
      labels: {},
      ownerReferences: o.owner,
    }),
  })),
);

const operation = fc.oneof(
  { weight: 3, arbitrary: object.map(put => ({ put })) },
  { weight: 1, arbitrary: object.map(remove => ({ remove })) },
);

function identity(o: KubernetesObject): string {
  return `${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

/**
 * The objects as a watch cache lists them: kind by kind, each kind's in the
 * order they arrived (a replaced object keeps its place).
 */
class ListInOrder {
  readonly #byKind = new Map(
    KINDS.map(k => [k, new Map<string, KubernetesObject>()]),
  );
  put(o: KubernetesObject) {
    this.#byKind.get(o.kind)!.set(identity(o), o);
  }
  remove(o: KubernetesObject) {
    this.#byKind.get(o.kind)!.delete(identity(o));
  }
  get objects(): KubernetesObject[] {
    return [...this.#byKind.values()].flatMap(m => [...m.values()]);
  }
}

function expectSameAsFullBuild(
  index: IncrementalResourceIndex,
  objects: KubernetesObject[],
) {
  const reference = indexResources(objects, xrdKinds, {
    follows: r => r.kind !== 'Claim',
  });
  expect(index.objects).toEqual(reference.objects);
  for (const o of objects) {
    expect(index.parentOf(o)).toBe(reference.parentOf(o));
    expect(index.childrenOf(o)).toEqual(reference.childrenOf(o));
    expect(index.classOf(o)).toBe(reference.classOf(o));
    expect(index.healthOf(o)).toEqual(reference.healthOf(o));
    const exact = refOf(o);
    const { apiVersion: _, ...anyGroup } = exact;
    const { namespace: __, ...anyNamespace } = exact;
    for (const r of [exact, anyGroup, anyNamespace, { ...exact, ns: 'y' }]) {
      expect(index.resolve(r)).toBe(reference.resolve(r));
    }
  }
  expect(index.trees()).toEqual(buildResourceTrees(reference));
}

describe('IncrementalResourceIndex', () => {
  it('equals a full index and its trees after every upsert and delete, in any order', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (operations, builtAfter) => {
          const list = new ListInOrder();
          const options = {
            xrdKinds,
            kindRank,
            follows: (r: { kind: string }) => r.kind !== 'Claim',
          };
          // Built whole after some operations (a re-list), then kept current.
          let index: IncrementalResourceIndex | undefined;
          operations.forEach((op, i) => {
            if (i === builtAfter)
              index = IncrementalResourceIndex.build(list.objects, options);
            if ('put' in op) {
              list.put(op.put);
              index?.upsert(op.put);
            } else {
              list.remove(op.remove);
              index?.remove(op.remove);
            }
            if (index) expectSameAsFullBuild(index, list.objects);
          });
          index ??= IncrementalResourceIndex.build(list.objects, options);
          expectSameAsFullBuild(index, list.objects);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
