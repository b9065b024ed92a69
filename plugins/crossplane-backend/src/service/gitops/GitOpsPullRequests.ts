import { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GiteaIntegration,
  GithubIntegration,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CrossplaneObjectId,
  describeObjectId,
  gitOpsSourceOf,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '@platformops/plugin-crossplane-node';
import {
  argoCdNamespacesFromConfig,
  fluxNamespacesFromConfig,
  GitOpsToolNamespaces,
  GitDelivery,
  gitDeliveryOf,
  NoPullRequest,
} from './gitDelivery';
import { GiteaHost } from './GiteaHost';
import { GithubHost } from './GithubHost';
import { GitFile, GitHost, OpenedPullRequest } from './GitHost';
import { GitOpsRepositories } from './GitOpsRepositories';
import {
  describeGitRepository,
  filePathProblem,
  GitRepository,
  parseGitRepository,
} from './gitRepository';
import {
  countObjectDocuments,
  NamespaceRule,
  notTheObjectFile,
  patchObjectDocument,
  patchObjectFile,
  parseObjectFile,
  removeObjectDocument,
  specChanges,
} from './manifestFile';

/** How many YAML files of a tool's folders are read to find the object. */
const MAX_FILES_SEARCHED = 500;
/** Reads of a host made at once while searching. */
const READS_AT_ONCE = 8;

/** A repository the portal may open pull requests to, with its host. */
interface GitPlace {
  repo: GitRepository;
  host: GitHost;
  /** The branch the delivering tool follows, if it may be one. */
  revision?: string;
  /** The object's own file, or a folder the tool applies. */
  path: string;
  folder?: { recursive: boolean };
}

/**
 * Where an object's manifest is, checked: the file PlatformOps delivered
 * it in, or the folders Argo CD or Flux apply (searched for the one
 * document declaring it when a pull request is opened).
 */
export interface GitOpsFile {
  id: CrossplaneObjectId;
  /** Who delivers it, e.g. `Argo CD application payments`. */
  deliveredBy: string;
  places: GitPlace[];
  namespace: NamespaceRule;
}

/** The one document of the object, found on the branch it is proposed to. */
interface FoundDocument {
  place: GitPlace;
  base: string;
  path: string;
  current: GitFile;
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
 * The pull-request path of objects delivered through Git: an edit or a
 * delete becomes a pull request changing or removing the object's
 * manifest, so Git stays the source of truth and the GitOps tool applies
 * it once merged. Nothing is written to the cluster.
 *
 * Where the manifest is comes from the cluster, never from the request:
 * PlatformOps' own annotations (`platformops.io/source-repo` and
 * `source-path`), or the Argo CD Application or Flux Kustomization (and
 * GitRepository) that applies the object, whose folders are searched for
 * the one document declaring exactly it. A pull request goes only to a
 * repository of `crossplane.gitops.repositories` on a host with a
 * Backstage integration; anything else is refused with a 409, as the
 * write of an object Git delivers always was.
 */
export class GitOpsPullRequests {
  readonly #repositories: GitOpsRepositories;
  readonly #hosts: GitHostResolver;
  readonly #toolNamespaces: GitOpsToolNamespaces;

  static fromConfig(config: Config): GitOpsPullRequests {
    return new GitOpsPullRequests({
      repositories: GitOpsRepositories.fromConfig(config),
      hosts: gitHostsFromConfig(config),
      argoCdNamespaces: argoCdNamespacesFromConfig(config),
      fluxNamespaces: fluxNamespacesFromConfig(config),
    });
  }

  constructor(options: {
    repositories: GitOpsRepositories;
    hosts: GitHostResolver;
    /** Where Argo CD's applications are read; default `argocd`. */
    argoCdNamespaces?: string[];
    /** Where Flux's Kustomizations are read besides the object's namespace; default `flux-system`. */
    fluxNamespaces?: string[];
  }) {
    this.#repositories = options.repositories;
    this.#hosts = options.hosts;
    this.#toolNamespaces = {
      argoCdNamespaces: options.argoCdNamespaces ?? ['argocd'],
      fluxNamespaces: options.fluxNamespaces ?? ['flux-system'],
    };
  }

  /**
   * Where the object's manifest is when the portal may open pull requests
   * for it; otherwise a `ConflictError` saying to change it in Git, and
   * why the portal does not. Undefined for an object Git does not deliver.
   * The tool's objects are read with `client`, the object's cluster's.
   */
  async fileOf(
    client: ClusterClient,
    id: CrossplaneObjectId,
    object: KubernetesObject,
  ): Promise<GitOpsFile | undefined> {
    const gitOps = gitOpsSourceOf(object);
    if (!gitOps) return undefined;
    const refuse = (reason: string) =>
      new ConflictError(
        `${describeObjectId(id)} is delivered through Git by ${
          gitOps.description
        }: change it in its repository${
          gitOps.path ? ` (${gitOps.path})` : ''
        }; the portal opens no pull request: ${reason}`,
      );
    const place = (
      repoUrl: string,
      what: string,
      at: Omit<GitPlace, 'repo' | 'host'>,
    ): GitPlace => {
      const repo = parseGitRepository(repoUrl);
      if (!repo) {
        throw refuse(
          `${what} ${JSON.stringify(
            repoUrl,
          )} is not host?owner=..&repo=.. nor https://host/owner/repo`,
        );
      }
      if (!this.#repositories.allows(repo)) {
        throw refuse(this.#repositories.refusal(repo));
      }
      const host = this.#hosts(repo);
      if (!host) {
        throw refuse(
          `no Gitea or GitHub integration for ${repo.host} in the integrations config`,
        );
      }
      return { repo, host, ...at };
    };

    if (gitOps.tool === 'platformops') {
      if (!gitOps.repoUrl) return undefined;
      if (!gitOps.path) throw refuse('platformops.io/source-path is not set');
      const pathProblem = filePathProblem(gitOps.path);
      if (pathProblem) {
        throw refuse(`platformops.io/source-path ${pathProblem}`);
      }
      return {
        id,
        deliveredBy: gitOps.description,
        places: [
          place(gitOps.repoUrl, 'platformops.io/source-repo', {
            path: gitOps.path,
          }),
        ],
        namespace: {},
      };
    }

    // No repository to open pull requests to: the tool's objects are not
    // read, the object is Git's alone (the caller's 409).
    if (!this.#repositories.configured) return undefined;
    let delivery: GitDelivery;
    try {
      delivery = await gitDeliveryOf(
        client,
        id,
        object,
        gitOps.tool,
        this.#toolNamespaces,
      );
    } catch (error) {
      if (error instanceof NoPullRequest) throw refuse(error.message);
      throw error;
    }
    return {
      id,
      deliveredBy: gitOps.description,
      places: delivery.folders.map(folder =>
        place(folder.repoUrl, 'its repository', {
          ...(folder.revision ? { revision: folder.revision } : {}),
          path: folder.path,
          folder: { recursive: folder.recursive },
        }),
      ),
      namespace: delivery.namespace,
    };
  }

  /**
   * Opens a pull request that changes the fields the edit changes
   * (`before` to `after`, the form's fields) in the object's manifest.
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
    const { id } = file;
    const found = await this.#find(file);
    const { place, base, path, current } = found;
    const changes = specChanges(
      (edit.before.spec ?? {}) as Record<string, unknown>,
      (edit.after.spec ?? {}) as Record<string, unknown>,
    );
    const content = place.folder
      ? patchObjectDocument(current.content, id, file.namespace, changes)
      : patchObjectFile(current.content, id, path, changes);
    if (content === current.content) {
      throw new ConflictError(
        `${path} in ${describeGitRepository(
          place.repo,
        )} already holds these values (branch ${base}): no pull request is opened; the cluster follows once its GitOps tool syncs`,
      );
    }
    const title = `Edit ${describeObjectId(id)}`;
    return place.host.proposeFileChange({
      repo: place.repo,
      base,
      branch: branchName('edit', id),
      path,
      content,
      sha: current.sha,
      message: `${title}\n\nRequested in PlatformOps by ${edit.actor}.`,
      title,
      body: `Changes \`${path}\` as requested in PlatformOps by ${edit.actor}. The cluster changes once this is merged and synced by ${file.deliveredBy}.\n\n\`\`\`diff\n${edit.diff}\n\`\`\``,
    });
  }

  /**
   * Opens a pull request that removes the object's manifest: its file,
   * or only its document when the file declares other objects too.
   */
  async proposeDeletion(
    file: GitOpsFile,
    request: { actor: string },
  ): Promise<OpenedPullRequest> {
    const { id } = file;
    const { place, base, path, current } = await this.#find(file);
    const content = place.folder
      ? removeObjectDocument(current.content, id, file.namespace)
      : (parseObjectFile(current.content, id, path), undefined);
    const title = `Delete ${describeObjectId(id)}`;
    return place.host.proposeFileChange({
      repo: place.repo,
      base,
      branch: branchName('delete', id),
      path,
      ...(content === undefined ? {} : { content }),
      sha: current.sha,
      message: `${title}\n\nRequested in PlatformOps by ${request.actor}.`,
      title,
      body: `${
        content === undefined
          ? `Removes \`${path}\``
          : `Removes the document of ${describeObjectId(id)} from \`${path}\``
      } as requested in PlatformOps by ${
        request.actor
      }. The object and what it composes are deleted once this is merged and synced by ${
        file.deliveredBy
      }.`,
    });
  }

  /** The branch of a place: the tool's when it is a branch, else the default. */
  async #base(place: GitPlace): Promise<string> {
    if (
      place.revision &&
      (await place.host.hasBranch(place.repo, place.revision))
    ) {
      return place.revision;
    }
    return place.host.defaultBranch(place.repo);
  }

  /**
   * The object's manifest: its own file, or the one file of the tool's
   * folders with exactly one document declaring it. None or several: 409
   * naming what was searched.
   */
  async #find(file: GitOpsFile): Promise<FoundDocument> {
    const found: FoundDocument[] = [];
    const searched: string[] = [];
    for (const place of file.places) {
      const base = await this.#base(place);
      if (!place.folder) {
        const current = await place.host.readFile(place.repo, place.path, base);
        if (!current) throw notTheObjectFile(place.path, file.id);
        return { place, base, path: place.path, current };
      }
      const paths = (
        await place.host.listFiles(
          place.repo,
          place.path,
          base,
          place.folder.recursive,
        )
      ).filter(path => /\.ya?ml$/.test(path));
      if (paths.length > MAX_FILES_SEARCHED) {
        throw new ConflictError(
          `${describeGitRepository(place.repo)} holds ${
            paths.length
          } YAML files under ${
            place.path || 'its root'
          } (branch ${base}), more than the ${MAX_FILES_SEARCHED} the portal searches for ${describeObjectId(
            file.id,
          )}: change it in Git`,
        );
      }
      searched.push(
        `${describeGitRepository(place.repo)} ${
          place.path ? `${place.path}/` : ''
        }${place.folder.recursive ? '**' : '*'}.yaml (branch ${base}, ${
          paths.length
        } files)`,
      );
      for (let i = 0; i < paths.length; i += READS_AT_ONCE) {
        const reads = await Promise.all(
          paths.slice(i, i + READS_AT_ONCE).map(async path => ({
            path,
            current: await place.host.readFile(place.repo, path, base),
          })),
        );
        for (const { path, current } of reads) {
          if (!current) continue;
          const count = countObjectDocuments(
            current.content,
            file.id,
            file.namespace,
          );
          for (let n = 0; n < count; n++) {
            found.push({ place, base, path, current });
          }
        }
      }
    }
    if (found.length !== 1) {
      throw new ConflictError(
        `${
          found.length === 0
            ? 'no file declares'
            : `${found.length} documents declare (${[
                ...new Set(found.map(f => f.path)),
              ].join(', ')})`
        } ${describeObjectId(file.id)} where ${
          file.deliveredBy
        } takes it from: searched ${searched.join(
          '; ',
        )}; no pull request is opened`,
      );
    }
    return found[0];
  }
}
