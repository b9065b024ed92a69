// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const gitHost = require('../../../../tools/gitea');

/** The local Git host of the tests (`tools/gitea`, instance `itest`). */
export const GIT_HOST = { name: 'itest', port: 3310 };

/** The admin's API of a local Gitea (`tools/gitea/index.js`). */
export type LocalGitHost = {
  host: string;
  baseUrl: string;
  owner: string;
  /** Backstage's `integrations` entry of the host, with the admin's token. */
  integration: {
    host: string;
    baseUrl: string;
    username: string;
    password: string;
  };
  api(method: string, route: string, body?: unknown): Promise<any>;
  /** A repository with one commit on `main` holding `files`. */
  createRepository(name: string, files: Record<string, string>): Promise<void>;
  deleteRepository(name: string): Promise<unknown>;
  pulls(repo: string): Promise<Array<{ number: number; title: string }>>;
  branches(repo: string): Promise<string[]>;
  /** A pull request's diff, as Gitea gives it. */
  diff(repo: string, pull: number): Promise<string>;
};

/**
 * The local Gitea, started if it is not up (built once per machine, see
 * tools/gitea/README.md), with its admin's API: repositories made here
 * belong to the user `platformops`.
 */
export function connectGitHost(): LocalGitHost {
  return gitHost.connectGitHost(GIT_HOST);
}
