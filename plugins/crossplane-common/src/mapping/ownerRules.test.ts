import { DEFAULT_OWNER_RULES, explicitOwner, ownerOf } from './ownerRules';

const rules = DEFAULT_OWNER_RULES;
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

describe('ownerOf', () => {
  const composite = (labels: Record<string, string>) => ({
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'XPostgreSQLInstance',
    metadata: { name: 'orders-db-x7k2p', labels },
  });
  const claimed = composite({
    'crossplane.io/claim-name': 'orders-db',
    'crossplane.io/claim-namespace': 'team-a',
  });
  const options = { rules, entityNamespace: 'default' };

  it("gives a composed object its claim's owner", () => {
    expect(
      ownerOf(claimed, {
        ...options,
        claim: claim({ labels: { 'platformops.io/owner': 'team-a' } }),
      }),
    ).toBe('group:default/team-a');
    expect(
      ownerOf(claimed, {
        ...options,
        claim: claim({ labels: { 'platformops.io/owner': 'team-a' } }),
      }),
    ).toBe('group:default/team-a');
  });

  it("prefers the object's own owner, then the claim's namespace, then the default", () => {
    expect(
      ownerOf(
        composite({
          ...claimed.metadata.labels,
          'platformops.io/owner': 'team-z',
        }),
        {
          ...options,
          claim: claim({ labels: { 'platformops.io/owner': 'a' } }),
        },
      ),
    ).toBe('group:default/team-z');
    expect(
      ownerOf(claimed, {
        ...options,
        rules: { ...rules, fromNamespace: true },
      }),
    ).toBe('group:default/team-a');
    expect(ownerOf(claimed, options)).toBe(rules.defaultOwner);
    expect(
      ownerOf(claim({}), {
        ...options,
        rules: { ...rules, fromNamespace: true },
      }),
    ).toBe('group:default/team-a');
  });
});
