import {
  getAnnotatedHealth,
  getCrossplaneObjectLocator,
  isCrossplaneAvailable,
} from './conditions';
import { claimEntity } from './__testUtils__/testing';

describe('entity annotations', () => {
  it('builds the object reference from the first five annotations', () => {
    expect(isCrossplaneAvailable(claimEntity)).toBe(true);
    expect(getCrossplaneObjectLocator(claimEntity)).toEqual({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
  });

  it('leaves the namespace out for cluster-scoped objects', () => {
    const annotations = { ...claimEntity.metadata.annotations };
    delete annotations['platformops.io/namespace'];
    const entity = {
      ...claimEntity,
      metadata: { ...claimEntity.metadata, annotations },
    };
    expect(getCrossplaneObjectLocator(entity)).not.toHaveProperty('namespace');
  });

  it('has no reference without the kind', () => {
    const entity = {
      ...claimEntity,
      metadata: {
        name: 'x',
        annotations: { 'platformops.io/cluster': 'east' },
      },
    };
    expect(isCrossplaneAvailable(entity)).toBe(true);
    expect(getCrossplaneObjectLocator(entity)).toBeUndefined();
  });

  it('reads the health recorded at ingestion', () => {
    expect(getAnnotatedHealth(claimEntity)).toEqual({ status: 'Degraded' });
  });
});
