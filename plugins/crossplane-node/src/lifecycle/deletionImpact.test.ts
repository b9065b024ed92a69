import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { InMemoryClusterClient } from '../testUtils/InMemoryClusterClient';
import { bucketXrd } from '../testUtils/xrds';
import { resolveWriteTarget } from '../guard/writeTargets';
import {
  assertDeletionRoot,
  assertNotGitOps,
  blockingUsages,
  deleteTreeRoot,
  deletionFate,
  deletionImpactOf,
  readDeletionImpact,
  summarizeDeletionImpact,
} from './deletionImpact';

const xrd = bucketXrd;
const crd = (
  group: string,
  kind: string,
  plural: string,
  scope: string,
  categories: string[] = [],
): KubernetesObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope,
    names: { kind, plural, categories },
    versions: [{ name: group.includes('protection') ? 'v1beta1' : 'v1alpha1' }],
  },
});
const nopCrd = crd(
  'nop.crossplane.io',
  'NopResource',
  'nopresources',
  'Cluster',
  ['crossplane', 'managed'],
);
const clusterUsageCrd = crd(
  'protection.crossplane.io',
  'ClusterUsage',
  'clusterusages',
  'Cluster',
);

const claim: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Bucket',
  metadata: { name: 'logs', namespace: 'team-alpha', uid: 'claim-uid' },
  spec: {
    writeConnectionSecretToRef: { name: 'logs-conn' },
    resourceRef: {
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'XBucket',
      name: 'logs-x1',
    },
  },
};
const composite: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'XBucket',
  metadata: { name: 'logs-x1', uid: 'xr-uid' },
  spec: {
    claimRef: {
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'Bucket',
      namespace: 'team-alpha',
      name: 'logs',
    },
    writeConnectionSecretToRef: {
      name: 'xr-conn',
      namespace: 'crossplane-system',
    },
    resourceRefs: ['kept', 'gone'].map(name => ({
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      name: `logs-${name}`,
    })),
  },
};
const managed = (name: string, spec: object = {}): KubernetesObject => ({
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  metadata: {
    name,
    uid: `${name}-uid`,
    ownerReferences: [
      {
        apiVersion: composite.apiVersion,
        kind: 'XBucket',
        name: 'logs-x1',
        uid: 'xr-uid',
        controller: true,
      },
    ],
  },
  spec: { forProvider: {}, ...spec },
});
const kept = managed('logs-kept', { deletionPolicy: 'Orphan' });
const gone = managed('logs-gone');
/** A Usage as v1 has them, cluster-scoped; or namespaced, as v2's. */
const usage = (
  name: string,
  of: string,
  by?: string,
  namespace?: string,
): KubernetesObject => ({
  apiVersion: namespace
    ? 'protection.crossplane.io/v1beta1'
    : 'apiextensions.crossplane.io/v1beta1',
  kind: 'Usage',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: {
    of: {
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      resourceRef: { name: of },
    },
    ...(by
      ? {
          by: {
            apiVersion: 'nop.crossplane.io/v1alpha1',
            kind: 'NopResource',
            resourceRef: { name: by },
          },
        }
      : { reason: 'the audit trail lives here' }),
  },
});

const claimInput = {
  apiVersion: claim.apiVersion,
  kind: 'Bucket',
  namespace: 'team-alpha',
  name: 'logs',
};

