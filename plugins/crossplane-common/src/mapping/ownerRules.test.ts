import { ConfigReader } from '@backstage/config';
import { explicitOwner, readOwnerRules } from './ownerRules';

const rules = readOwnerRules(new ConfigReader({}));
const claim = (metadata: object) => ({
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-a', ...metadata },
});

describe('explicitOwner', () => {
  it('reads an owner ref from the annotation, normalised', () => {
    expect(
      explicitOwner(
        claim({ annotations: { 'platformops.io/owner': 'group:team-a' } }),
        rules,
        'default',
      ),
    ).toBe('group:default/team-a');
  });

  it('reads a group or a dotted ref from the label', () => {
    expect(
      explicitOwner(
        claim({ labels: { 'platformops.io/owner': 'team-a' } }),
        rules,
        'default',
      ),
    ).toBe('group:default/team-a');
    expect(
      explicitOwner(
        claim({ labels: { 'platformops.io/owner': 'user.default.alice' } }),
        rules,
        'default',
      ),
    ).toBe('user:default/alice');
  });

  it.each([':', 'not a ref !!', 'group:default/a\nb', 'x'.repeat(100_000)])(
    'ignores a malformed owner %j, falling back to the label',
    value => {
      expect(
        explicitOwner(
          claim({
            annotations: { 'platformops.io/owner': value },
            labels: { 'platformops.io/owner': 'team-b' },
          }),
          rules,
          'default',
        ),
      ).toBe('group:default/team-b');
      expect(
        explicitOwner(
          claim({ annotations: { 'platformops.io/owner': value } }),
          rules,
          'default',
        ),
      ).toBeUndefined();
    },
  );
});
