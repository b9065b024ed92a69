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
