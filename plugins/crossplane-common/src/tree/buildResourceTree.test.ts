import {
  buildResourceTree,
  buildResourceTrees,
  indexResources,
  objectRefToString,
  parseXrd,
  ResourceTreeNode,
} from '..';
import { appTree, nopObjects, postgresTree } from '../__fixtures__/objects';
import { allXrds } from '../__fixtures__/xrds';
import { KubernetesObject } from '../model/types';

const xrds = Object.values(allXrds).map(parseXrd);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function outline(node: ResourceTreeNode, depth = 0): string[] {
  const line = `${'  '.repeat(depth)}${node.ref.kind}/${node.ref.name} ${
    node.class
  } ${node.health.status}/${node.rolledUpHealth.status}${
    node.missing ? ' missing' : ''
  }`;
  return [line, ...node.children.flatMap(c => outline(c, depth + 1))];
}

const claimRef = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-a',
  name: 'orders-db',
};

function mr(
  name: string,
  extra: Partial<KubernetesObject> = {},
  ready = 'True',
): KubernetesObject {
  return {
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'NopResource',
    metadata: { name, ...((extra.metadata as object) ?? {}) },
    spec: { forProvider: {} },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'Available' : 'Unavailable',
        },
      ],
    },
  };
}

function xr(
  name: string,
  refs: string[],
  extraMeta: object = {},
): KubernetesObject {
  return {
    apiVersion: 'example.org/v1',
    kind: 'XThing',
    metadata: { name, ...extraMeta },
    spec: {
      crossplane: {
        resourceRefs: refs.map(r => ({
          apiVersion: 'example.org/v1',
          kind: 'XThing',
          name: r,
        })),
      },
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

describe('buildResourceTree', () => {
  it('assembles a v1 claim → composite → composed tree', () => {
    const tree = buildResourceTree(postgresTree, claimRef, xrds)!;
    expect(outline(tree)).toEqual([
      'PostgreSQLInstance/orders-db claim Progressing/Progressing',
      '  XPostgreSQLInstance/orders-db-x7k2p composite Progressing/Progressing',
      '    Instance/orders-db-x7k2p-8jz4q managed Progressing/Progressing',
      '    SubnetGroup/orders-db-x7k2p-l2m9s managed Healthy/Healthy',
      '    XNetwork/orders-db-x7k2p-net composite Healthy/Healthy',
      '      VPC/orders-db-x7k2p-net-vpc managed Healthy/Healthy',
      '      Subnet/orders-db-x7k2p-net-a managed Healthy/Healthy',
      '    Object/orders-db-x7k2p-bootstrap managed Healthy/Healthy',
      '  Secret/orders-db-conn secret Healthy/Healthy',
    ]);
    expect(tree.culpritPath?.map(r => r.name)).toEqual([
      'orders-db',
      'orders-db-x7k2p',
      'orders-db-x7k2p-8jz4q',
    ]);
    expect(tree.rolledUpHealth.reason).toBe('Creating');
  });

  it('links by labels alone when refs and owners are gone', () => {
    const stripped = clone(postgresTree).map(o => {
      delete o.metadata.ownerReferences;
      if (o.spec) {
        delete o.spec.resourceRefs;
        delete o.spec.resourceRef;
        delete o.spec.claimRef;
      }
      return o;
    });
    const tree = buildResourceTree(stripped, claimRef)!;
    const names = outline(tree).map(l => l.trim().split(' ')[0]);
    expect(names).toHaveLength(9);
    expect(names[0]).toBe('PostgreSQLInstance/orders-db');
    const composite = tree.children.find(
      c => c.ref.kind === 'XPostgreSQLInstance',
    )!;
    // crossplane.io/composite names the root composite, so without owner
    // references everything composed hangs under it, sorted by kind.
    expect(composite.children.map(c => c.ref.kind)).toEqual([
      'Instance',
      'Object',
      'Subnet',
      'SubnetGroup',
      'VPC',
      'XNetwork',
    ]);
  });

  it('assembles a v2 namespaced composite from spec.crossplane.resourceRefs', () => {
    const tree = buildResourceTree(appTree, {
      kind: 'App',
      namespace: 'team-b',
      name: 'checkout',
    })!;
    expect(outline(tree)).toEqual([
      'App/checkout composite Healthy/Healthy',
      '  Deployment/checkout workload Healthy/Healthy',
      '  Service/checkout other Healthy/Healthy',
      '  Bucket/checkout-assets managed Healthy/Healthy',
    ]);
    expect(tree.culpritPath).toBeUndefined();
  });

  it('rolls the worst health up with the path to the culprit', () => {
    const objects = [
      xr('root', ['mid']),
      xr('mid', ['leaf-a', 'leaf-b']),
      {
        ...xr('leaf-a', []),
        status: {
          conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }],
        },
      },
      {
        ...xr('leaf-b', []),
        status: {
          conditions: [
            {
              type: 'Synced',
              status: 'False',
              reason: 'ReconcileError',
              message: 'boom',
            },
          ],
        },
      },
    ];
    const tree = buildResourceTree(objects, { kind: 'XThing', name: 'root' })!;
    expect(tree.health.status).toBe('Healthy');
    expect(tree.rolledUpHealth).toMatchObject({
      status: 'Degraded',
      message: 'boom',
    });
    expect(tree.culpritPath?.map(r => r.name)).toEqual([
      'root',
      'mid',
      'leaf-b',
    ]);
    expect(tree.children[0].children[0].rolledUpHealth.status).toBe(
      'Progressing',
    );
  });

  it('survives cycles, dangling references and duplicates', () => {
    const objects = [
      xr('a', ['b', 'ghost']),
      xr('b', ['c', 'b']),
      xr('c', ['a']),
      xr('a', ['other']), // duplicate: the first wins
    ];
    const tree = buildResourceTree(objects, { kind: 'XThing', name: 'a' })!;
    expect(outline(tree)).toEqual([
      'XThing/a composite Healthy/Unknown',
      '  XThing/b composite Healthy/Healthy',
      '    XThing/c composite Healthy/Healthy',
      '  XThing/ghost other Unknown/Unknown missing',
    ]);
    expect(tree.rolledUpHealth.reason).toBe('Missing');
    expect(objectRefToString(tree.culpritPath![1])).toBe(
      'example.org/v1:XThing:ghost',
    );
    // A pure cycle has no root, but every object is still reachable by name.
    expect(buildResourceTrees(objects)).toEqual([]);
  });

  it('does not overflow on very deep chains', () => {
    const objects = Array.from({ length: 20000 }, (_, i) =>
      xr(`x${i}`, [`x${i + 1}`]),
    );
    const tree = buildResourceTree(objects, { kind: 'XThing', name: 'x0' })!;
    let depth = 0;
    for (let n: ResourceTreeNode | undefined = tree; n; n = n.children[0])
      depth++;
    expect(depth).toBe(20001); // the last one is a missing reference
    expect(tree.rolledUpHealth.reason).toBe('Missing');
  });

  it('returns undefined for an unknown root and ignores junk', () => {
    expect(
      buildResourceTree(postgresTree, { kind: 'Nope', name: 'x' }),
    ).toBeUndefined();
    const junk = [
      null,
      1,
      {},
      { kind: 'X' },
      { kind: 'X', metadata: { name: '' } },
    ] as any[];
    expect(
      buildResourceTree([...junk, ...postgresTree], claimRef)?.children,
    ).toHaveLength(2);
  });

  it('attaches composed resources by controller owner reference', () => {
    const root = xr('root', [], { uid: 'u-root' });
    const child = mr(
      'owned',
      {
        metadata: {
          name: 'owned',
          ownerReferences: [
            {
              apiVersion: 'example.org/v1',
              kind: 'XThing',
              name: 'root',
              uid: 'u-root',
              controller: true,
            },
          ],
        },
      },
      'False',
    );
    const tree = buildResourceTree([child, root], {
      kind: 'XThing',
      name: 'root',
    })!;
    expect(tree.children.map(c => c.ref.name)).toEqual(['owned']);
    expect(tree.rolledUpHealth.status).toBe('Degraded');
  });
});

describe('buildResourceTrees', () => {
  it('finds every root: claims and composites without a claim', () => {
    const objects = [...postgresTree, ...appTree, ...nopObjects];
    const index = indexResources(objects, xrds);
    const roots = buildResourceTrees(index);
    expect(roots.map(r => `${r.ref.kind}/${r.ref.name}`)).toEqual([
      'PostgreSQLInstance/orders-db',
      'App/checkout',
    ]);
    // The index can be reused for single trees.
    expect(buildResourceTree(index, claimRef)?.children).toHaveLength(2);
  });

  it('treats a composite whose claim is gone as a root', () => {
    const withoutClaim = postgresTree.filter(
      o => o.kind !== 'PostgreSQLInstance',
    );
    const roots = buildResourceTrees(withoutClaim, xrds);
    expect(roots.map(r => r.ref.name)).toEqual(['orders-db-x7k2p']);
  });
});

describe('references a child does not agree to', () => {
  /** A claim of another team that names team-a's composite as its own. */
  const hijacker: KubernetesObject = {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: { name: 'hijack', namespace: 'team-b', uid: 'hijack-uid' },
    spec: {
      resourceRef: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: 'orders-db-x7k2p',
      },
    },
  };

  it('do not make a claim the parent of a composite bound to another claim', () => {
    // The hijacker sorts first, so list order would otherwise decide.
    const index = indexResources([hijacker, ...clone(postgresTree)], xrds);
    const composite = index.resolve({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-x7k2p',
    })!;
    expect(index.parentOf(composite)?.metadata.name).toBe('orders-db');
    const tree = buildResourceTree(index, {
      apiVersion: hijacker.apiVersion,
      kind: hijacker.kind,
      namespace: 'team-b',
      name: 'hijack',
    });
    expect(tree?.children).toEqual([]);
  });

  it("do not make a composite the parent of another composite's managed resource", () => {
    const objects = clone(postgresTree);
    const instance = objects.find(o => o.kind === 'Instance')!;
    instance.metadata.ownerReferences = [
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: 'orders-db-x7k2p',
        uid: '0b7b1c9e-0002-4000-8000-000000000002',
        controller: true,
      },
    ];
    const thief: KubernetesObject = {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      metadata: { name: 'a-thief', uid: 'thief-uid' },
      spec: {
        resourceRefs: [
          {
            apiVersion: instance.apiVersion,
            kind: instance.kind,
            name: instance.metadata.name,
          },
        ],
      },
    };
    const index = indexResources([thief, ...objects], xrds);
    expect(index.parentOf(instance)?.metadata.name).toBe('orders-db-x7k2p');
    expect(index.childrenOf(thief)).toEqual([]);
  });
});

describe('kinds that are not followed', () => {
  it('leave a reference out instead of rolling it up as missing', () => {
    const objects = clone(postgresTree);
    const composite = objects.find(o => o.kind === 'XPostgreSQLInstance')!;
    composite.spec!.resourceRefs.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'orders-db-settings',
    });
    const ref = {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-x7k2p',
    };
    const missing = buildResourceTree(indexResources(objects, xrds), ref);
    expect(missing?.children.some(c => c.ref.kind === 'ConfigMap')).toBe(true);
    const followed = buildResourceTree(
      indexResources(objects, xrds, { follows: r => r.kind !== 'ConfigMap' }),
      ref,
    );
    expect(followed?.children.some(c => c.ref.kind === 'ConfigMap')).toBe(
      false,
    );
    expect(followed?.children.length).toBe(missing!.children.length - 1);
  });
});
