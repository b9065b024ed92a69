import { objectRefToString, parseObjectRef, sameObjectRef } from '.';

describe('object references', () => {
  it('round-trips', () => {
    const refs = [
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        namespace: 'team-a',
        name: 'orders-db',
      },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'a', name: 'b' },
      { kind: 'XNetwork', name: 'net' },
      { apiVersion: 'net.example.org/v1alpha1', kind: 'XNetwork', name: 'net' },
    ];
    for (const ref of refs) {
      const text = objectRefToString(ref);
      expect(parseObjectRef(text)).toEqual(ref);
    }
    expect(objectRefToString(refs[0])).toBe(
      'database.example.org/v1alpha1:PostgreSQLInstance:team-a/orders-db',
    );
  });

  it('rejects malformed strings with a typed error', () => {
    for (const bad of [
      '',
      'x',
      'a:b:c:d',
      'K:/n',
      'K:ns/',
      ':K:n',
      'K:a/b/c',
    ]) {
      expect(() => parseObjectRef(bad)).toThrow(
        expect.objectContaining({ name: 'CrossplaneModelError' }),
      );
    }
  });

  it('matches references across versions of a group', () => {
    expect(
      sameObjectRef(
        { apiVersion: 'a.io/v1', kind: 'K', name: 'n' },
        { apiVersion: 'a.io/v2', kind: 'K', name: 'n' },
      ),
    ).toBe(true);
    expect(
      sameObjectRef(
        { apiVersion: 'a.io/v1', kind: 'K', name: 'n' },
        { apiVersion: 'b.io/v1', kind: 'K', name: 'n' },
      ),
    ).toBe(false);
  });
});
