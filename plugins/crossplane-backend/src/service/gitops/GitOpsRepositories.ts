import { Config } from '@backstage/config';
import {
  describeGitRepository,
  GitRepository,
  parseGitRepository,
} from './gitRepository';

/** Where the allow-list is configured. */
export const GITOPS_REPOSITORIES_CONFIG_KEY = 'crossplane.gitops.repositories';

interface AllowedRepository {
  host: string;
  owner: string;
  /** `*`: every repository of the owner. */
  repo: string;
}

function parseEntry(entry: string, index: number): AllowedRepository {
  const problem = () =>
    new Error(
      `${GITOPS_REPOSITORIES_CONFIG_KEY}[${index}]: '${entry}' is not host/owner/repo (repo may be *)`,
    );
  const text = entry.trim().replace(/^https?:\/\//i, '');
  const [host, owner, repo, ...rest] = text.replace(/\/+$/, '').split('/');
  if (rest.length > 0 || !host || !owner || !repo) throw problem();
  const parsed = parseGitRepository(
    `https://${host}/${owner}/${repo === '*' ? 'any' : repo}`,
  );
  if (!parsed) throw problem();
  return { ...parsed, repo: repo === '*' ? '*' : parsed.repo };
}

/**
 * The repositories the portal opens pull requests to, from
 * `crossplane.gitops.repositories` (`host/owner/repo`, or `host/owner/*`
 * for all of an owner's). The repository an object names is data in the
 * cluster, which anyone who may write the object could set: only these are
 * trusted with the portal's Git credentials. None configured: none.
 */
export class GitOpsRepositories {
  readonly #allowed: AllowedRepository[];

  static fromConfig(config: Config): GitOpsRepositories {
    const entries =
      config.getOptionalStringArray(GITOPS_REPOSITORIES_CONFIG_KEY) ?? [];
    return new GitOpsRepositories(entries.map(parseEntry));
  }

  private constructor(allowed: AllowedRepository[]) {
    this.#allowed = allowed;
  }

  get configured(): boolean {
    return this.#allowed.length > 0;
  }

  /** Host and owner compare case-insensitively, as Git hosts do. */
  allows(repo: GitRepository): boolean {
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return this.#allowed.some(
      allowed =>
        same(allowed.host, repo.host) &&
        same(allowed.owner, repo.owner) &&
        (allowed.repo === '*' || same(allowed.repo, repo.repo)),
    );
  }

  /** Why a repository is refused, for the 409's message. */
  refusal(repo: GitRepository): string {
    return `${describeGitRepository(
      repo,
    )} is not among the repositories the portal opens pull requests to (${GITOPS_REPOSITORIES_CONFIG_KEY})`;
  }
}
