import { crossplaneResourceRef } from '@platformops/plugin-crossplane-common';
import { crossplaneObjectRules, getCrossplaneObjects } from './permissionRules';

const claim = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
};

describe('permission rules on Crossplane objects', () => {
  it('decide on kind, cluster and namespace', () => {
    const { isKind, isInCluster, isInNamespace } = crossplaneObjectRules;
    expect(isKind.apply(claim, { kinds: ['PostgreSQLInstance'] })).toBe(true);
    expect(isKind.apply(claim, { kinds: ['NopResource'] })).toBe(false);
    expect(isInCluster.apply(claim, { clusters: ['west'] })).toBe(false);
    expect(isInNamespace.apply(claim, { namespaces: ['team-alpha'] })).toBe(
      true,
    );
    expect(
      isInNamespace.apply(
        { ...claim, namespace: undefined },
        { namespaces: ['team-alpha'] },
      ),
    ).toBe(false);
  });

  it('read the object from its resource ref, and nothing from a foreign ref', async () => {
    expect(
      await getCrossplaneObjects([
        crossplaneResourceRef(claim),
        'component:default/x',
      ]),
    ).toEqual([claim, undefined]);
  });
});
