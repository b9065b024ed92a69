import fc from 'fast-check';
import { CrossplaneModelError } from './errors';
import {
  objectRefKey,
  objectRefToString,
  parseObjectRef,
  refOf,
  sameObjectRef,
} from './objectRef';

describe('object references', () => {
  it('prints and parses references', () => {
    const ref = {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'db',
    };
    expect(objectRefToString(ref)).toBe(
      'database.example.org/v1alpha1:PostgreSQLInstance:team-a/db',
    );
    expect(
      parseObjectRef(
        'database.example.org/v1alpha1:PostgreSQLInstance:team-a/db',
      ),
    ).toEqual(ref);
    expect(parseObjectRef('v1:Secret:ns/s')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'ns',
      name: 's',
    });
    expect(parseObjectRef('XNetwork:net')).toEqual({
      kind: 'XNetwork',
      name: 'net',
    });
  });

  it.each(['', 'x', 'a:b:c:d', 'a::b', 'v1:Secret:/x', 'v1:Secret:a/b/c'])(
    'rejects %p',
    value => {
      expect(() => parseObjectRef(value)).toThrow(CrossplaneModelError);
    },
  );

  it('round-trips any reference', () => {
    const segment = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.record(
          {
            apiVersion: fc.oneof(
              fc.constant('v1'),
              fc.tuple(segment, segment).map(([g, v]) => `${g}/${v}`),
            ),
            kind: fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,20}$/),
            namespace: segment,
            name: segment,
          },
          { requiredKeys: ['kind', 'name'] },
        ),
        ref => {
          expect(parseObjectRef(objectRefToString(ref))).toEqual(ref);
        },
      ),
    );
  });

  it('matches references by group, not version', () => {
    const a = {
      apiVersion: 'net.example.org/v1alpha1',
      kind: 'XNetwork',
      name: 'n',
    };
    const b = {
      apiVersion: 'net.example.org/v1beta1',
      kind: 'XNetwork',
      name: 'n',
    };
    expect(sameObjectRef(a, b)).toBe(true);
    expect(objectRefKey(a)).toBe('net.example.org|XNetwork||n');
    expect(sameObjectRef(a, { ...b, namespace: 'x' })).toBe(false);
    expect(
      refOf({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n' },
      }),
    ).toEqual({ apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'n' });
  });
});