describe('deletionFate', () => {
  it.each([
    ['defaults: the external resource goes', {}, 'Delete', ['*'], 'deleted'],
    [
      'deletionPolicy Orphan',
      { deletionPolicy: 'Orphan' },
      'Orphan',
      ['*'],
      'orphaned',
    ],
    [
      'managementPolicies without Delete',
      { managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'] },
      'Delete',
      ['Observe', 'Create', 'Update', 'LateInitialize'],
      'orphaned',
    ],
    [
      'observe only',
      { managementPolicies: ['Observe'] },
      'Delete',
      ['Observe'],
      'orphaned',
    ],
    [
      'non-default managementPolicies with Delete win over Orphan',
      { deletionPolicy: 'Orphan', managementPolicies: ['Observe', 'Delete'] },
      'Orphan',
      ['Observe', 'Delete'],
      'deleted',
    ],
    [
      'a v2 managed resource (no deletionPolicy) with every policy',
      { managementPolicies: ['*'] },
      'Delete',
      ['*'],
      'deleted',
    ],
  ])('%s', (_, spec, deletionPolicy, managementPolicies, fate) => {
    expect(deletionFate(managed('x', spec))).toEqual({
      deletionPolicy,
      managementPolicies,
      fate,
    });
  });
});

describe('blockingUsages', () => {
  const tree = [gone, kept].map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  }));

  it('names a Usage of an object that goes, used by nothing that goes', () => {
    expect(
      blockingUsages(
        [
          usage('protect', 'logs-gone'),
          usage('ordering', 'logs-gone', 'logs-kept'),
          usage('by-outsider', 'logs-kept', 'someone-else'),
          usage('unrelated', 'other-bucket'),
        ],
        tree,
      ).map(u => [u.usage.name, u.by?.name, u.reason]),
    ).toEqual([
      ['protect', undefined, 'the audit trail lives here'],
      ['by-outsider', 'someone-else', undefined],
    ]);
  });

  it('matches a namespaced Usage only in its own namespace', () => {
    const v2 = (namespace: string) => [{ ...tree[0], namespace }];
    const namespaced = usage('protect', 'logs-gone', undefined, 'team-alpha');
    expect(blockingUsages([namespaced], v2('team-beta'))).toEqual([]);
    expect(blockingUsages([namespaced], v2('team-alpha'))).toHaveLength(1);
  });
});

describe('deletionImpactOf', () => {
  it('is not deleting, and holds nothing, before the delete', () => {
    const impact = deletionImpactOf({
      cluster: 'east',
      target: { object: claim, objectClass: 'claim' },
      composed: [{ object: gone, objectClass: 'managed' }],
      usages: [],
    });
    expect(impact.deleting).toBe(false);
    expect(impact.heldBy).toBeUndefined();
    expect(impact.dependents).toEqual([]);
  });

  it('says what holds a deletion: finalizers of what is left, blocking Usages', () => {
    const deleting = (o: KubernetesObject, finalizers: string[]) => ({
      ...o,
      metadata: {
        ...o.metadata,
        deletionTimestamp: '2026-12-05T10:00:00Z',
        finalizers,
      },
    });
    const impact = deletionImpactOf({
      cluster: 'east',
      target: {
        object: deleting(claim, ['finalizer.apiextensions.crossplane.io']),
        objectClass: 'claim',
      },
      composed: [
        {
          object: deleting(gone, ['finalizer.managedresource.crossplane.io']),
          objectClass: 'managed',
        },
      ],
      usages: [usage('protect', 'logs-gone')],
    });
    expect(impact.deleting).toBe(true);
    expect(impact.items[1]).toMatchObject({
      deletionTimestamp: '2026-12-05T10:00:00Z',
      finalizers: ['finalizer.managedresource.crossplane.io'],
    });
    expect(impact.heldBy).toEqual([
      'Bucket team-alpha/logs: finalizer finalizer.apiextensions.crossplane.io',
      'NopResource logs-gone: finalizer finalizer.managedresource.crossplane.io',
      'Usage protect: NopResource logs-gone is in use (the audit trail lives here)',
    ]);
  });

  it('reports GitOps delivery', () => {
    const delivered = {
      ...claim,
      metadata: {
        ...claim.metadata,
        annotations: { 'argocd.argoproj.io/tracking-id': 'payments:x/y:z/w' },
      },
    };
    expect(
      deletionImpactOf({
        cluster: 'east',
        target: { object: delivered, objectClass: 'claim' },
        composed: [],
        usages: [],
      }).gitOps,
    ).toMatchObject({ tool: 'argocd' });
  });
});

