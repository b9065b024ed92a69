import fc from 'fast-check';
import { healthSeverity } from '../health/compare';
import { KubernetesObject } from '../model/types';
import { buildResourceTree, buildResourceTrees } from './buildResourceTree';
import { ResourceTreeNode } from './types';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const names = ['a', 'b', 'c', 'd', 'e', 'f'];
const condition = fc.record({
  type: fc.constantFrom('Ready', 'Synced'),
  status: fc.constantFrom('True', 'False', 'Unknown'),
  reason: fc.constantFrom(
    'Available',
    'Creating',
    'ReconcileError',
    'Unavailable',
  ),
});

/** Random, messy graphs of composites and managed resources: cycles, dangling refs, duplicates. */
const object: fc.Arbitrary<KubernetesObject> = fc
  .record({
    composite: fc.boolean(),
    name: fc.constantFrom(...names),
    namespace: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
    refs: fc.array(fc.constantFrom(...names, 'ghost'), { maxLength: 4 }),
    owner: fc.option(fc.constantFrom(...names), { nil: undefined }),
    root: fc.option(fc.constantFrom(...names), { nil: undefined }),
    conditions: fc.array(condition, { maxLength: 2 }),
    paused: fc.boolean(),
    deleting: fc.boolean(),
  })
  .map(o => {
    const labels: Record<string, string> = {};
    if (o.root) labels['crossplane.io/composite'] = o.root;
    const annotations: Record<string, string> = {};
    if (o.paused) annotations['crossplane.io/paused'] = 'true';
    const metadata: KubernetesObject['metadata'] = {
      name: o.name,
      uid: `uid-${o.name}-${o.composite}`,
      labels,
      annotations,
    };
    if (o.namespace) metadata.namespace = o.namespace;
    if (o.deleting) metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    if (o.owner) {
      metadata.ownerReferences = [
        {
          apiVersion: 'example.org/v1',
          kind: 'XThing',
          name: o.owner,
          uid: `uid-${o.owner}-true`,
          controller: true,
        },
      ];
    }
    return o.composite
      ? {
          apiVersion: 'example.org/v1',
          kind: 'XThing',
          metadata,
          spec: {
            crossplane: {
              resourceRefs: o.refs.map(r => ({
                apiVersion: 'example.org/v1',
                kind: 'XThing',
                name: r,
              })),
            },
          },
          status: { conditions: o.conditions },
        }
      : {
          apiVersion: 'nop.crossplane.io/v1alpha1',
          kind: 'NopResource',
          metadata,
          spec: { forProvider: {} },
          status: { conditions: o.conditions },
        };
  });

function walk(node: ResourceTreeNode, visit: (n: ResourceTreeNode) => void) {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    stack.push(...n.children);
  }
}

function checkTree(tree: ResourceTreeNode) {
  const seen = new Set<KubernetesObject>();
  walk(tree, n => {
    // Each object appears once; missing nodes have no children.
    if (!n.missing && n.object) {
      expect(seen.has(n.object)).toBe(false);
      seen.add(n.object);
    } else {
      expect(n.children).toEqual([]);
    }
    // The rolled-up health is the worst of the node and its subtree...
    let worst = healthSeverity(n.health.status);
    for (const c of n.children) {
      worst = Math.max(worst, healthSeverity(c.rolledUpHealth.status));
    }
    expect(healthSeverity(n.rolledUpHealth.status)).toBe(worst);
    // ...and the culprit path leads from this node to a node that has it.
    if (n.rolledUpHealth.status === 'Healthy') {
      expect(n.culpritPath).toBeUndefined();
    } else {
      const path = n.culpritPath!;
      expect(path[0]).toEqual(n.ref);
      let at = n;
      for (const ref of path.slice(1)) {
        at = at.children.find(
          c =>
            c.ref === ref ||
            (c.ref.kind === ref.kind &&
              c.ref.name === ref.name &&
              c.ref.namespace === ref.namespace),
        )!;
        expect(at).toBeDefined();
      }
      expect(at.health).toEqual(n.rolledUpHealth);
    }
  });
}

describe('resource trees over random graphs', () => {
  it('never repeat an object, roll health up correctly and lead to the culprit', () => {
    fc.assert(
      fc.property(
        fc.array(object, { maxLength: 14 }),
        fc.constantFrom(...names),
        (objects, root) => {
          const before = JSON.stringify(objects);
          for (const namespace of [undefined, 'x']) {
            const tree = buildResourceTree(objects, {
              kind: 'XThing',
              name: root,
              namespace,
            });
            if (tree) checkTree(tree);
          }
          for (const tree of buildResourceTrees(objects)) checkTree(tree);
          expect(JSON.stringify(objects)).toBe(before);
        },
      ),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
