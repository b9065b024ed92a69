import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import {
  CrossplaneObjectId,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '@platformops/plugin-crossplane-node';
import { GitHost } from './GitHost';
import { GitOpsPullRequests, gitHostsFromConfig } from './GitOpsPullRequests';
import { GitOpsRepositories } from './GitOpsRepositories';
import { GiteaHost } from './GiteaHost';
import { GithubHost } from './GithubHost';

const id: CrossplaneObjectId = {
  cluster: 'itest',
  group: 'platform.example.org',
  version: 'v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'orders',
};
const host = {} as GitHost;

function pullRequests(hosts = (_: unknown) => host as GitHost | undefined) {
  return new GitOpsPullRequests({
    repositories: GitOpsRepositories.fromConfig(
      new ConfigReader({
        crossplane: {
          gitops: { repositories: ['git.example.com/acme/infra'] },
        },
      }),
    ),
    hosts,
  });
}

/** The object as the cluster has it, with what delivers it. */
function delivered(
  annotations: Record<string, string>,
  labels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: 'team-a', annotations, labels },
  };
}

function source(repoUrl: string, path?: string): KubernetesObject {
  return delivered({
    'platformops.io/source-repo': repoUrl,
    ...(path ? { 'platformops.io/source-path': path } : {}),
  });
}

/** A cluster with these objects (Applications, Kustomizations, ...). */
function clusterWith(...objects: KubernetesObject[]): ClusterClient {
  return {
    get: async (locator: { kind: string; namespace?: string; name: string }) =>
      objects.find(
        o =>
          o.kind === locator.kind &&
          o.metadata.namespace === locator.namespace &&
          o.metadata.name === locator.name,
      ),
  } as unknown as ClusterClient;
}
const noCluster = clusterWith();

describe('GitOpsPullRequests.fileOf', () => {
  it('gives the file of an allowed repository', async () => {
    expect(
      await pullRequests().fileOf(
        noCluster,
        id,
        source('git.example.com?owner=acme&repo=infra', 'clusters/db.yaml'),
      ),
    ).toEqual({
      id,
      deliveredBy:
        'pull request delivery from git.example.com?owner=acme&repo=infra',
      places: [
        {
          repo: { host: 'git.example.com', owner: 'acme', repo: 'infra' },
          path: 'clusters/db.yaml',
          host,
        },
      ],
      namespace: {},
    });
  });

  it('gives nothing for an object Git does not deliver', async () => {
    expect(
      await pullRequests().fileOf(noCluster, id, delivered({})),
    ).toBeUndefined();
  });

  it.each([
    [
      'https://git.example.com/evil/infra',
      'clusters/db.yaml',
      'git.example.com/evil/infra is not among the repositories',
    ],
    [
      'git.example.com/acme/infra',
      'db.yaml',
      'platformops.io/source-repo "git.example.com/acme/infra" is not',
    ],
    [
      'https://git.example.com/acme/infra',
      '../../etc/db.yaml',
      'source-path must not hold empty, "." or ".." segments',
    ],
    ['https://git.example.com/acme/infra', undefined, 'source-path is not set'],
  ])('refuses %s %s with a 409', async (repoUrl, path, reason) => {
    const refusal = pullRequests()
      .fileOf(noCluster, id, source(repoUrl, path))
      .catch(e => e);
    await expect(refusal).resolves.toBeInstanceOf(ConflictError);
    expect((await refusal).message).toContain(
      'Database.platform.example.org team-a/orders in cluster itest is delivered through Git',
    );
    expect((await refusal).message).toContain(reason);
  });

  it('refuses a host without an integration', async () => {
    await expect(
      pullRequests(() => undefined).fileOf(
        noCluster,
        id,
        source('https://git.example.com/acme/infra', 'db.yaml'),
      ),
    ).rejects.toThrow('no Gitea or GitHub integration for git.example.com');
  });
});

describe('gitHostsFromConfig', () => {
  it("picks the host's API from Backstage's integrations", () => {
    const hosts = gitHostsFromConfig(
      new ConfigReader({
        integrations: {
          gitea: [
            {
              host: '127.0.0.1:3310',
              baseUrl: 'http://127.0.0.1:3310',
              username: 'platformops',
              password: 'x',
            },
          ],
        },
      }),
    );
    const repo = (h: string) => ({ host: h, owner: 'a', repo: 'b' });
    expect(hosts(repo('127.0.0.1:3310'))).toBeInstanceOf(GiteaHost);
    expect(hosts(repo('github.com'))).toBeInstanceOf(GithubHost);
    expect(hosts(repo('gitlab.com'))).toBeUndefined();
  });
});

