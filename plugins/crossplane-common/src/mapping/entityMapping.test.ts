import { classifyObject, indexXrdKinds } from '../model/classify';
import { objectRefKey, refOf } from '../model/objectRef';
import type { KubernetesObject } from '../model/types';
import {
  DEFAULT_ENTITY_MAPPING,
  dependsOnOf,
  entityOf,
  entityOwnerOf,
  entityRefOf,
  EntityMappingContext,
  entitySystemOf,
} from './entityMapping';
import { parseLabelSelector } from './labelSelector';

function managed(group: string, name: string): KubernetesObject {
  return {
    apiVersion: `${group}/v1beta1`,
    kind: 'Bucket',
    metadata: {
      name,
      labels: {
        'crossplane.io/claim-name': 'orders',
        'crossplane.io/claim-namespace': 'team-a',
      },
    },
    spec: { providerConfigRef: { name: 'default' } },
  };
}

const aws = managed('s3.aws.upbound.io', 'shared-bucket');
const gcp = managed('storage.gcp.upbound.io', 'shared-bucket');
const composite: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'XStore',
  metadata: { name: 'orders-x7k2p', labels: aws.metadata.labels },
  spec: {
    resourceRefs: [
      {
        apiVersion: 'storage.gcp.upbound.io/v1beta1',
        kind: 'Bucket',
        name: 'shared-bucket',
      },
    ],
  },
};
const claim: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Store',
  metadata: {
    name: 'orders',
    namespace: 'team-a',
    labels: { 'platformops.io/owner': 'team-a' },
  },
};

function contextOf(
  objects: KubernetesObject[],
  config = DEFAULT_ENTITY_MAPPING,
): EntityMappingContext {
  const byKey = new Map(objects.map(o => [objectRefKey(refOf(o)), o]));
  const kinds = indexXrdKinds([
    {
      name: 'xstores.storage.example.org',
      group: 'storage.example.org',
      names: { kind: 'XStore', plural: 'xstores' },
      claimNames: { kind: 'Store', plural: 'stores' },
    } as any,
  ]);
  return {
    cluster: 'east',
    config,
    classOf: o => classifyObject(o, kinds),
    find: ref => byKey.get(objectRefKey(ref)),
    findClaim: (name, namespace) =>
      name === 'orders' && namespace === 'team-a' ? claim : undefined,
  };
}

describe('entity mapping', () => {
  it('gives the same kind and name in two groups two entities', () => {
    const a = entityOf(aws, 'managed', 'east', DEFAULT_ENTITY_MAPPING)!;
    const g = entityOf(gcp, 'managed', 'east', DEFAULT_ENTITY_MAPPING)!;
    expect(a.kind).toBe('Resource');
    expect(a.type).toBe('crossplane-managed');
    expect(a.ref).toBe(`resource:default/${a.name}`);
    expect(a.ref).not.toBe(g.ref);
  });

  it('relates a composite to the composed object of the right group', () => {
    const context = contextOf([aws, gcp, composite, claim]);
    expect(dependsOnOf(composite, 'composite', context)).toEqual([
      entityRefOf(gcp, 'managed', 'east', DEFAULT_ENTITY_MAPPING),
    ]);
  });

  it("gives composed objects their claim's owner", () => {
    const context = contextOf([aws, composite, claim]);
    expect(entityOwnerOf(aws, context)).toBe('group:default/team-a');
    expect(entityOwnerOf(composite, context)).toBe('group:default/team-a');
  });

  it('has no entity for what the filters leave out, so nothing links to it', () => {
    const config = {
      ...DEFAULT_ENTITY_MAPPING,
      namespaces: ['team-b'],
      labelSelector: parseLabelSelector('platformops.io/owner'),
    };
    expect(entityRefOf(claim, 'claim', 'east', config)).toBeUndefined();
    expect(
      entityRefOf(claim, 'claim', 'east', { ...config, namespaces: undefined }),
    ).toBeDefined();
    expect(entityRefOf(composite, 'composite', 'east', config)).toBeUndefined();
    expect(
      entityRefOf(aws, 'managed', 'east', {
        ...DEFAULT_ENTITY_MAPPING,
        managedResources: false,
      }),
    ).toBeUndefined();
    expect(
      dependsOnOf(
        composite,
        'composite',
        contextOf([gcp, composite], {
          ...DEFAULT_ENTITY_MAPPING,
          managedResources: false,
        }),
      ),
    ).toEqual([]);
  });

  it('never ingests a Secret', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'team-a' },
    };
    expect(
      entityRefOf(secret, 'other', 'east', DEFAULT_ENTITY_MAPPING),
    ).toBeUndefined();
  });

  it('puts an object in the System it or its claim names', () => {
    const system = (annotations: Record<string, string>) => ({
      ...claim,
      metadata: { ...claim.metadata, annotations },
    });
    const named = system({ 'platformops.io/system': 'payments' });
    const context = (c: KubernetesObject) => ({
      ...contextOf([aws, composite, c]),
      findClaim: () => c,
    });
    expect(entitySystemOf(named, context(named))).toBe(
      'system:default/payments',
    );
    expect(entitySystemOf(aws, context(named))).toBe('system:default/payments');
    expect(
      entitySystemOf(
        system({ 'platformops.io/system': 'system:shop/orders' }),
        context(named),
      ),
    ).toBe('system:shop/orders');
    // Not a system, or malformed: none, and the object is still ingested.
    for (const value of ['group:default/team-a', 'not a name!']) {
      const odd = system({ 'platformops.io/system': value });
      expect(entitySystemOf(odd, context(odd))).toBeUndefined();
    }
    expect(entitySystemOf(claim, context(claim))).toBeUndefined();
  });
});
