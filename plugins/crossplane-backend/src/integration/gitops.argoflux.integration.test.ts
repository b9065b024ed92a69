/*
 * Edit and Delete of objects Argo CD or Flux deliver, on a real Git host
 * (tools/gitea), a real control plane (itest3, Crossplane v2) and the real
 * portal backend with real auth and the real permission backend.
 *
 * No Argo CD or Flux controller runs: the pull-request path reads only
 * their objects. The test applies their kinds (minimal structural CRDs,
 * __fixtures__/gitOpsToolCrds.ts, where the cluster has none), the
 * portal's read role of them (deploy/rbac/portal-read-gitops.yaml), an
 * Application and a Kustomization with its GitRepository naming folders
 * of an allowed repository, and the AppDatabases as the tools' sync
 * applies them (tracking annotation, Flux labels). Edit and Delete then
 * open pull requests changing or removing only the object's document, and
 * write nothing to the cluster. A tracking id naming another object, an
 * Application of a repository outside crossplane.gitops.repositories and a
 * HelmRelease's object are refused (409) and write nothing, in the cluster
 * or in Git.
 *
 * Everything the test makes is named `argoflux-*` (the namespaces of the
 * tools' objects too) and removed at the end; the tools' kinds and the
 * role stay, shared with other test files (__testUtils__/gitOpsTools.ts).
 */
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { parse } from 'yaml';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { waitUntilNotDeleting } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST3 } from '../__testUtils__/controlPlane';
import { ensureGitOpsTools } from '../__testUtils__/gitOpsTools';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { connectGitHost } from '../__testUtils__/localGitHost';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(900_000);

const ALICE = 'user:default/alice';
const policyModule = teamNamespacePolicy({
  moduleId: 'argoflux-test-policy',
  namespaces: { [ALICE]: ['team-alpha'] },
});

const NAMESPACE = 'team-alpha';
const ARGO_NS = 'argoflux-argocd';
const FLUX_NS = 'argoflux-flux';
const REPO = 'argoflux-itest-apps';
const OUTSIDE_REPO = 'argoflux-itest-outside';
/** The branch the Application follows (not the repository's default). */
const ARGO_BRANCH = 'argoflux-deploy';
const SYNC_MANAGER = 'argoflux-test-sync';

const db = (name: string) => ({
  apiVersion: 'apps.platformops.io/v1alpha1',
  kind: 'AppDatabase',
  namespace: NAMESPACE,
  name,
});
type Db = ReturnType<typeof db>;
const ARGO_DB = db('argoflux-argo-db');
const ARGO_OTHER = db('argoflux-argo-other');
const COPIED = db('argoflux-argo-copied');
const OUTSIDE = db('argoflux-argo-outside');
const FLUX_DB = db('argoflux-flux-db');
const HELM_DB = db('argoflux-helm-db');
const ALL = [ARGO_DB, ARGO_OTHER, COPIED, OUTSIDE, FLUX_DB, HELM_DB];

/** A document as a team writes it; the namespace left to the tool. */
const document = (
  o: Db,
  storageGB: number,
  namespace = false,
) => `apiVersion: ${o.apiVersion}
kind: ${o.kind}
metadata:
  name: ${o.name}${namespace ? `\n  namespace: ${o.namespace}` : ''}
spec:
  parameters:
    engine: postgres
    storageGB: ${storageGB} # team quota: 1000
`;

const FILES = {
  // Argo CD's folder (not recursive): two databases in one file.
  'argo/databases.yaml': `# team-alpha's databases\n${document(
    ARGO_DB,
    20,
  )}---\n${document(ARGO_OTHER, 30, true)}`,
  // Not what the Application applies: a subfolder.
  'argo/drafts/databases.yaml': document(ARGO_DB, 99, true),
  // Flux's folder: one file per database.
  'flux/apps/db.yaml': document(FLUX_DB, 40),
};

/** Where an object of the test's own is, for get and delete. */
const locatorOf = (o: KubernetesObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});

const trackingId = (app: string, o: Db) =>
  `${app}:apps.platformops.io/${o.kind}:${o.namespace}/${o.name}`;

