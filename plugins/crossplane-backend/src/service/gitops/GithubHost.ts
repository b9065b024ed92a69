import {
  GithubCredentialsProvider,
  GithubIntegrationConfig,
} from '@backstage/integration';
import {
  ContentsApiHost,
  encodePath,
  FileChangeRequest,
  gitHostRequest,
  HostCall,
} from './GitHost';
import { GitRepository } from './gitRepository';

const GITHUB_API = 'https://api.github.com';

/**
 * GitHub's REST API: the branch is made from the base's head, the file is
 * changed or deleted on it, then the pull request is opened. Credentials
 * (a token or a GitHub App's) come from the integration.
 */
export class GithubHost extends ContentsApiHost {
  readonly #config: GithubIntegrationConfig;
  readonly #credentials: GithubCredentialsProvider;

  constructor(
    config: GithubIntegrationConfig,
    credentials: GithubCredentialsProvider,
  ) {
    super();
    this.#config = config;
    this.#credentials = credentials;
  }

  protected async call<T>(
    repo: GitRepository,
    path: string,
    what: string,
    init: HostCall<T> = {},
  ): Promise<T> {
    const { headers } = await this.#credentials.getCredentials({
      url: `https://${repo.host}/${repo.owner}/${repo.repo}`,
    });
    return gitHostRequest<T>({
      repo,
      url: `${this.#config.apiBaseUrl ?? GITHUB_API}/repos/${encodeURIComponent(
        repo.owner,
      )}/${encodeURIComponent(repo.repo)}${path}`,
      what,
      headers: { accept: 'application/vnd.github+json', ...headers },
      ...init,
    });
  }

  protected async commitOnNewBranch(change: FileChangeRequest): Promise<void> {
    const { repo } = change;
    const base = await this.call<{ object: { sha: string } }>(
      repo,
      `/git/ref/heads/${encodePath(change.base)}`,
      `reading branch ${change.base}`,
    );
    await this.call(repo, '/git/refs', `creating branch ${change.branch}`, {
      method: 'POST',
      body: { ref: `refs/heads/${change.branch}`, sha: base.object.sha },
    });
    await this.commitFile(change, {
      branch: change.branch,
      sha: change.sha,
      message: change.message,
    });
  }
}
