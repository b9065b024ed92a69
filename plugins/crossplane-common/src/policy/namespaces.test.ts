import { CrossplaneModelError } from '../model/errors';
import {
  DEFAULT_NAMESPACE_POLICY,
  createNamespacePolicy,
  isNamespaceWritable,
  namespaceWriteProblem,
} from './namespaces';

describe('namespace policy', () => {
  it.each([
    ['kube-system', false],
    ['kube-node-lease', false],
    ['crossplane-system', false],
    ['default', false],
    ['kubernetes', true],
    ['team-a', true],
    ['crossplane-system-2', true],
  ])('by default, %s writable: %s', (namespace, writable) => {
    expect(isNamespaceWritable(namespace)).toBe(writable);
    expect(isNamespaceWritable(namespace, DEFAULT_NAMESPACE_POLICY)).toBe(
      writable,
    );
  });

  it('takes allow and deny patterns, deny first', () => {
    const policy = createNamespacePolicy({
      allow: ['team-*', 'sandbox'],
      deny: ['team-admin*'],
    });
    expect(isNamespaceWritable('team-a', policy)).toBe(true);
    expect(isNamespaceWritable('sandbox', policy)).toBe(true);
    expect(isNamespaceWritable('sandbox-2', policy)).toBe(false);
    expect(namespaceWriteProblem('team-admins', policy)).toBe(
      `"team-admins" may not receive resources from the portal: it matches "team-admin*" of the namespace policy's deny list`,
    );
    expect(namespaceWriteProblem('apps', policy)).toBe(
      `"apps" may not receive resources from the portal: it matches nothing in the namespace policy's allow list ("team-*", "sandbox")`,
    );
    // A configured deny list replaces the default one.
    expect(isNamespaceWritable('kube-system', policy)).toBe(false);
    expect(
      isNamespaceWritable('default', createNamespacePolicy({ deny: [] })),
    ).toBe(true);
  });

  it('keeps the default deny list when only allow is configured', () => {
    const policy = createNamespacePolicy({ allow: ['*'] });
    expect(isNamespaceWritable('team-a', policy)).toBe(true);
    expect(isNamespaceWritable('kube-system', policy)).toBe(false);
  });

  it('allows nothing with an empty allow list', () => {
    expect(
      namespaceWriteProblem('team-a', createNamespacePolicy({ allow: [] })),
    ).toContain('allow list (empty)');
  });

  it.each([
    [{ deny: ['kube-*', 'Team'] }, 'deny[1]'],
    [{ deny: ['*-system'] }, 'deny[0]'],
    [{ allow: ['team_a'] }, 'allow[0]'],
    [{ allow: 'team-a' as unknown as string[] }, 'allow'],
  ])('refuses pattern lists like %j, naming the entry', (options, field) => {
    let error: unknown;
    try {
      createNamespacePolicy(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CrossplaneModelError);
    expect((error as CrossplaneModelError).field).toBe(field);
  });
});
