/*
 * Node helper for tests and scripts: starts (or reuses) a local Gitea
 * instance through gitea.sh and returns its admin's API. No dependencies.
 *
 *   const { connectGitHost } = require('<repo>/tools/gitea');
 *   const git = connectGitHost({ name: 'itest', port: 3310 });
 *   await git.createRepository('demo', { 'a.yaml': '...' });
 *   // git.integration: Backstage's `integrations.gitea` entry
 *
 * Repositories made here belong to the admin user `platformops`.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'gitea.sh');
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const OWNER = 'platformops';

/**
 * The instance, started if it is not up (built once per machine, see
 * README.md), with its admin's API.
 */
function connectGitHost({ name, port }) {
  execFileSync(SCRIPT, ['up', '--name', name, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 30 * 60_000,
  });
  const state = path.join(REPO_ROOT, '.gitea', name);
  const token = fs.readFileSync(path.join(state, 'token'), 'utf8').trim();
  const host = `127.0.0.1:${port}`;
  const baseUrl = `http://${host}`;
  const owner = OWNER;

  async function api(method, route, body) {
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
    async createRepository(repo, files) {
      await api('DELETE', `/repos/${owner}/${repo}`);
      await api('POST', '/user/repos', {
        name: repo,
        auto_init: true,
        default_branch: 'main',
        private: true,
      });
      await api('POST', `/repos/${owner}/${repo}/contents`, {
        branch: 'main',
        message: 'Add manifests',
        files: Object.entries(files).map(([file, content]) => ({
          operation: 'create',
          path: file,
          content: Buffer.from(content).toString('base64'),
        })),
      });
    },
    deleteRepository: repo => api('DELETE', `/repos/${owner}/${repo}`),
    pulls: repo => api('GET', `/repos/${owner}/${repo}/pulls?state=all`),
    branches: async repo =>
      (await api('GET', `/repos/${owner}/${repo}/branches`)).map(b => b.name),
    /** A pull request's diff, as Gitea gives it. */
    diff: (repo, pull) =>
      api('GET', `/repos/${owner}/${repo}/pulls/${pull}.diff`),
  };
}

module.exports = { connectGitHost };