describe('readDeletionImpact', () => {
  const cluster = (...extra: KubernetesObject[]) =>
    new InMemoryClusterClient('east', [
      xrd,
      nopCrd,
      claim,
      composite,
      kept,
      gone,
      ...extra,
    ]);

  it('lists the tree, fates, Secrets and Usages from the cluster', async () => {
    const client = cluster(clusterUsageCrd, {
      ...usage('protect', 'logs-gone'),
      apiVersion: 'protection.crossplane.io/v1beta1',
      kind: 'ClusterUsage',
    });
    const target = await resolveWriteTarget(client, claimInput);
    const impact = await readDeletionImpact(client, target, claim, {
      dependents: ['component:default/logs-reader'],
    });
    expect(impact.object).toEqual({ cluster: 'east', ...claimInput });
    expect(
      impact.items.map(i => [
        i.object.kind,
        i.object.name,
        i.objectClass,
        i.fate,
      ]),
    ).toEqual([
      ['Bucket', 'logs', 'claim', undefined],
      ['XBucket', 'logs-x1', 'composite', undefined],
      ['NopResource', 'logs-kept', 'managed', 'orphaned'],
      ['NopResource', 'logs-gone', 'managed', 'deleted'],
    ]);
    expect(impact.connectionSecrets).toEqual([
      { namespace: 'team-alpha', name: 'logs-conn' },
      { namespace: 'crossplane-system', name: 'xr-conn' },
    ]);
    expect(impact.usages).toEqual([
      {
        usage: {
          apiVersion: 'protection.crossplane.io/v1beta1',
          kind: 'ClusterUsage',
          name: 'protect',
        },
        of: {
          apiVersion: 'nop.crossplane.io/v1alpha1',
          kind: 'NopResource',
          name: 'logs-gone',
        },
        reason: 'the audit trail lives here',
      },
    ]);
    expect(impact.dependents).toEqual(['component:default/logs-reader']);
    expect(summarizeDeletionImpact(impact)).toEqual([
      'Deleting Bucket team-alpha/logs removes 4 object(s)',
      'External resources deleted: NopResource logs-gone',
      'External resources kept (orphaned): NopResource logs-kept',
      'Connection Secrets removed: team-alpha/logs-conn, crossplane-system/xr-conn',
      'Blocked by: ClusterUsage protect: NopResource logs-gone is in use (the audit trail lives here)',
      'Catalog entities depending on it: component:default/logs-reader',
    ]);
  });

  it('finds no Usages where the cluster serves none', async () => {
    const client = cluster();
    const target = await resolveWriteTarget(client, claimInput);
    expect((await readDeletionImpact(client, target, claim)).usages).toEqual(
      [],
    );
  });
});

describe('deletion guards', () => {
  it('refuses a composite bound to a claim, naming the claim', async () => {
    const client = new InMemoryClusterClient('east', [xrd, composite]);
    const target = await resolveWriteTarget(
      client,
      { apiVersion: composite.apiVersion, kind: 'XBucket', name: 'logs-x1' },
      { writable: { composites: true, managedResources: false, kinds: [] } },
    );
    expect(() => assertDeletionRoot(target, composite)).toThrow(
      'name: XBucket.storage.example.org logs-x1 in cluster east belongs to the claim Bucket team-alpha/logs: delete the claim instead',
    );
  });

  it('refuses a composed managed resource, naming its composite', async () => {
    const client = new InMemoryClusterClient('east', [nopCrd, gone]);
    const target = await resolveWriteTarget(
      client,
      { apiVersion: gone.apiVersion, kind: 'NopResource', name: 'logs-gone' },
      { writable: { composites: false, managedResources: true, kinds: [] } },
    );
    expect(() => assertDeletionRoot(target, gone)).toThrow(
      'is composed by XBucket logs-x1: delete its claim or composite resource instead',
    );
  });

  it('accepts a claim, and refuses one Git delivers, naming the tool', async () => {
    const client = new InMemoryClusterClient('east', [xrd, claim]);
    const target = await resolveWriteTarget(client, claimInput);
    expect(() => assertDeletionRoot(target, claim)).not.toThrow();
    expect(() => assertNotGitOps(target, claim)).not.toThrow();
    const delivered = {
      ...claim,
      metadata: {
        ...claim.metadata,
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
    };
    expect(() => assertNotGitOps(target, delivered)).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringContaining(
          'is delivered by Flux Kustomization flux-system/apps (flux)',
        ),
      }),
    );
  });

  it('a dry run deletes nothing', async () => {
    const client = new InMemoryClusterClient('east', [xrd, claim]);
    expect(await deleteTreeRoot(client, claimInput, { dryRun: true })).toBe(
      true,
    );
    expect(await client.get(claimInput)).toBeDefined();
    expect(client.requests).toContain(
      'delete Bucket team-alpha/logs (dry run)',
    );
  });
});
