import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { describeGitRepository, GitRepository } from './gitRepository';

/** A file as read from a branch: its text and the blob a change replaces. */
export interface GitFile {
  content: string;
  sha: string;
}

/** A change of one file proposed on a new branch. */
export interface FileChangeRequest {
  repo: GitRepository;
  /** The branch the pull request targets. */
  base: string;
  /** The new branch, made from `base`. */
  branch: string;
  path: string;
  /** The file's new text; undefined removes the file. */
  content?: string;
  /** The blob read from `base`: a file changed since is not overwritten. */
  sha: string;
  message: string;
  title: string;
  body: string;
}

/** A pull request as the Git host answers it. */
export interface OpenedPullRequest {
  url: string;
  number: number;
  branch: string;
}

/**
 * The operations of a Git host the pull-request path uses, each with the
 * credentials of the host's Backstage integration.
 */
export interface GitHost {
  defaultBranch(repo: GitRepository): Promise<string>;
  /** Whether the repository has a branch of that name. */
  hasBranch(repo: GitRepository, name: string): Promise<boolean>;
  /**
   * The paths of the files under a folder (`''`: the root) on a branch,
   * with those of its subfolders when `recursive`; none when there is
   * no such folder.
   */
  listFiles(
    repo: GitRepository,
    folder: string,
    ref: string,
    recursive: boolean,
  ): Promise<string[]>;
  /** Undefined when the branch has no such file. */
  readFile(
    repo: GitRepository,
    path: string,
    ref: string,
  ): Promise<GitFile | undefined>;
  proposeFileChange(change: FileChangeRequest): Promise<OpenedPullRequest>;
}

const REQUEST_TIMEOUT_MS = 20_000;
/** Entries of a tree listing asked at once (Gitea pages it; GitHub does not). */
const TREE_PAGE = 10_000;

/** Each path segment URL-encoded, the slashes kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * One JSON request to a Git host's API. A refusal or failure of the host
 * is the host's (503, naming the host, the step and its answer), except a
 * missing repository, which the object names wrongly (409); `notFound`
 * lets the caller take a 404 as an answer. The credentials never appear
 * in a message.
 */
export async function gitHostRequest<T>(options: {
  repo: GitRepository;
  url: string;
  what: string;
  method?: string;
  headers: Record<string, string>;
  body?: unknown;
  notFound?: () => T;
}): Promise<T> {
  const { repo, url, what } = options;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `${repo.host} did not answer ${what}: ${(error as Error).message}`,
    );
  }
  if (response.status === 404 && options.notFound) return options.notFound();
  const text = await response.text();
  if (!response.ok) {
    let detail = '';
    try {
      const message = JSON.parse(text).message;
      if (typeof message === 'string') detail = `: ${message.slice(0, 200)}`;
    } catch {
      // Not JSON: the status says enough.
    }
    if (response.status === 404) {
      throw new ConflictError(
        `${describeGitRepository(repo)} was not found (${what})${detail}`,
      );
    }
    throw new ServiceUnavailableError(
      `${repo.host} answered ${response.status} to ${what}${detail}`,
    );
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** What a request of {@link ContentsApiHost.call} may add. */
export interface HostCall<T> {
  method?: string;
  body?: unknown;
  notFound?: () => T;
}

/**
 * The API Gitea and GitHub share: `/repos/{owner}/{repo}` for the default
 * branch, `/contents/{path}` for files, `/pulls` to open a pull request.
 * Each host makes the branch and its commit its own way.
 */
export abstract class ContentsApiHost implements GitHost {
  /** A request under `/repos/{owner}/{repo}`, with the host's credentials. */
  protected abstract call<T>(
    repo: GitRepository,
    path: string,
    what: string,
    init?: HostCall<T>,
  ): Promise<T>;

  /** Commits the change on the new branch `change.branch`. */
  protected abstract commitOnNewBranch(
    change: FileChangeRequest,
  ): Promise<void>;

  async defaultBranch(repo: GitRepository): Promise<string> {
    const answer = await this.call<{ default_branch: string }>(
      repo,
      '',
      'reading the repository',
    );
    return answer.default_branch;
  }

  async hasBranch(repo: GitRepository, name: string): Promise<boolean> {
    return this.call<boolean>(
      repo,
      `/branches/${encodePath(name)}`,
      `reading branch ${name}`,
      { notFound: () => false },
    ).then(Boolean);
  }

  /**
   * One read of the branch's whole tree; a tree the host answers only in
   * part is refused rather than searched in part.
   */
  async listFiles(
    repo: GitRepository,
    folder: string,
    ref: string,
    recursive: boolean,
  ): Promise<string[]> {
    const answer = await this.call<
      | { truncated?: boolean; tree?: Array<{ path: string; type: string }> }
      | undefined
    >(
      repo,
      `/git/trees/${encodeURIComponent(
        ref,
      )}?recursive=true&per_page=${TREE_PAGE}`,
      `listing the files of branch ${ref}`,
      { notFound: () => undefined },
    );
    if (answer?.truncated) {
      throw new ConflictError(
        `${describeGitRepository(
          repo,
        )} has more files on ${ref} than its host lists at once: the file of the object is not searched`,
      );
    }
    const prefix = folder ? `${folder}/` : '';
    return (answer?.tree ?? [])
      .filter(entry => entry.type === 'blob' && entry.path.startsWith(prefix))
      .map(entry => entry.path)
      .filter(path => recursive || !path.slice(prefix.length).includes('/'));
  }

  async readFile(
    repo: GitRepository,
    path: string,
    ref: string,
  ): Promise<GitFile | undefined> {
    const answer = await this.call<
      { type?: string; content?: string; sha: string } | undefined
    >(
      repo,
      `/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`,
      `reading ${path}`,
      { notFound: () => undefined },
    );
    if (!answer || answer.type !== 'file') return undefined;
    return {
      content: Buffer.from(answer.content ?? '', 'base64').toString('utf8'),
      sha: answer.sha,
    };
  }

  /**
   * The commit of the contents API: PUT the file's new text or DELETE it,
   * with the host's `commit` fields (branch, blob, message).
   */
  protected async commitFile(
    change: FileChangeRequest,
    commit: Record<string, unknown>,
  ): Promise<void> {
    const deletion = change.content === undefined;
    await this.call(
      change.repo,
      `/contents/${encodePath(change.path)}`,
      deletion ? 'a commit deleting the file' : 'a commit changing the file',
      {
        method: deletion ? 'DELETE' : 'PUT',
        body: deletion
          ? commit
          : {
              ...commit,
              content: Buffer.from(change.content!, 'utf8').toString('base64'),
            },
      },
    );
  }

  async proposeFileChange(
    change: FileChangeRequest,
  ): Promise<OpenedPullRequest> {
    await this.commitOnNewBranch(change);
    const pull = await this.call<{ html_url: string; number: number }>(
      change.repo,
      '/pulls',
      'opening the pull request',
      {
        method: 'POST',
        body: {
          base: change.base,
          head: change.branch,
          title: change.title,
          body: change.body,
        },
      },
    );
    return { url: pull.html_url, number: pull.number, branch: change.branch };
  }
}
