import { isPermission } from '@backstage/plugin-permission-common';
import {
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
});