describe('Edit and Delete of objects Argo CD and Flux deliver', () => {
  const git = connectGitHost();
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();

  const gitUrl = (repo: string) => `${git.baseUrl}/${git.owner}/${repo}.git`;
  const toolObjects: KubernetesObject[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'argoflux-db', namespace: ARGO_NS },
      spec: {
        project: 'default',
        source: {
          repoURL: gitUrl(REPO),
          targetRevision: ARGO_BRANCH,
          path: 'argo',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: NAMESPACE,
        },
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'argoflux-outside', namespace: ARGO_NS },
      spec: {
        project: 'default',
        source: { repoURL: gitUrl(OUTSIDE_REPO), path: 'argo' },
        destination: { namespace: NAMESPACE },
      },
    },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'argoflux-repo', namespace: FLUX_NS },
      spec: {
        url: `${git.baseUrl}/${git.owner}/${REPO}`,
        ref: { branch: 'main' },
        interval: '1m',
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'argoflux-apps', namespace: FLUX_NS },
      spec: {
        path: './flux',
        prune: true,
        interval: '10m',
        targetNamespace: NAMESPACE,
        sourceRef: { kind: 'GitRepository', name: 'argoflux-repo' },
      },
    },
  ];

  /** The object as the tool's sync applies it. */
  const synced = (
    o: Db,
    storageGB: number,
    metadata: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    },
  ): KubernetesObject => {
    const manifest = parse(document(o, storageGB, true)) as KubernetesObject;
    return { ...manifest, metadata: { ...manifest.metadata, ...metadata } };
  };

  const post = async (route: string, body: object) => {
    const reply = await api.post(ALICE, `crossplane/${route}`, {
      cluster: ITEST3.name,
      ...body,
    });
    return { status: reply.status, body: reply.body };
  };
  const formParameters = async (o: Db) => {
    const reply = await api.get(
      ALICE,
      `crossplane/edit?${new URLSearchParams({ cluster: ITEST3.name, ...o })}`,
    );
    expect(reply.status).toBe(200);
    return reply.body.values.parameters as Record<string, unknown>;
  };
  const edit = async (o: Db, storageGB: number) =>
    post('edit', {
      ...o,
      values: { parameters: { ...(await formParameters(o)), storageGB } },
    });
  /** What the portal could have written: the spec and its field managers. */
  const written = async (o: Db) => {
    const object = await admin.get(o);
    if (!object) throw new Error(`${o.name} is gone`);
    return {
      spec: object.spec,
      managers: (
        (object.metadata.managedFields ?? []) as Array<{ manager?: string }>
      ).map(f => f.manager),
      deleting: Boolean(object.metadata.deletionTimestamp),
    };
  };
  /** Everything in Git a refusal must leave alone. */
  const gitState = async () => ({
    pulls: (await git.pulls(REPO)).length,
    branches: await git.branches(REPO),
    outsidePulls: (await git.pulls(OUTSIDE_REPO)).length,
    outsideBranches: await git.branches(OUTSIDE_REPO),
  });
  const pullTitled = async (title: string) => {
    const pull = (await git.pulls(REPO)).find(p => p.title === title);
    if (!pull) throw new Error(`no pull request "${title}"`);
    return pull;
  };
  /** The lines a pull request adds or removes. */
  const changedLines = (diff: string) =>
    diff.split('\n').filter(line => /^[-+](?![-+]{2} )/.test(line));

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST3);
    admin = cp.admin;
    await ensureGitOpsTools(admin);
    // An earlier run's namespaces and databases may still be on their way out.
    for (const name of [ARGO_NS, FLUX_NS]) {
      await waitUntilNotDeleting(admin, {
        apiVersion: 'v1',
        kind: 'Namespace',
        name,
      });
    }
    for (const o of ALL) await waitUntilNotDeleting(admin, o);
    for (const name of [ARGO_NS, FLUX_NS]) {
      await admin.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager: SYNC_MANAGER },
      );
    }
    for (const object of toolObjects) {
      await admin.apply(object, { fieldManager: SYNC_MANAGER, force: true });
    }

    for (const repo of [REPO, OUTSIDE_REPO]) {
      await git.deleteRepository(repo).catch(() => undefined);
    }
    await git.createRepository(REPO, FILES);
    await git.api('POST', `/repos/${git.owner}/${REPO}/branches`, {
      new_branch_name: ARGO_BRANCH,
      old_branch_name: 'main',
    });
    await git.createRepository(OUTSIDE_REPO, {
      'argo/outside.yaml': document(OUTSIDE, 20),
    });

    // The tools' sync: the documents, with what each tool marks them with.
    const argo = (app: string, o: Db = ARGO_DB) => ({
      annotations: { 'argocd.argoproj.io/tracking-id': trackingId(app, o) },
    });
    const fluxLabels = {
      'kustomize.toolkit.fluxcd.io/name': 'argoflux-apps',
      'kustomize.toolkit.fluxcd.io/namespace': FLUX_NS,
    };
    for (const object of [
      synced(ARGO_DB, 20, argo(`${ARGO_NS}_argoflux-db`)),
      synced(ARGO_OTHER, 30, argo(`${ARGO_NS}_argoflux-db`, ARGO_OTHER)),
      // A copied tracking id: it names argoflux-argo-other.
      synced(COPIED, 30, argo(`${ARGO_NS}_argoflux-db`, ARGO_OTHER)),
      // An application without a namespace lives in the first configured.
      synced(OUTSIDE, 20, argo('argoflux-outside', OUTSIDE)),
      synced(FLUX_DB, 40, { labels: fluxLabels }),
      synced(HELM_DB, 50, {
        labels: {
          'helm.toolkit.fluxcd.io/name': 'argoflux-db',
          'helm.toolkit.fluxcd.io/namespace': FLUX_NS,
        },
      }),
    ]) {
      await admin.apply(object, { fieldManager: SYNC_MANAGER, force: true });
    }

    ({ stop } = await startPortalBackend({
      name: 'argoflux',
      cluster: cp.backstageCluster,
      entities: [],
      policy: policyModule,
      identity,
      features: [log.factory],
      config: {
        integrations: { gitea: [git.integration] },
        crossplane: {
          gitops: {
            repositories: [`${git.host}/${git.owner}/${REPO}`],
            argocd: { namespaces: [ARGO_NS] },
            flux: { namespaces: [FLUX_NS] },
          },
        },
      },
    }).then(started => {
      api = portalClient({ port: started.backend.server.port(), identity });
      return started;
    }));
    await api.waitForSync(ALICE);
  });

  afterAll(async () => {
    await stop?.();
    for (const o of ALL) await admin.delete(o).catch(() => undefined);
    for (const object of toolObjects) {
      await admin.delete(locatorOf(object)).catch(() => undefined);
    }
    for (const name of [ARGO_NS, FLUX_NS]) {
      await admin
        .delete({ apiVersion: 'v1', kind: 'Namespace', name })
        .catch(() => undefined);
    }
    for (const repo of [REPO, OUTSIDE_REPO]) {
      await git.deleteRepository(repo).catch(() => undefined);
    }
  });

  it('says Edit and Delete of an Argo CD-tracked object open a pull request', async () => {
    const capabilities = await waitFor('the object in the cache', async () => {
      const reply = await api.get(
        ALICE,
        `crossplane/capabilities?${new URLSearchParams({
          cluster: ITEST3.name,
          ...ARGO_DB,
        })}`,
      );
      return reply.status === 200 ? reply.body : undefined;
    });
    expect(capabilities.edit).toEqual({ allowed: true, pullRequest: true });
    expect(capabilities.delete).toEqual({ allowed: true, pullRequest: true });
  });

  it('Argo CD: Edit opens a pull request on the branch the application follows, changing only its document', async () => {
    const before = await written(ARGO_DB);
    const res = await edit(ARGO_DB, 25);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      changed: true,
      applied: false,
      conflicts: [],
      gitOps: { tool: 'argocd' },
      pullRequest: { url: expect.stringContaining(`/${REPO}/pulls/`) },
    });
    const pull = await pullTitled(
      `Edit AppDatabase.apps.platformops.io ${NAMESPACE}/${ARGO_DB.name} in cluster itest3`,
    );
    const detail = await git.api(
      'GET',
      `/repos/${git.owner}/${REPO}/pulls/${pull.number}`,
    );
    expect(detail.base.ref).toBe(ARGO_BRANCH);
    const diff = await git.diff(REPO, pull.number);
    expect(diff).toContain('+++ b/argo/databases.yaml');
    expect(diff).not.toContain('drafts');
    expect(changedLines(diff)).toEqual([
      '-    storageGB: 20 # team quota: 1000',
      '+    storageGB: 25 # team quota: 1000',
    ]);
    expect(await written(ARGO_DB)).toEqual(before);
  });

  it('Argo CD: Delete opens a pull request removing its document only', async () => {
    const before = await written(ARGO_DB);
    const res = await post('delete', { ...ARGO_DB, confirm: ARGO_DB.name });
    expect(res.status).toBe(202);
    expect(res.body.pullRequest.url).toContain(`/${REPO}/pulls/`);
    const pull = await pullTitled(
      `Delete AppDatabase.apps.platformops.io ${NAMESPACE}/${ARGO_DB.name} in cluster itest3`,
    );
    const diff = await git.diff(REPO, pull.number);
    expect(diff).not.toContain('deleted file mode');
    expect(changedLines(diff)).toEqual(
      document(ARGO_DB, 20)
        .trimEnd()
        .split('\n')
        .map(line => `-${line}`),
    );
    // The file keeps its head comment and the other database, whole.
    const detail = await git.api(
      'GET',
      `/repos/${git.owner}/${REPO}/pulls/${pull.number}`,
    );
    const proposed = await git.api(
      'GET',
      `/repos/${git.owner}/${REPO}/raw/argo/databases.yaml?ref=${detail.head.ref}`,
    );
    expect(proposed).toBe(
      `# team-alpha's databases\n---\n${document(ARGO_OTHER, 30, true)}`,
    );
    expect(await written(ARGO_DB)).toEqual(before);
  });

  it('Flux: Edit and Delete open pull requests on the Kustomization path of its GitRepository', async () => {
    const before = await written(FLUX_DB);
    const res = await edit(FLUX_DB, 45);
    expect(res.status).toBe(200);
    expect(res.body.gitOps).toMatchObject({ tool: 'flux' });
    const editPull = await pullTitled(
      `Edit AppDatabase.apps.platformops.io ${NAMESPACE}/${FLUX_DB.name} in cluster itest3`,
    );
    expect(changedLines(await git.diff(REPO, editPull.number))).toEqual([
      '-    storageGB: 40 # team quota: 1000',
      '+    storageGB: 45 # team quota: 1000',
    ]);

    const del = await post('delete', { ...FLUX_DB, confirm: FLUX_DB.name });
    expect(del.status).toBe(202);
    const deletePull = await pullTitled(
      `Delete AppDatabase.apps.platformops.io ${NAMESPACE}/${FLUX_DB.name} in cluster itest3`,
    );
    const diff = await git.diff(REPO, deletePull.number);
    // Its only document: the file goes.
    expect(diff).toContain('deleted file mode');
    expect(diff).toContain('--- a/flux/apps/db.yaml');
    expect(await written(FLUX_DB)).toEqual(before);
  });

  it.each([
    [
      'a tracking id naming another object',
      COPIED,
      `its argocd.argoproj.io/tracking-id names AppDatabase.apps.platformops.io ${NAMESPACE}/${ARGO_OTHER.name}, not this object`,
    ],
    [
      'an application of a repository outside crossplane.gitops.repositories',
      OUTSIDE,
      `${git.host}/${git.owner}/${OUTSIDE_REPO} is not among the repositories the portal opens pull requests to`,
    ],
    [
      "a HelmRelease's object",
      HELM_DB,
      'a Flux HelmRelease renders it from a Helm chart and its values: no file in Git declares it',
    ],
  ])(
    'refuses %s: 409, nothing written in the cluster or Git',
    async (_, o, reason) => {
      const cluster = await written(o);
      const inGit = await gitState();
      const res = await edit(o, 35);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(reason);
      expect(res.body.error.message).toContain('is delivered through Git by');
      const del = await post('delete', { ...o, confirm: o.name });
      expect(del.status).toBe(409);
      expect(del.body.error.message).toContain(reason);
      expect(await gitState()).toEqual(inGit);
      expect(await written(o)).toEqual(cluster);
    },
  );
});
