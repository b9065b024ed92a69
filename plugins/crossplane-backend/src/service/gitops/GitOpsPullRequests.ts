import { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GiteaIntegration,
  GithubIntegration,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CrossplaneGitOpsSource,
  CrossplaneObjectId,
  describeObjectId,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { GiteaHost } from './GiteaHost';
import { GithubHost } from './GithubHost';
import { GitHost, OpenedPullRequest } from './GitHost';
import { GitOpsRepositories } from './GitOpsRepositories';
import {
  describeGitRepository,
  filePathProblem,
  GitRepository,
  parseGitRepository,
} from './gitRepository';
import { patchObjectFile, parseObjectFile, specChanges } from './manifestFile';

/** The repository, file and host of an object, checked. */
export interface GitOpsFile {
  id: CrossplaneObjectId;
  repo: GitRepository;
  path: string;
  host: GitHost;
}

/** Finds the Git host of a repository from Backstage's integrations. */
export type GitHostResolver = (repo: GitRepository) => GitHost | undefined;

/** Gitea and GitHub hosts from `integrations` (Backstage's config). */
export function gitHostsFromConfig(config: Config): GitHostResolver {
  const integrations = ScmIntegrations.fromConfig(config);
  const github =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return repo => {
    const integration = integrations.byHost(repo.host);
    if (integration instanceof GiteaIntegration) {
      return new GiteaHost(integration.config);
    }
    if (integration instanceof GithubIntegration) {
      return new GithubHost(integration.config, github);
    }
    return undefined;
  };
}

function branchName(action: string, id: CrossplaneObjectId): string {
  const name = [action, id.cluster, id.namespace, id.name]
    .filter(Boolean)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 120);
  return `platformops/${name}-${Date.now().toString(36)}`;
}

/**
 * The pull-request path of objects PlatformOps delivers through Git
 * (`platformops.io/source-repo` and `source-path`): an edit or a delete
 * becomes a pull request changing or removing the object's file, so Git
 * stays the source of truth and the GitOps tool applies it once merged.
 * Nothing is written to the cluster.
 *
 * The repository and path are data in the cluster: a pull request goes
 * only to a repository of `crossplane.gitops.repositories` on a host with
 * a Backstage integration, to a relative YAML path inside it whose file
 * holds exactly the object; anything else is refused with a 409, as the
 * write of an object Git delivers always was.
 */
export class GitOpsPullRequests {
  readonly #repositories: GitOpsRepositories;
  readonly #hosts: GitHostResolver;

  static fromConfig(config: Config): GitOpsPullRequests {
    return new GitOpsPullRequests({
      repositories: GitOpsRepositories.fromConfig(config),
      hosts: gitHostsFromConfig(config),
    });
  }

  constructor(options: {
    repositories: GitOpsRepositories;
    hosts: GitHostResolver;
  }) {
    this.#repositories = options.repositories;
    this.#hosts = options.hosts;
  }

  /**
   * The object's file when it is one the portal may open pull requests
   * for; otherwise a `ConflictError` saying to change it in Git, and why
   * the portal does not. Undefined for objects another tool delivers.
   */
  fileOf(
    id: CrossplaneObjectId,
    gitOps: CrossplaneGitOpsSource | undefined,
  ): GitOpsFile | undefined {
    if (gitOps?.tool !== 'platformops' || !gitOps.repoUrl) return undefined;
    const refuse = (reason: string) =>
      new ConflictError(
        `${describeObjectId(id)} is delivered through Git by ${
          gitOps.description
        }: change it in its repository${
          gitOps.path ? ` (${gitOps.path})` : ''
        }; the portal opens no pull request: ${reason}`,
      );
    const repo = parseGitRepository(gitOps.repoUrl);
    if (!repo) {
      throw refuse(
        'platformops.io/source-repo is not host?owner=..&repo=.. nor https://host/owner/repo',
      );
    }
    if (!this.#repositories.allows(repo)) {
      throw refuse(this.#repositories.refusal(repo));
    }
    if (!gitOps.path) throw refuse('platformops.io/source-path is not set');
    const pathProblem = filePathProblem(gitOps.path);
    if (pathProblem) {
      throw refuse(`platformops.io/source-path ${pathProblem}`);
    }
    const host = this.#hosts(repo);
    if (!host) {
      throw refuse(
        `no Gitea or GitHub integration for ${repo.host} in the integrations config`,
      );
    }
    return { id, repo, path: gitOps.path, host };
  }

  /**
   * Opens a pull request that changes the fields the edit changes
   * (`before` to `after`, the form's fields) in the object's file.
   * `diff` is the edit's (redacted) diff, shown in the description.
   */
  async proposeEdit(
    file: GitOpsFile,
    edit: {
      before: KubernetesObject;
      after: KubernetesObject;
      diff: string;
      actor: string;
    },
  ): Promise<OpenedPullRequest> {
    const { id, repo, path, host } = file;
    const base = await host.defaultBranch(repo);
    const current = await this.#read(file, base);
    const content = patchObjectFile(
      current.content,
      id,
      path,
      specChanges(
        (edit.before.spec ?? {}) as Record<string, unknown>,
        (edit.after.spec ?? {}) as Record<string, unknown>,
      ),
    );
    if (content === current.content) {
      throw new ConflictError(
        `${path} in ${describeGitRepository(
          repo,
        )} already holds these values (branch ${base}): no pull request is opened; the cluster follows once its GitOps tool syncs`,
      );
    }
    const title = `Edit ${describeObjectId(id)}`;
    return host.proposeFileChange({
      repo,
      base,
      branch: branchName('edit', id),
      path,
      content,
      sha: current.sha,
      message: `${title}\n\nRequested in PlatformOps by ${edit.actor}.`,
      title,
      body: `Changes \`${path}\` as requested in PlatformOps by ${edit.actor}. The cluster changes once this is merged and synced.\n\n\`\`\`diff\n${edit.diff}\n\`\`\``,
    });
  }

  /** Opens a pull request that removes the object's file. */
  async proposeDeletion(
    file: GitOpsFile,
    request: { actor: string },
  ): Promise<OpenedPullRequest> {
    const { id, repo, path, host } = file;
    const base = await host.defaultBranch(repo);
    const current = await this.#read(file, base);
    parseObjectFile(current.content, id, path);
    const title = `Delete ${describeObjectId(id)}`;
    return host.proposeFileChange({
      repo,
      base,
      branch: branchName('delete', id),
      path,
      sha: current.sha,
      message: `${title}\n\nRequested in PlatformOps by ${request.actor}.`,
      title,
      body: `Removes \`${path}\` as requested in PlatformOps by ${request.actor}. The object and what it composes are deleted once this is merged and synced.`,
    });
  }

  async #read(file: GitOpsFile, base: string) {
    const current = await file.host.readFile(file.repo, file.path, base);
    if (!current) {
      throw new ConflictError(
        `${file.path} is not in ${describeGitRepository(
          file.repo,
        )} (branch ${base}): no pull request is opened for ${describeObjectId(
          file.id,
        )}`,
      );
    }
    return current;
  }
}
