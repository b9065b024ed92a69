import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The local Git host of the tests (`tools/gitea`, instance `itest`). */
export const GIT_HOST = { name: 'itest', port: 3310 };

/**
 * The local Gitea, started if it is not up (built once per machine, see
 * tools/gitea/README.md), with its admin's API: repositories made here
 * belong to the user `platformops`.
 */
export function connectGitHost() {
  execFileSync(
    path.join(REPO_ROOT, 'tools/gitea/gitea.sh'),
    ['up', '--name', GIT_HOST.name, '--port', String(GIT_HOST.port)],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 30 * 60_000 },
  );
  const state = path.join(REPO_ROOT, '.gitea', GIT_HOST.name);
  const token = fs.readFileSync(path.join(state, 'token'), 'utf8').trim();
  const host = `127.0.0.1:${GIT_HOST.port}`;
  const baseUrl = `http://${host}`;
  const owner = 'platformops';

  async function api(method: string, route: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: {
        authorization: `token ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok && !(method === 'DELETE' && res.status === 404)) {
      throw new Error(`${method} ${route}: ${res.status} ${text}`);
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  return {
    host,
    baseUrl,
    owner,
    /** Backstage's `integrations` entry of the host, with the admin's token. */
    integration: { host, baseUrl, username: owner, password: token },
    api,
    /** A repository with one commit on `main` holding `files`. */
    async createRepository(name: string, files: Record<string, string>) {
      await api('DELETE', `/repos/${owner}/${name}`);
      await api('POST', '/user/repos', {
        name,
        auto_init: true,
        default_branch: 'main',
        private: true,
      });
      await api('POST', `/repos/${owner}/${name}/contents`, {
        branch: 'main',
        message: 'Add manifests',
        files: Object.entries(files).map(([file, content]) => ({
          operation: 'create',
          path: file,
          content: Buffer.from(content).toString('base64'),
        })),
      });
    },
    deleteRepository: (name: string) =>
      api('DELETE', `/repos/${owner}/${name}`),
    pulls: (repo: string): Promise<Array<{ number: number; title: string }>> =>
      api('GET', `/repos/${owner}/${repo}/pulls?state=all`),
    branches: async (repo: string): Promise<string[]> =>
      (await api('GET', `/repos/${owner}/${repo}/branches`)).map(
        (b: { name: string }) => b.name,
      ),
    /** A pull request's diff, as Gitea gives it. */
    diff: (repo: string, pull: number): Promise<string> =>
      api('GET', `/repos/${owner}/${repo}/pulls/${pull}.diff`),
  };
}
