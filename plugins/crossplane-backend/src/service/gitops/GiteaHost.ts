import {
  getGiteaRequestOptions,
  GiteaIntegrationConfig,
} from '@backstage/integration';
import {
  ContentsApiHost,
  FileChangeRequest,
  gitHostRequest,
  HostCall,
} from './GitHost';
import { GitRepository } from './gitRepository';

/**
 * Gitea's REST API (`/api/v1`): one commit changes or deletes the file and
 * makes the new branch (`new_branch`), then the pull request is opened.
 */
export class GiteaHost extends ContentsApiHost {
  readonly #config: GiteaIntegrationConfig;

  constructor(config: GiteaIntegrationConfig) {
    super();
    this.#config = config;
  }

  protected call<T>(
    repo: GitRepository,
    path: string,
    what: string,
    init: HostCall<T> = {},
  ): Promise<T> {
    return gitHostRequest<T>({
      repo,
      url: `${this.#config.baseUrl}/api/v1/repos/${encodeURIComponent(
        repo.owner,
      )}/${encodeURIComponent(repo.repo)}${path}`,
      what,
      headers: getGiteaRequestOptions(this.#config).headers ?? {},
      ...init,
    });
  }

  protected commitOnNewBranch(change: FileChangeRequest): Promise<void> {
    return this.commitFile(change, {
      branch: change.base,
      new_branch: change.branch,
      sha: change.sha,
      message: change.message,
    });
  }
}
