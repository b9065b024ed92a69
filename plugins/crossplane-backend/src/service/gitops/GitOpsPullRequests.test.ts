import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import {
  CrossplaneGitOpsSource,
  CrossplaneObjectId,
} from '@platformops/plugin-crossplane-common';
import { GitHost } from './GitHost';
import { GitOpsPullRequests, gitHostsFromConfig } from './GitOpsPullRequests';
import { GitOpsRepositories } from './GitOpsRepositories';
import { GiteaHost } from './GiteaHost';
import { GithubHost } from './GithubHost';

const id: CrossplaneObjectId = {
  cluster: 'itest',
  group: 'platform.example.org',
  version: 'v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'orders',
};
const host = {} as GitHost;

function pullRequests(hosts = (_: unknown) => host as GitHost | undefined) {
  return new GitOpsPullRequests({
    repositories: GitOpsRepositories.fromConfig(
      new ConfigReader({
        crossplane: {
          gitops: { repositories: ['git.example.com/acme/infra'] },
        },
      }),
    ),
    hosts,
  });
}

function source(repoUrl: string, path?: string): CrossplaneGitOpsSource {
  return {
    tool: 'platformops',
    description: `pull request delivery from ${repoUrl}`,
    repoUrl,
    ...(path ? { path } : {}),
  };
}

describe('GitOpsPullRequests.fileOf', () => {
  it('gives the file of an allowed repository', () => {
    expect(
      pullRequests().fileOf(
        id,
        source('git.example.com?owner=acme&repo=infra', 'clusters/db.yaml'),
      ),
    ).toEqual({
      id,
      repo: { host: 'git.example.com', owner: 'acme', repo: 'infra' },
      path: 'clusters/db.yaml',
      host,
    });
  });

  it('leaves what other tools deliver to their 409', () => {
    expect(
      pullRequests().fileOf(id, {
        tool: 'argocd',
        description: 'Argo CD application payments',
      }),
    ).toBeUndefined();
    expect(pullRequests().fileOf(id, undefined)).toBeUndefined();
  });

  it.each([
    [
      'https://git.example.com/evil/infra',
      'clusters/db.yaml',
      'git.example.com/evil/infra is not among the repositories',
    ],
    ['git.example.com/acme/infra', 'db.yaml', 'source-repo is not'],
    [
      'https://git.example.com/acme/infra',
      '../../etc/db.yaml',
      'source-path must not hold empty, "." or ".." segments',
    ],
    ['https://git.example.com/acme/infra', undefined, 'source-path is not set'],
  ])('refuses %s %s with a 409', (repoUrl, path, reason) => {
    const refuse = () => pullRequests().fileOf(id, source(repoUrl, path));
    expect(refuse).toThrow(ConflictError);
    expect(refuse).toThrow(
      'Database.platform.example.org team-a/orders in cluster itest is delivered through Git',
    );
    expect(refuse).toThrow(reason);
  });

  it('refuses a host without an integration', () => {
    expect(() =>
      pullRequests(() => undefined).fileOf(
        id,
        source('https://git.example.com/acme/infra', 'db.yaml'),
      ),
    ).toThrow('no Gitea or GitHub integration for git.example.com');
  });
});

describe('gitHostsFromConfig', () => {
  it("picks the host's API from Backstage's integrations", () => {
    const hosts = gitHostsFromConfig(
      new ConfigReader({
        integrations: {
          gitea: [
            {
              host: '127.0.0.1:3310',
              baseUrl: 'http://127.0.0.1:3310',
              username: 'platformops',
              password: 'x',
            },
          ],
        },
      }),
    );
    const repo = (h: string) => ({ host: h, owner: 'a', repo: 'b' });
    expect(hosts(repo('127.0.0.1:3310'))).toBeInstanceOf(GiteaHost);
    expect(hosts(repo('github.com'))).toBeInstanceOf(GithubHost);
    expect(hosts(repo('gitlab.com'))).toBeUndefined();
  });
});

describe('GitOpsPullRequests.proposeEdit and proposeDeletion', () => {
  const FILE = `apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: orders
  namespace: team-a
spec:
  parameters:
    size: small
`;
  const object = (size: string) => ({
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: 'team-a' },
    spec: { parameters: { size } },
  });

  function fakeHost(content = FILE) {
    const proposed: any[] = [];
    const fake: GitHost = {
      defaultBranch: async () => 'trunk',
      readFile: async (_repo, path, ref) =>
        path === 'clusters/db.yaml' && ref === 'trunk'
          ? { content, sha: 'blob1' }
          : undefined,
      proposeFileChange: async change => {
        proposed.push(change);
        return { url: 'https://git/pr/1', number: 1, branch: change.branch };
      },
    };
    const file = pullRequests(() => fake).fileOf(
      id,
      source('git.example.com?owner=acme&repo=infra', 'clusters/db.yaml'),
    )!;
    return { file, proposed };
  }

  it('proposes the file with the changed field, on a new branch from the default one', async () => {
    const { file, proposed } = fakeHost();
    const pull = await pullRequests().proposeEdit(file, {
      before: object('small'),
      after: object('large'),
      diff: '-size: small\n+size: large',
      actor: 'user:default/alice',
    });
    expect(pull.url).toBe('https://git/pr/1');
    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toMatchObject({
      base: 'trunk',
      path: 'clusters/db.yaml',
      sha: 'blob1',
      content: FILE.replace('size: small', 'size: large'),
      title:
        'Edit Database.platform.example.org team-a/orders in cluster itest',
    });
    expect(proposed[0].branch).toMatch(
      /^platformops\/edit-itest-team-a-orders-[a-z0-9]+$/,
    );
    expect(proposed[0].body).toContain('user:default/alice');
    expect(proposed[0].body).toContain('+size: large');
  });

  it('opens nothing when the file already holds the values, or is missing', async () => {
    const already = fakeHost(FILE.replace('size: small', 'size: large'));
    await expect(
      pullRequests().proposeEdit(already.file, {
        before: object('small'),
        after: object('large'),
        diff: '',
        actor: 'user:default/alice',
      }),
    ).rejects.toThrow('already holds these values');
    expect(already.proposed).toEqual([]);

    const missing = fakeHost();
    await expect(
      pullRequests().proposeDeletion(
        { ...missing.file, path: 'clusters/other.yaml' },
        { actor: 'user:default/alice' },
      ),
    ).rejects.toThrow(
      'clusters/other.yaml is not in git.example.com/acme/infra (branch trunk)',
    );
    expect(missing.proposed).toEqual([]);
  });

  it('proposes removing the file, only when it holds the object', async () => {
    const { file, proposed } = fakeHost();
    await pullRequests().proposeDeletion(file, { actor: 'user:default/bob' });
    expect(proposed[0]).toMatchObject({
      path: 'clusters/db.yaml',
      sha: 'blob1',
    });
    expect(proposed[0].content).toBeUndefined();
    expect(proposed[0].branch).toMatch(
      /^platformops\/delete-itest-team-a-orders-/,
    );

    const other = fakeHost(FILE.replace('name: orders', 'name: payments'));
    await expect(
      pullRequests().proposeDeletion(other.file, { actor: 'user:default/bob' }),
    ).rejects.toThrow('does not hold');
    expect(other.proposed).toEqual([]);
  });
});
