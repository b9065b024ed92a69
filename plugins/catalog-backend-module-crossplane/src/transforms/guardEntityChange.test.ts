import { Entity } from '@backstage/catalog-model';
import { guardEntityChange } from './guardEntityChange';

const mapped = (): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-db.postgresqlinstance.database-1a2b3c.team-alpha.east',
    namespace: 'default',
    title: 'payments-db',
    labels: { 'platformops.io/health': 'healthy' },
    annotations: {
      'backstage.io/managed-by-location': 'crossplane:east',
      'platformops.io/cluster': 'east',
      'platformops.io/name': 'payments-db',
    },
    tags: ['crossplane', 'claim'],
  },
  spec: {
    type: 'crossplane-claim',
    lifecycle: 'production',
    owner: 'group:default/team-alpha',
  },
});

describe('guardEntityChange', () => {
  it('takes the owner, system, lifecycle, descriptive metadata, labels, links and new annotations', () => {
    const after = mapped();
    after.spec!.owner = 'group:default/payments';
    after.spec!.system = 'payments';
    after.spec!.lifecycle = 'experimental';
    after.metadata.title = 'Payments database';
    after.metadata.description = 'The ledger';
    after.metadata.tags = ['crossplane', 'claim', 'pci'];
    after.metadata.labels!.tier = 'gold';
    after.metadata.annotations!['pagerduty.com/service-id'] = 'P123';
    after.metadata.links = [{ url: 'https://runbooks.example.com/payments' }];

    const { entity, refused } = guardEntityChange(mapped(), after);

    expect(refused).toEqual([]);
    expect(entity).toEqual(after);
  });

  it('takes an owner written as a bare group name and the removal of the system', () => {
    const before = mapped();
    before.spec!.system = 'payments';
    const after = structuredClone(before);
    after.spec!.owner = 'team-delta';
    delete after.spec!.system;

    const { entity, refused } = guardEntityChange(before, after);

    expect(refused).toEqual([]);
    expect(entity.spec).toEqual({
      type: 'crossplane-claim',
      lifecycle: 'production',
      owner: 'team-delta',
    });
  });

  it("refuses a change of the entity's identity and keeps the rest", () => {
    const after = mapped() as any;
    after.kind = 'Resource';
    after.metadata.name = 'payments';
    after.metadata.namespace = 'finance';
    after.spec.owner = 'group:default/payments';

    const { entity, refused } = guardEntityChange(mapped(), after);

    expect(refused.sort()).toEqual([
      'kind',
      'metadata.name',
      'metadata.namespace',
    ]);
    expect(entity.kind).toBe('Component');
    expect(entity.metadata.name).toBe(mapped().metadata.name);
    expect(entity.metadata.namespace).toBe('default');
    expect(entity.spec!.owner).toBe('group:default/payments');
  });

  it("refuses changes of the suite's own labels and annotations, and new ones of its prefixes", () => {
    const after = mapped();
    after.metadata.labels!['platformops.io/health'] = 'failed';
    after.metadata.annotations!['platformops.io/cluster'] = 'west';
    delete after.metadata.annotations!['platformops.io/name'];
    after.metadata.annotations!['platformops.io/namespace'] = 'team-beta';
    after.metadata.annotations!['crossplane.io/claim-name'] = 'other';
    after.metadata.annotations!['backstage.io/managed-by-location'] =
      'url:https://example.com';

    const { entity, refused } = guardEntityChange(mapped(), after);

    expect(refused.sort()).toEqual([
      'metadata.annotations.backstage.io/managed-by-location',
      'metadata.annotations.crossplane.io/claim-name',
      'metadata.annotations.platformops.io/cluster',
      'metadata.annotations.platformops.io/name',
      'metadata.annotations.platformops.io/namespace',
      'metadata.labels.platformops.io/health',
    ]);
    expect(entity.metadata.labels).toEqual(mapped().metadata.labels);
    expect(entity.metadata.annotations).toEqual(mapped().metadata.annotations);
  });

  it('refuses fields it may not set and values the catalog would reject', () => {
    const after = mapped() as any;
    after.spec.type = 'service';
    after.spec.dependsOn = ['resource:default/x'];
    after.spec.owner = 'group:default/';
    after.spec.lifecycle = '';
    after.metadata.tags = ['Not A Tag'];
    after.metadata.labels['bad label'] = 'x';
    after.metadata.uid = 'abc';
    after.metadata.constructor = 'x';
    after.spec.toString = 'x';
    after.relations = [];

    const { entity, refused } = guardEntityChange(mapped(), after);

    expect(refused.sort()).toEqual([
      'metadata.constructor',
      'metadata.labels.bad label',
      'metadata.tags',
      'metadata.uid',
      'relations',
      'spec.dependsOn',
      'spec.lifecycle',
      'spec.owner',
      'spec.toString',
      'spec.type',
    ]);
    expect(entity).toEqual(mapped());
  });

  it('keeps the entity when the answer is no entity at all', () => {
    expect(guardEntityChange(mapped(), 'payments')).toEqual({
      entity: mapped(),
      refused: ['entity'],
    });
    expect(guardEntityChange(mapped(), { kind: 'Component' }).refused).toEqual([
      'entity',
    ]);
  });
});
