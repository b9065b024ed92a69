/**
 * A repository on a Git host: `host` as Backstage's `integrations` name it
 * (with a port when not the default), `owner` a user or organization.
 */
export interface GitRepository {
  host: string;
  owner: string;
  repo: string;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

function repository(
  host: string,
  owner: string | null | undefined,
  repo: string | null | undefined,
): GitRepository | undefined {
  const name = repo?.replace(/\.git$/, '');
  if (!host || !owner || !name) return undefined;
  if (!SEGMENT.test(owner) || !SEGMENT.test(name)) return undefined;
  if (owner.startsWith('.') || name.startsWith('.')) return undefined;
  return { host: host.toLowerCase(), owner, repo: name };
}

/**
 * Reads a repository as objects name it in `platformops.io/source-repo`:
 * the scaffolder's `host?owner=o&repo=r` (what the templates' repository
 * picker gives) or a web URL `https://host/owner/repo[.git]`. Undefined
 * for anything else: a repository is never guessed.
 */
export function parseGitRepository(value: string): GitRepository | undefined {
  const text = value.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (url.username || url.password || url.search || url.hash) {
      return undefined;
    }
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1);
    return parts.length === 2
      ? repository(url.host, parts[0], parts[1])
      : undefined;
  }
  const query = text.indexOf('?');
  if (query <= 0) return undefined;
  const host = text.slice(0, query);
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return undefined;
  const params = new URLSearchParams(text.slice(query + 1));
  return repository(host, params.get('owner'), params.get('repo'));
}

/** `host/owner/repo`, as the allow-list and messages write it. */
export function describeGitRepository(repo: GitRepository): string {
  return `${repo.host}/${repo.owner}/${repo.repo}`;
}

/** Why a path is not one inside the repository, or undefined. */
function repositoryPathProblem(path: string): string | undefined {
  if (path.length === 0 || path.length > 1024) {
    return 'must be a path of 1 to 1024 characters';
  }
  if (path.startsWith('/')) return 'must be relative to the repository';
  const control = [...path].some(c => c.charCodeAt(0) < 32 || c === '\u007f');
  if (path.includes('\\') || control) {
    return 'must not hold backslashes or control characters';
  }
  if (path.split('/').some(s => s === '' || s === '.' || s === '..')) {
    return 'must not hold empty, "." or ".." segments';
  }
  return undefined;
}

/**
 * Why a file path from an object's annotation is not one a pull request
 * may change, or undefined: it must be relative, inside the repository
 * (no `..`, no empty or `.` segment) and a YAML file.
 */
export function filePathProblem(path: string): string | undefined {
  const problem = repositoryPathProblem(path);
  if (problem) return problem;
  if (!/\.ya?ml$/.test(path)) return 'must be a .yaml or .yml file';
  return undefined;
}

/**
 * A folder as a GitOps tool names it (`./apps/`, `apps`, `.` or empty for
 * the root) in the one form the Git host lists (`apps`, `''`), or
 * undefined when it leaves the repository.
 */
export function folderPathOf(value: string): string | undefined {
  const path = value
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (path === '' || path === '.') return '';
  return repositoryPathProblem(path) ? undefined : path;
}
