import { Entity } from '@backstage/catalog-model';
import {
  inIngestionOrder,
  ingestionStages,
  withoutDependencies,
} from './ingestionOrder';

const entity = (name: string, type?: string): { entity: Entity } => ({
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: type ? { type } : {},
  },
});

describe('inIngestionOrder', () => {
  it('puts the cluster and claims first and managed resources last, keeping the order within each', () => {
    const ordered = inIngestionOrder([
      entity('mr-1', 'crossplane-managed'),
      entity('xr-1', 'crossplane-xr'),
      entity('deploy', 'kubernetes-workload'),
      entity('claim-1', 'crossplane-claim'),
      entity('mr-2', 'crossplane-managed'),
      entity('claim-2', 'crossplane-claim'),
      entity('xrd', 'crossplane-xrd'),
      entity('untyped'),
      entity('cluster', 'kubernetes-cluster'),
    ]);
    expect(ordered.map(e => e.entity.metadata.name)).toEqual([
      'cluster',
      'claim-1',
      'claim-2',
      'xr-1',
      'xrd',
      'deploy',
      'untyped',
      'mr-1',
      'mr-2',
    ]);
  });

  it('splits a first write into the cluster, claims and XRs without a claim, then the rest', () => {
    const claim = entity('claim', 'crossplane-claim');
    claim.entity.spec!.dependsOn = ['component:default/xr'];
    const stages = ingestionStages(
      inIngestionOrder([
        entity('mr', 'crossplane-managed'),
        claim,
        entity('xr', 'crossplane-xr'),
        entity('v2-xr', 'crossplane-xr'),
        entity('cluster', 'kubernetes-cluster'),
      ]),
    );
    expect(stages.map(s => s.map(e => e.entity.metadata.name))).toEqual([
      ['cluster', 'claim', 'v2-xr'],
      ['xr', 'mr'],
    ]);
    expect(ingestionStages([entity('mr', 'crossplane-managed')])).toEqual([
      [],
      [entity('mr', 'crossplane-managed')],
    ]);
  });
});

describe('withoutDependencies', () => {
  it('leaves out dependsOn and keeps the rest, without changing the entity given', () => {
    const claim = {
      locationKey: 'crossplane:cluster/east',
      entity: {
        ...entity('claim-1', 'crossplane-claim').entity,
        spec: {
          type: 'crossplane-claim',
          owner: 'group:default/team-a',
          dependsOn: ['component:default/claim-1-x'],
        },
      },
    };
    const lean = withoutDependencies(claim);
    expect(lean.entity.spec).toEqual({
      type: 'crossplane-claim',
      owner: 'group:default/team-a',
    });
    expect(lean.locationKey).toBe('crossplane:cluster/east');
    expect(claim.entity.spec.dependsOn).toEqual([
      'component:default/claim-1-x',
    ]);
    const cluster = entity('cluster', 'kubernetes-cluster');
    expect(withoutDependencies(cluster)).toBe(cluster);
  });
});