describe('GitOpsPullRequests.proposeEdit and proposeDeletion', () => {
  const FILE = `apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: orders
  namespace: team-a
  annotations:
    platformops.io/source-cluster: itest
spec:
  parameters:
    size: small
`;
  const object = (size: string) => ({
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: 'team-a' },
    spec: { parameters: { size } },
  });

  async function fakeHost(content = FILE) {
    const proposed: any[] = [];
    const fake: GitHost = {
      defaultBranch: async () => 'trunk',
      hasBranch: async () => false,
      listFiles: async () => [],
      readFile: async (_repo, path, ref) =>
        path === 'clusters/db.yaml' && ref === 'trunk'
          ? { content, sha: 'blob1' }
          : undefined,
      proposeFileChange: async change => {
        proposed.push(change);
        return { url: 'https://git/pr/1', number: 1, branch: change.branch };
      },
    };
    const file = (await pullRequests(() => fake).fileOf(
      noCluster,
      id,
      source('git.example.com?owner=acme&repo=infra', 'clusters/db.yaml'),
    ))!;
    return { file, proposed };
  }

  it('proposes the file with the changed field, on a new branch from the default one', async () => {
    const { file, proposed } = await fakeHost();
    const pull = await pullRequests().proposeEdit(file, {
      before: object('small'),
      after: object('large'),
      diff: '-size: small\n+size: large',
      actor: 'user:default/alice',
    });
    expect(pull.url).toBe('https://git/pr/1');
    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toMatchObject({
      base: 'trunk',
      path: 'clusters/db.yaml',
      sha: 'blob1',
      content: FILE.replace('size: small', 'size: large'),
      title:
        'Edit Database.platform.example.org team-a/orders in cluster itest',
    });
    expect(proposed[0].branch).toMatch(
      /^platformops\/edit-itest-team-a-orders-[a-z0-9]+$/,
    );
    expect(proposed[0].body).toContain('user:default/alice');
    expect(proposed[0].body).toContain('+size: large');
  });

  it('opens nothing when the file already holds the values, or is missing', async () => {
    const already = await fakeHost(FILE.replace('size: small', 'size: large'));
    await expect(
      pullRequests().proposeEdit(already.file, {
        before: object('small'),
        after: object('large'),
        diff: '',
        actor: 'user:default/alice',
      }),
    ).rejects.toThrow('already holds these values');
    expect(already.proposed).toEqual([]);

    const missing = await fakeHost();
    await expect(
      pullRequests().proposeDeletion(
        {
          ...missing.file,
          places: [{ ...missing.file.places[0], path: 'clusters/other.yaml' }],
        },
        { actor: 'user:default/alice' },
      ),
    ).rejects.toThrow(
      'clusters/other.yaml in its repository does not hold Database.platform.example.org team-a/orders in cluster itest',
    );
    expect(missing.proposed).toEqual([]);
  });

  it('proposes removing the file, only when it holds the object', async () => {
    const { file, proposed } = await fakeHost();
    await pullRequests().proposeDeletion(file, { actor: 'user:default/bob' });
    expect(proposed[0]).toMatchObject({
      path: 'clusters/db.yaml',
      sha: 'blob1',
    });
    expect(proposed[0].content).toBeUndefined();
    expect(proposed[0].branch).toMatch(
      /^platformops\/delete-itest-team-a-orders-/,
    );

    const other = await fakeHost(
      FILE.replace('name: orders', 'name: payments'),
    );
    await expect(
      pullRequests().proposeDeletion(other.file, { actor: 'user:default/bob' }),
    ).rejects.toThrow('does not hold');
    expect(other.proposed).toEqual([]);
  });
});

