import { ConfigReader } from '@backstage/config';
import { isNamespaceWritable } from '@platformops/plugin-crossplane-common';
import { readNamespacePolicy } from './readNamespacePolicy';

describe('readNamespacePolicy', () => {
  it('denies the default namespaces without configuration', () => {
    const policy = readNamespacePolicy(new ConfigReader({}));
    expect(isNamespaceWritable('kube-system', policy)).toBe(false);
    expect(isNamespaceWritable('team-a', policy)).toBe(true);
  });

  it('reads crossplane.namespaces', () => {
    const policy = readNamespacePolicy(
      new ConfigReader({
        crossplane: { namespaces: { allow: ['team-*'], deny: ['team-x'] } },
      }),
    );
    expect(policy).toEqual({ allow: ['team-*'], deny: ['team-x'] });
  });

  it('names the config key of a pattern that is not one', () => {
    expect(() =>
      readNamespacePolicy(
        new ConfigReader({ crossplane: { namespaces: { deny: ['Kube*'] } } }),
      ),
    ).toThrow(
      /^crossplane\.namespaces\.deny\[0\]: must be a namespace or a prefix ending in '\*'/,
    );
    expect(() =>
      readNamespacePolicy(
        new ConfigReader({ crossplane: { namespaces: { allow: 'team-a' } } }),
      ),
    ).toThrow(/crossplane\.namespaces\.allow/);
  });
});
