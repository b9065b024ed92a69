import { isPermission } from '@backstage/plugin-permission-common';
import {
  crossplaneResourceRef,
  parseCrossplaneResourceRef,
  crossplaneReadPermission,
  crossplaneCreatePermission,
  crossplanePermissions,
} from './permissions';

describe('crossplane permissions', () => {
  it('defines each permission once under a unique name', () => {
    const names = crossplanePermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(n => n.startsWith('crossplane.'))).toBe(true);
  });

  it('marks creation as a create action', () => {
    expect(
      isPermission(crossplaneCreatePermission, crossplaneCreatePermission),
    ).toBe(true);
    expect(crossplaneCreatePermission.attributes.action).toBe('create');
  });

  it('defines pause and reconcile as resource permissions on the objects', () => {
    const names = crossplanePermissions
      .filter(p => p.type === 'resource')
      .map(p => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'crossplane.resource.pause',
        'crossplane.resource.reconcile',
      ]),
    );
  });
});

describe('crossplane resource refs', () => {
  it('round-trips namespaced and cluster-scoped objects', () => {
    const claim = {
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'db',
    };
    expect(crossplaneResourceRef(claim)).toBe(
      'east:database.example.org/v1alpha1/PostgreSQLInstance/team-a/db',
    );
    expect(parseCrossplaneResourceRef(crossplaneResourceRef(claim))).toEqual({
      cluster: 'east',
      group: 'database.example.org',
      version: 'v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'db',
    });
    const namespace = {
      cluster: 'east',
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'team-a',
    };
    expect(
      parseCrossplaneResourceRef(crossplaneResourceRef(namespace)),
    ).toEqual({
      cluster: 'east',
      group: '',
      version: 'v1',
      kind: 'Namespace',
      name: 'team-a',
    });
    expect(parseCrossplaneResourceRef('not-a-ref')).toBeUndefined();
  });

  it('refuses refs whose parts are not exact Kubernetes names', () => {
    for (const ref of [
      'east:database.example.org/v1alpha1/PostgreSQLInstance/TEAM-A/db',
      'east:database.example.org/v1alpha1/PostgreSQLInstance/team-a/DB',
      'east:database.example.org/v1alpha1/postgresqlinstance/team-a/db',
      'east:../v1/Secret/team-a/db',
      'east: /Secret/team-a/db',
      'east:__proto__/Secret/team-a/db',
    ]) {
      expect(parseCrossplaneResourceRef(ref)).toBeUndefined();
    }
  });

  it('makes reads resource permissions, so policies can decide per object', () => {
    expect(crossplaneReadPermission.type).toBe('resource');
  });
});
