import { CrossplanePermissionSubject } from '@platformops/plugin-crossplane-common';
import { crossplaneObjectRules } from './permissionRules';

const claim: CrossplanePermissionSubject = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
  governingNamespace: 'team-alpha',
  owner: 'group:default/team-alpha',
};

/** A cluster-scoped composite of team-beta's claim. */
const composite: CrossplanePermissionSubject = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  name: 'billing-db-def34',
  governingNamespace: 'team-beta',
  owner: 'group:default/team-beta',
};

describe('permission rules on Crossplane objects', () => {
  it('decide on kind and cluster', () => {
    const { isKind, isInCluster } = crossplaneObjectRules;
    expect(isKind.apply(claim, { kinds: ['PostgreSQLInstance'] })).toBe(true);
    expect(isKind.apply(claim, { kinds: ['NopResource'] })).toBe(false);
    expect(isInCluster.apply(claim, { clusters: ['west'] })).toBe(false);
    expect(isInCluster.apply(claim, { clusters: ['east'] })).toBe(true);
  });

  it('judge a cluster-scoped object by the namespace of the claim that owns it', () => {
    const { isInNamespace } = crossplaneObjectRules;
    expect(isInNamespace.apply(claim, { namespaces: ['team-alpha'] })).toBe(
      true,
    );
    expect(isInNamespace.apply(composite, { namespaces: ['team-beta'] })).toBe(
      true,
    );
    expect(isInNamespace.apply(composite, { namespaces: ['team-alpha'] })).toBe(
      false,
    );
    expect(
      isInNamespace.apply(
        { ...composite, governingNamespace: undefined },
        { namespaces: ['team-alpha', 'team-beta'] },
      ),
    ).toBe(false);
  });

  it('judge ownership by the owner of the root of the tree', () => {
    const { isOwnedBy } = crossplaneObjectRules;
    expect(
      isOwnedBy.apply(composite, { owners: ['group:default/team-beta'] }),
    ).toBe(true);
    expect(
      isOwnedBy.apply(composite, { owners: ['group:default/team-alpha'] }),
    ).toBe(false);
    expect(
      isOwnedBy.apply(
        { ...claim, owner: undefined },
        { owners: ['group:default/team-alpha'] },
      ),
    ).toBe(false);
  });
});