describe('objects Argo CD and Flux deliver', () => {
  const DOC = (name: string, namespace?: string, size = 'small') =>
    `apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: ${name}${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  parameters:
    size: ${size} # keep
`;
  const resource = (
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
  ): KubernetesObject => ({
    apiVersion,
    kind,
    metadata: { name, namespace },
    spec,
  });
  const application = (spec: Record<string, unknown>) =>
    resource('argoproj.io/v1alpha1', 'Application', 'argocd', 'db', spec);
  const argoTracked = delivered({
    'argocd.argoproj.io/tracking-id':
      'db:platform.example.org/Database:team-a/orders',
  });
  const object = (size: string) => ({
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: 'team-a' },
    spec: { parameters: { size } },
  });

  /** A repository with these files on `main` (default) and `deploy`. */
  function repository(files: Record<string, string>) {
    const proposed: any[] = [];
    const fake: GitHost = {
      defaultBranch: async () => 'main',
      hasBranch: async (_repo, name) => ['main', 'deploy'].includes(name),
      listFiles: async (_repo, folder, _ref, recursive) =>
        Object.keys(files).filter(path => {
          const rest = folder ? path.slice(folder.length + 1) : path;
          return (
            (!folder || path.startsWith(`${folder}/`)) &&
            (recursive || !rest.includes('/'))
          );
        }),
      readFile: async (_repo, path) =>
        files[path] === undefined
          ? undefined
          : { content: files[path], sha: `sha-${path}` },
      proposeFileChange: async change => {
        proposed.push(change);
        return { url: 'https://git/pr/7', number: 7, branch: change.branch };
      },
    };
    return { hosts: () => fake, proposed };
  }

  it('patches only the document of an Argo CD-tracked object, on the branch the application follows', async () => {
    const git = repository({
      'apps/db.yaml': `# team-a databases\n${DOC('payments')}---\n${DOC(
        'orders',
      )}`,
      'apps/nested/orders.yaml': DOC('orders', 'team-a'),
    });
    const cluster = clusterWith(
      application({
        source: {
          repoURL: 'https://git.example.com/acme/infra.git',
          targetRevision: 'deploy',
          path: './apps',
        },
        destination: { namespace: 'team-a' },
      }),
    );
    const prs = pullRequests(git.hosts);
    const file = (await prs.fileOf(cluster, id, argoTracked))!;
    await prs.proposeEdit(file, {
      before: object('small'),
      after: object('large'),
      diff: '',
      actor: 'user:default/alice',
    });
    // Not recursive: apps/nested is not what Argo CD applies.
    expect(git.proposed[0]).toMatchObject({
      base: 'deploy',
      path: 'apps/db.yaml',
      sha: 'sha-apps/db.yaml',
      content: `# team-a databases\n${DOC('payments')}---\n${DOC(
        'orders',
        undefined,
        'large',
      )}`,
    });
  });

  it('removes only the document of a Flux-delivered object, or the file it is alone in', async () => {
    const git = repository({
      'clusters/prod/dbs.yaml': `${DOC('orders', 'elsewhere')}---\n${DOC(
        'payments',
      )}`,
      'clusters/prod/other.yaml': DOC('orders', 'team-b'),
    });
    const cluster = clusterWith(
      resource(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        'flux-system',
        'apps',
        {
          path: './clusters/prod',
          targetNamespace: 'team-a',
          sourceRef: { kind: 'GitRepository', name: 'infra' },
        },
      ),
      resource(
        'source.toolkit.fluxcd.io/v1',
        'GitRepository',
        'flux-system',
        'infra',
        { url: 'https://git.example.com/acme/infra', ref: { tag: 'v1' } },
      ),
    );
    const flux = delivered(
      {},
      {
        'kustomize.toolkit.fluxcd.io/name': 'apps',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
    );
    const prs = pullRequests(git.hosts);
    const file = (await prs.fileOf(cluster, id, flux))!;
    // targetNamespace overrides every document's: only one declares it.
    await expect(
      prs.proposeDeletion(file, { actor: 'user:default/alice' }),
    ).rejects.toThrow('2 documents declare');

    const alone = repository({
      'clusters/prod/a/orders.yaml': DOC('orders'),
      'clusters/prod/b/payments.yaml': DOC('payments'),
    });
    const one = pullRequests(alone.hosts);
    await one.proposeDeletion((await one.fileOf(cluster, id, flux))!, {
      actor: 'user:default/alice',
    });
    // A tag is no branch: the default branch.
    expect(alone.proposed[0]).toMatchObject({
      base: 'main',
      path: 'clusters/prod/a/orders.yaml',
    });
    expect(alone.proposed[0].content).toBeUndefined();
  });

  it('refuses a tracking id naming another object, a HelmRelease, and a search finding nothing', async () => {
    const prs = pullRequests(repository({ 'apps/x.yaml': DOC('x') }).hosts);
    const copied = delivered({
      'argocd.argoproj.io/tracking-id':
        'db:platform.example.org/Database:team-b/orders',
    });
    await expect(prs.fileOf(noCluster, id, copied)).rejects.toThrow(
      'its argocd.argoproj.io/tracking-id names Database.platform.example.org team-b/orders, not this object',
    );
    const helm = delivered({}, { 'helm.toolkit.fluxcd.io/name': 'db' });
    await expect(prs.fileOf(noCluster, id, helm)).rejects.toThrow(
      'a Flux HelmRelease renders it from a Helm chart and its values',
    );
    await expect(prs.fileOf(noCluster, id, argoTracked)).rejects.toThrow(
      'Argo CD application argocd/db is not in the cluster',
    );
    const cluster = clusterWith(
      application({
        sources: [
          { repoURL: 'https://git.example.com/acme/infra', path: 'apps' },
        ],
      }),
    );
    const file = (await prs.fileOf(cluster, id, argoTracked))!;
    await expect(
      prs.proposeDeletion(file, { actor: 'user:default/alice' }),
    ).rejects.toThrow(
      'no file declares Database.platform.example.org team-a/orders in cluster itest where Argo CD application db takes it from: searched git.example.com/acme/infra apps/*.yaml (branch main, 1 files)',
    );
  });

  it("refuses an application or Kustomization that deploys to another cluster: its files are that cluster's objects", async () => {
    const prs = pullRequests(
      repository({ 'apps/x.yaml': DOC('orders') }).hosts,
    );
    const appSource = {
      repoURL: 'https://git.example.com/acme/infra',
      path: 'apps',
    };
    for (const destination of [
      { server: 'https://prod.example.com:6443' },
      { name: 'prod' },
    ]) {
      await expect(
        prs.fileOf(
          clusterWith(application({ source: appSource, destination })),
          id,
          argoTracked,
        ),
      ).rejects.toThrow(
        'Argo CD application argocd/db deploys to another cluster',
      );
    }
    for (const destination of [
      { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
      { name: 'in-cluster' },
      {},
    ]) {
      await expect(
        prs.fileOf(
          clusterWith(application({ source: appSource, destination })),
          id,
          argoTracked,
        ),
      ).resolves.toBeDefined();
    }
    const remote = clusterWith(
      resource(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        'flux-system',
        'apps',
        {
          path: './apps',
          kubeConfig: { secretRef: { name: 'prod-kubeconfig' } },
          sourceRef: { kind: 'GitRepository', name: 'infra' },
        },
      ),
    );
    const flux = delivered(
      {},
      {
        'kustomize.toolkit.fluxcd.io/name': 'apps',
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
    );
    await expect(prs.fileOf(remote, id, flux)).rejects.toThrow(
      'Flux Kustomization flux-system/apps applies to another cluster (spec.kubeConfig)',
    );
  });

  it("reads no Kustomization of another tenant's namespace that an object's labels name", async () => {
    const kustomization = (namespace: string) =>
      resource(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        namespace,
        'apps',
        {
          path: './apps',
          sourceRef: { kind: 'GitRepository', name: 'private' },
        },
      );
    const labelled = (namespace: string) =>
      delivered(
        {},
        {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': namespace,
        },
      );
    const prs = pullRequests();
    // team-b's Kustomization exists; the refusal says nothing of it, as of
    // one that does not exist.
    const refusals = await Promise.all(
      [clusterWith(kustomization('team-b')), clusterWith()].map(cluster =>
        prs.fileOf(cluster, id, labelled('team-b')).catch(e => e.message),
      ),
    );
    expect(refusals[0]).toBe(refusals[1]);
    expect(refusals[0]).toContain(
      "another namespace than the object's and not among those the portal reads (crossplane.gitops.flux.namespaces: flux-system)",
    );
    expect(refusals[0]).not.toContain('private');
    // The object's own namespace is read (a tenant's own Kustomization).
    await expect(
      prs.fileOf(clusterWith(kustomization('team-a')), id, labelled('team-a')),
    ).rejects.toThrow('Flux GitRepository team-a/private');
  });
});
