import { ConfigReader } from '@backstage/config';
import { GitOpsRepositories } from './GitOpsRepositories';

function repositories(list?: string[]) {
  return GitOpsRepositories.fromConfig(
    new ConfigReader(
      list ? { crossplane: { gitops: { repositories: list } } } : {},
    ),
  );
}

describe('GitOpsRepositories', () => {
  it('allows the listed repositories only', () => {
    const allowed = repositories([
      'github.com/acme/infra',
      'https://127.0.0.1:3310/team/*',
    ]);
    const repo = (host: string, owner: string, name: string) => ({
      host,
      owner,
      repo: name,
    });
    expect(allowed.allows(repo('github.com', 'acme', 'infra'))).toBe(true);
    expect(allowed.allows(repo('GitHub.com', 'ACME', 'Infra'))).toBe(true);
    expect(allowed.allows(repo('github.com', 'acme', 'other'))).toBe(false);
    expect(allowed.allows(repo('github.com', 'evil', 'infra'))).toBe(false);
    expect(allowed.allows(repo('127.0.0.1:3310', 'team', 'any'))).toBe(true);
    expect(allowed.allows(repo('127.0.0.1:3311', 'team', 'any'))).toBe(false);
    expect(allowed.refusal(repo('github.com', 'evil', 'infra'))).toBe(
      'github.com/evil/infra is not among the repositories the portal opens pull requests to (crossplane.gitops.repositories)',
    );
  });

  it('allows none when none are configured', () => {
    const none = repositories();
    expect(none.configured).toBe(false);
    expect(none.allows({ host: 'github.com', owner: 'a', repo: 'b' })).toBe(
      false,
    );
  });

  it.each(['github.com/acme', 'github.com/*/infra', 'github.com/a/b/c'])(
    'refuses the entry %s at start',
    entry => {
      expect(() => repositories([entry])).toThrow(
        /crossplane\.gitops\.repositories\[0\]/,
      );
    },
  );
});
