import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { GithubCredentialsProvider } from '@backstage/integration';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GithubHost } from './GithubHost';

// A stand-in for GitHub's REST API: no GitHub is reachable from the tests,
// Gitea's side is tested against a real Gitea (gitops.integration.test.ts).
interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body?: any;
}

async function fakeGithub(
  answer: (seen: Seen) => { status: number; body?: unknown },
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', chunk => (text += chunk));
    req.on('end', () => {
      const request: Seen = {
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        ...(text ? { body: JSON.parse(text) } : {}),
      };
      seen.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    seen,
    apiBaseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const credentials: GithubCredentialsProvider = {
  getCredentials: async () => ({
    type: 'token',
    token: 'secret-token',
    headers: { Authorization: 'Bearer secret-token' },
  }),
};

const repo = { host: 'github.com', owner: 'acme', repo: 'infra' };

function github(answers: Record<string, { status: number; body?: unknown }>) {
  return fakeGithub(
    ({ method, url }) =>
      answers[`${method} ${url}`] ?? { status: 500, body: { message: 'no' } },
  );
}

describe('GithubHost', () => {
  it('reads the default branch and a file', async () => {
    const api = await github({
      'GET /repos/acme/infra': {
        status: 200,
        body: { default_branch: 'trunk' },
      },
      'GET /repos/acme/infra/contents/clusters/a%20b/db.yaml?ref=trunk': {
        status: 200,
        body: {
          type: 'file',
          sha: 'blob1',
          content: Buffer.from('kind: Database\n').toString('base64'),
        },
      },
      'GET /repos/acme/infra/contents/missing.yaml?ref=trunk': { status: 404 },
    });
    try {
      const host = new GithubHost(
        { host: 'github.com', apiBaseUrl: api.apiBaseUrl },
        credentials,
      );
      expect(await host.defaultBranch(repo)).toBe('trunk');
      expect(
        await host.readFile(repo, 'clusters/a b/db.yaml', 'trunk'),
      ).toEqual({ content: 'kind: Database\n', sha: 'blob1' });
      expect(
        await host.readFile(repo, 'missing.yaml', 'trunk'),
      ).toBeUndefined();
      expect(
        api.seen.every(s => s.authorization === 'Bearer secret-token'),
      ).toBe(true);
    } finally {
      await api.close();
    }
  });

  it.each([
    ['a change', 'kind: Database\nspec: {}\n', 'PUT'],
    ['a deletion', undefined, 'DELETE'],
  ])(
    'opens a pull request for %s: branch from the base, commit, pull',
    async (_what, content, method) => {
      const api = await github({
        'GET /repos/acme/infra/git/ref/heads/main': {
          status: 200,
          body: { object: { sha: 'head1' } },
        },
        'POST /repos/acme/infra/git/refs': { status: 201, body: {} },
        [`${method} /repos/acme/infra/contents/clusters/db.yaml`]: {
          status: 200,
          body: {},
        },
        'POST /repos/acme/infra/pulls': {
          status: 201,
          body: { html_url: 'https://github.com/acme/infra/pull/7', number: 7 },
        },
      });
      try {
        const host = new GithubHost(
          { host: 'github.com', apiBaseUrl: api.apiBaseUrl },
          credentials,
        );
        const pull = await host.proposeFileChange({
          repo,
          base: 'main',
          branch: 'platformops/edit-db',
          path: 'clusters/db.yaml',
          content,
          sha: 'blob1',
          message: 'Edit db',
          title: 'Edit db',
          body: 'why',
        });
        expect(pull).toEqual({
          url: 'https://github.com/acme/infra/pull/7',
          number: 7,
          branch: 'platformops/edit-db',
        });
        expect(api.seen.map(s => `${s.method} ${s.url}`)).toEqual([
          'GET /repos/acme/infra/git/ref/heads/main',
          'POST /repos/acme/infra/git/refs',
          `${method} /repos/acme/infra/contents/clusters/db.yaml`,
          'POST /repos/acme/infra/pulls',
        ]);
        expect(api.seen[1].body).toEqual({
          ref: 'refs/heads/platformops/edit-db',
          sha: 'head1',
        });
        expect(api.seen[2].body).toEqual({
          branch: 'platformops/edit-db',
          sha: 'blob1',
          message: 'Edit db',
          ...(content
            ? { content: Buffer.from(content).toString('base64') }
            : {}),
        });
        expect(api.seen[3].body).toEqual({
          base: 'main',
          head: 'platformops/edit-db',
          title: 'Edit db',
          body: 'why',
        });
      } finally {
        await api.close();
      }
    },
  );

  it("says which step the host refused, never the token; a missing repository is the object's", async () => {
    const api = await fakeGithub(({ url }) =>
      url === '/repos/acme/gone'
        ? { status: 404, body: { message: 'Not Found' } }
        : { status: 403, body: { message: 'Resource not accessible' } },
    );
    try {
      const host = new GithubHost(
        { host: 'github.com', apiBaseUrl: api.apiBaseUrl },
        credentials,
      );
      const refused = host.defaultBranch(repo);
      await expect(refused).rejects.toThrow(ServiceUnavailableError);
      await expect(refused).rejects.toThrow(
        'github.com answered 403 to reading the repository: Resource not accessible',
      );
      await expect(refused).rejects.not.toThrow(/secret-token/);
      await expect(
        host.defaultBranch({ ...repo, repo: 'gone' }),
      ).rejects.toThrow(ConflictError);
    } finally {
      await api.close();
    }
  });
});
