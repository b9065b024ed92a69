/*
 * The pull-request path of objects delivered through Git, and the following
 * of a deletion, as a hostile user tries them, behind real auth and the real
 * permission backend, on the local control plane (itest, Crossplane v1) and
 * the local Git host (tools/gitea).
 *
 * Users (the test's policy; everything but crossplane.* allowed):
 * - alice: crossplane.* on objects of namespace team-alpha in cluster itest;
 * - bob: crossplane.* on objects of namespace team-beta.
 *
 * What alice controls is her own claim, annotations included (she may
 * write it with kubectl or the scaffolder's apply): the repository and the
 * file its Edit and Delete open pull requests on. One repository is in
 * crossplane.gitops.repositories and holds, beside her claim's own file,
 * team-beta's file of a claim of the same name, a file of both teams, a
 * file of a kind of the same name in another group and the file of her
 * claim's namesake in another cluster; a second repository is not allowed
 * and holds her claim's file. Each spelling of a repository or a path that
 * is not exactly her own file must open nothing: 409, no branch, no pull
 * request, in either repository, by the routes and by the MCP tools.
 *
 * Deletion progress: alice asks how far the deletion of team-beta's claim,
 * its composite and its managed resource is, by every spelling; each
 * answers as an object that does not exist.
 *
 * Objects Argo CD and Flux deliver (further below, on itest3): alice's
 * object tracked by a hub application of another cluster, and labelled
 * with team-beta's Kustomization.
 *
 * The test makes (admin) the claims `sec-gitops-*` and the repositories
 * `sec-gitops-*`, and removes them at the end.
 */
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  CROSSPLANE_RESOURCE_TYPE,
  getResourceRefs,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import {
  waitForComposed,
  waitUntilNotDeleting,
} from '../__testUtils__/clusterWaits';
import {
  connectControlPlane,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import {
  BUCKET,
  bucketClaim,
  BUCKET_PARAMETERS as PARAMETERS,
  NOP,
  XBUCKET,
} from '../__testUtils__/demoObjects';
import { ensureGitOpsTools } from '../__testUtils__/gitOpsTools';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { connectGitHost } from '../__testUtils__/localGitHost';
import { callTool, mcpClients, textOf } from '../__testUtils__/mcpClients';
import {
  portalClient,
  PortalClient,
  queryOf,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
} from '../service/permissionRules';
import { MAX_DELETION_PROGRESS_OBJECTS } from '../service/router';

jest.setTimeout(900_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
/** The manager a GitOps controller's sync (or alice's kubectl) writes as. */
const SYNC_MANAGER = 'sec-gitops-sync';

const PROBE = { ...BUCKET, namespace: 'team-alpha', name: 'sec-gitops-probe' };
const BETA = { ...BUCKET, namespace: 'team-beta', name: 'sec-gitops-beta' };

const REPO = 'sec-gitops-shared';
const OUTSIDE_REPO = 'sec-gitops-outside';
const FILES = {
  own: `teams/team-alpha/${PROBE.name}.yaml`,
  beta: `teams/team-beta/${PROBE.name}.yaml`,
  both: 'teams/shared.yaml',
  otherGroup: `teams/other-group/${PROBE.name}.yaml`,
  otherCluster: `clusters/prod/team-alpha/${PROBE.name}.yaml`,
};

/** A claim's document as a team's repository holds it. */
function claimDocument(options: {
  namespace: string;
  group?: string;
  storageClass?: string;
  /** The cluster the file says it is of; default the test's. */
  cluster?: string;
}) {
  return `apiVersion: ${options.group ?? 'storage.platformops.io'}/v1alpha1
kind: ${PROBE.kind}
metadata:
  name: ${PROBE.name}
  namespace: ${options.namespace}
  annotations:
    platformops.io/source-cluster: ${options.cluster ?? CLUSTER.name}
spec:
  parameters:
    storageClass: ${options.storageClass ?? 'STANDARD'} # ${
    options.namespace
  }'s choice
    region: eu-west-1
`;
}
const BETA_DOCUMENT = claimDocument({
  namespace: 'team-beta',
  storageClass: 'ARCHIVE',
});

/**
 * Alice on her team's namespace in one cluster only; bob on his team's
 * namespace; every permission outside crossplane.* allowed.
 */
const policyOn = (cluster: string) =>
  createBackendModule({
    pluginId: 'permission',
    moduleId: `sec-gitops-${cluster}-test-policy`,
    register(reg) {
      const decide = (
        permission: Permission,
        user?: string,
      ): PolicyDecision => {
        if (!permission.name.startsWith('crossplane.')) {
          return { result: AuthorizeResult.ALLOW };
        }
        if (user !== ALICE && user !== BOB) {
          return { result: AuthorizeResult.DENY };
        }
        if (!isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE)) {
          return { result: AuthorizeResult.ALLOW };
        }
        return createCrossplaneConditionalDecision(
          permission,
          user === ALICE
            ? {
                allOf: [
                  crossplaneConditions.isInCluster({ clusters: [cluster] }),
                  crossplaneConditions.isInNamespace({
                    namespaces: ['team-alpha'],
                  }),
                ],
              }
            : crossplaneConditions.isInNamespace({ namespaces: ['team-beta'] }),
        );
      };
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: extension }) {
          extension.setPolicy({
            async handle(request, user) {
              return decide(request.permission, user?.info.userEntityRef);
            },
          });
        },
      });
    },
  });

describe('The pull-request path and deletion progress against a hostile user', () => {
  const git = connectGitHost();
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  const mcp = mcpClients({
    port: () => api.port,
    token: user => api.tokenOf(user),
  });
  /** team-beta's composite and managed resource, as the cluster names them. */
  let betaXr: string;
  let betaMr: string;

  const repoUrl = (repo: string) =>
    `${git.host}?owner=${git.owner}&repo=${repo}`;
  const probeId = { cluster: CLUSTER.name, ...PROBE };

  /** What either repository holds besides `main`: branches, pull requests. */
  const gitState = async () => ({
    branches: [
      ...(await git.branches(REPO)),
      ...(await git.branches(OUTSIDE_REPO)).map(b => `outside:${b}`),
    ].sort(),
    pulls: [...(await git.pulls(REPO)), ...(await git.pulls(OUTSIDE_REPO))].map(
      p => p.title,
    ),
  });

  /**
   * Alice's claim, annotated as she chooses, once the portal reads it so:
   * its form names that repository and path.
   */
  const annotate = async (sourceRepo: string, sourcePath: string) => {
    await admin.apply(
      bucketClaim(PROBE, {
        'platformops.io/source-repo': sourceRepo,
        'platformops.io/source-path': sourcePath,
      }),
      { fieldManager: SYNC_MANAGER, force: true },
    );
    await waitFor(
      `${PROBE.name} annotated ${sourceRepo} ${sourcePath}`,
      async () => {
        const form = await api.get(
          ALICE,
          `crossplane/edit?${queryOf(probeId)}`,
        );
        return form.status === 200 &&
          form.body.gitOps?.repoUrl === sourceRepo &&
          form.body.gitOps?.path === sourcePath
          ? true
          : undefined;
      },
    );
  };

  /** Alice's Edit and Delete of her claim, as the routes answer them. */
  const editAndDelete = async () => {
    const edit = await api.post(ALICE, 'crossplane/edit', {
      ...probeId,
      values: { parameters: { ...PARAMETERS, storageClass: 'NEARLINE' } },
    });
    const remove = await api.post(ALICE, 'crossplane/delete', {
      ...probeId,
      confirm: PROBE.name,
    });
    return { edit, remove };
  };

  /** Her claim is still there, not deleting, its spec as the sync wrote it. */
  const probeUntouched = async () => {
    const object = await admin.get(PROBE);
    expect(object?.metadata.deletionTimestamp).toBeUndefined();
    expect(object?.spec?.parameters).toMatchObject(PARAMETERS);
  };

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    await git.createRepository(REPO, {
      [FILES.own]: claimDocument({ namespace: 'team-alpha' }),
      [FILES.beta]: BETA_DOCUMENT,
      [FILES.both]: `${claimDocument({
        namespace: 'team-alpha',
      })}---\n${BETA_DOCUMENT}`,
      [FILES.otherGroup]: claimDocument({
        namespace: 'team-alpha',
        group: 'evil.example.io',
      }),
      [FILES.otherCluster]: claimDocument({
        namespace: 'team-alpha',
        storageClass: 'COLDLINE',
        cluster: 'prod',
      }),
    });
    await git.createRepository(OUTSIDE_REPO, {
      [FILES.own]: claimDocument({ namespace: 'team-alpha' }),
    });
    await Promise.all([PROBE, BETA].map(o => waitUntilNotDeleting(admin, o)));
    await admin.apply(
      bucketClaim(PROBE, {
        'platformops.io/source-repo': repoUrl(REPO),
        'platformops.io/source-path': FILES.own,
      }),
      { fieldManager: SYNC_MANAGER, force: true },
    );
    await admin.apply(bucketClaim(BETA), {
      fieldManager: SYNC_MANAGER,
      force: true,
    });
    betaXr = await waitForComposed(admin, BETA);
    betaMr = await waitFor(`${betaXr}'s managed resource`, async () => {
      const xr = await admin.get({ ...XBUCKET, name: betaXr });
      return xr ? getResourceRefs(xr)[0]?.name : undefined;
    });

    const started = await startPortalBackend({
      name: 'sec-gitops',
      cluster: cp.backstageCluster,
      entities: [],
      policy: policyOn(CLUSTER.name),
      identity,
      features: [mcpActionsPlugin, log.factory],
      config: {
        backend: { actions: { pluginSources: ['crossplane'] } },
        integrations: { gitea: [git.integration] },
        crossplane: {
          gitops: { repositories: [`${git.host}/${git.owner}/${REPO}`] },
        },
      },
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await api.waitForSync(ALICE);
  });

  afterAll(async () => {
    await mcp.closeAll();
    await stop?.();
    for (const o of [PROBE, BETA]) await admin?.delete(o).catch(() => false);
    for (const repo of [REPO, OUTSIDE_REPO]) {
      await git.deleteRepository(repo).catch(() => undefined);
    }
  });

  it('opens a pull request on her own file, changing only her field, and names no credential in it', async () => {
    await annotate(repoUrl(REPO), FILES.own);
    const { edit } = await editAndDelete();
    expect(edit.status).toBe(200);
    expect(edit.body.pullRequest).toMatchObject({ number: 1 });
    const diff = await git.diff(REPO, 1);
    expect(
      diff.split('\n').filter(line => /^[-+](?![-+]{2} )/.test(line)),
    ).toEqual([
      "-    storageClass: STANDARD # team-alpha's choice",
      "+    storageClass: NEARLINE # team-alpha's choice",
    ]);
    const [pull] = await git.api(
      'GET',
      `/repos/${git.owner}/${REPO}/pulls?state=all`,
    );
    const said = JSON.stringify(pull);
    expect(said).toContain(ALICE);
    expect(said).not.toContain(git.integration.password);
    await probeUntouched();
  });

  it.each([
    [
      'userinfo before the host',
      `http://alice:x@${git.host}/${git.owner}/${REPO}`,
    ],
    ['the repository outside the list', repoUrl(OUTSIDE_REPO)],
    ['.git', `http://${git.host}/${git.owner}/${OUTSIDE_REPO}.git`],
    [
      'letter case',
      `HTTP://${
        git.host
      }/${git.owner.toUpperCase()}/${OUTSIDE_REPO.toUpperCase()}`,
    ],
    [
      '.. after the allowed one',
      `http://${git.host}/${git.owner}/${REPO}/../${OUTSIDE_REPO}`,
    ],
    [
      'an encoded ..',
      `http://${git.host}/${git.owner}/${REPO}%2F..%2F${OUTSIDE_REPO}`,
    ],
    ['a query', `http://${git.host}/${git.owner}/${REPO}?ref=evil`],
    ['a fragment', `http://${git.host}/${git.owner}/${REPO}#evil`],
    [
      'another name of the host',
      `http://localhost:${git.host.split(':')[1]}/${git.owner}/${OUTSIDE_REPO}`,
    ],
    [
      'a host with userinfo',
      `${git.host}@127.0.0.1?owner=${git.owner}&repo=${REPO}`,
    ],
    [
      'the outside repository first of two',
      `${git.host}?owner=${git.owner}&repo=${OUTSIDE_REPO}&repo=${REPO}`,
    ],
  ])('opens nothing in a repository spelt with %s', async (_, sourceRepo) => {
    await annotate(sourceRepo, FILES.own);
    const before = await gitState();
    const { edit, remove } = await editAndDelete();
    expect([edit.status, remove.status]).toEqual([409, 409]);
    expect(edit.body.error.message).toContain('no pull request');
    expect(await gitState()).toEqual(before);
    await probeUntouched();
  });

  it.each([
    ['.. out of the repository', `../${OUTSIDE_REPO}/${FILES.own}`],
    ['.. inside it', `teams/team-beta/../team-alpha/${PROBE.name}.yaml`],
    ['an absolute path', `/${FILES.own}`],
    ['encoded slashes', FILES.own.replace(/\//g, '%2F')],
    ['an encoded ..', `teams/%2e%2e/${FILES.own}`],
    ['a backslash', FILES.own.replace(/\//g, '\\')],
    ['a line break', `${FILES.own}\nteams/other`],
    ['a query', `${FILES.own}?ref=evil`],
    ['a directory', 'teams/team-alpha'],
    ['a trailing slash', `${FILES.own}/`],
    ['letter case', FILES.own.toUpperCase()],
    ["team-beta's file of her claim's name", FILES.beta],
    ['a file of both teams', FILES.both],
    ['a kind of that name in another group', FILES.otherGroup],
  ])('opens nothing on a path with %s', async (_, sourcePath) => {
    await annotate(repoUrl(REPO), sourcePath);
    const before = await gitState();
    const { edit, remove } = await editAndDelete();
    expect([edit.status, remove.status]).toEqual([409, 409]);
    expect(await gitState()).toEqual(before);
    // Nothing of the repository's files reaches her.
    for (const reply of [edit, remove]) {
      expect(reply.text).not.toContain('ARCHIVE');
      expect(reply.text).not.toContain("team-beta's choice");
    }
    await probeUntouched();
  });

  it("opens no pull request through the MCP tools on team-beta's file", async () => {
    await annotate(repoUrl(REPO), FILES.beta);
    const before = await gitState();
    const client = await mcp.connect(ALICE);
    const edit = await callTool(client, 'edit-crossplane-resource', {
      ...probeId,
      values: { parameters: { ...PARAMETERS, storageClass: 'NEARLINE' } },
    });
    const remove = await callTool(client, 'delete-crossplane-resource', {
      ...probeId,
      confirm: PROBE.name,
    });
    expect([edit.isError, remove.isError]).toEqual([true, true]);
    expect(textOf(edit)).toContain('does not hold');
    expect(await gitState()).toEqual(before);
    await probeUntouched();
  });

  it("never lets bob's or a missing object's Edit or Delete touch Git: 403 before any lookup", async () => {
    await annotate(repoUrl(REPO), FILES.own);
    const before = await gitState();
    for (const name of [PROBE.name, 'sec-gitops-nothing']) {
      const id = { ...probeId, name };
      const edit = await api.post(BOB, 'crossplane/edit', {
        ...id,
        values: { parameters: { ...PARAMETERS, storageClass: 'NEARLINE' } },
      });
      const remove = await api.post(BOB, 'crossplane/delete', {
        ...id,
        confirm: name,
      });
      expect([edit.status, remove.status]).toEqual([403, 403]);
    }
    expect(await gitState()).toEqual(before);
  });

  it("changes nothing of team-beta's document in a file both teams share", async () => {
    await annotate(repoUrl(REPO), FILES.both);
    const { edit, remove } = await editAndDelete();
    // Refused, or a pull request that leaves team-beta's document as it is.
    const betaKept = async (reply: { status: number; body: any }) => {
      const pull = reply.body.pullRequest as { branch: string } | undefined;
      if (!pull) return reply.status === 409;
      const file = await git.api(
        'GET',
        `/repos/${git.owner}/${REPO}/contents/${FILES.both}?ref=${pull.branch}`,
      );
      const text = Buffer.from(file.content, 'base64').toString('utf8');
      return parseAllDocuments(text).some(d =>
        isDeepStrictEqual(d.toJS(), parseAllDocuments(BETA_DOCUMENT)[0].toJS()),
      );
    };
    expect([await betaKept(edit), await betaKept(remove)]).toEqual([
      true,
      true,
    ]);
  });

  it('tells a missing file and a file holding something else alike: the repository is not hers to read', async () => {
    await annotate(repoUrl(REPO), FILES.beta);
    const held = await editAndDelete();
    const missingPath = `teams/team-beta/sec-gitops-nothing.yaml`;
    await annotate(repoUrl(REPO), missingPath);
    const missing = await editAndDelete();
    const message = (reply: { body: any }, at: string) =>
      String(reply.body.error?.message).split(at).join('<path>');
    expect(message(held.edit, FILES.beta)).toBe(
      message(missing.edit, missingPath),
    );
    expect(message(held.remove, FILES.beta)).toBe(
      message(missing.remove, missingPath),
    );
  });

  describe('deletion progress', () => {
    const progress = (user: string, objects: object[]) =>
      api.post(user, 'crossplane/deletion/progress', { objects });
    const claimOf = (o: { namespace: string; name: string }) => ({
      cluster: CLUSTER.name,
      ...BUCKET,
      ...o,
    });
    const xrOf = (name: string, namespace?: string) => ({
      cluster: CLUSTER.name,
      ...XBUCKET,
      ...(namespace ? { namespace } : {}),
      name,
    });
    const mrOf = (name: string) => ({ cluster: CLUSTER.name, ...NOP, name });

    it("tells alice of her own claim's deletion", async () => {
      const reply = await progress(ALICE, [claimOf(PROBE)]);
      expect(reply.status).toBe(200);
      expect(reply.body.items[0]).toMatchObject({ gone: false });
      expect(reply.body.items[0].item.object.name).toBe(PROBE.name);
    });

    it("answers team-beta's claim, composite and managed resource, by every spelling, as objects that do not exist", async () => {
      // Each of team-beta's objects beside one that does not exist, spelt alike.
      const pairs: Array<[object, object]> = [
        [claimOf(BETA), claimOf({ ...BETA, name: 'sec-gitops-nothing' })],
        [xrOf(betaXr), xrOf('sec-gitops-nothing-xr')],
        [mrOf(betaMr), mrOf('sec-gitops-nothing-mr')],
        // A cluster-scoped object named in alice's namespace.
        [
          xrOf(betaXr, 'team-alpha'),
          xrOf('sec-gitops-nothing-xr', 'team-alpha'),
        ],
        [
          { ...mrOf(betaMr), namespace: 'team-alpha' },
          { ...mrOf('sec-gitops-nothing-mr'), namespace: 'team-alpha' },
        ],
        // The same kind in another group.
        [
          {
            ...xrOf(betaXr),
            apiVersion: 'nop.storage.platformops.io/v1alpha1',
          },
          {
            ...xrOf('sec-gitops-nothing-xr'),
            apiVersion: 'nop.storage.platformops.io/v1alpha1',
          },
        ],
        // Another cluster of that name.
        [
          { ...claimOf(BETA), cluster: 'sec-gitops-elsewhere' },
          {
            ...claimOf(BETA),
            cluster: 'sec-gitops-elsewhere',
            name: 'sec-gitops-nothing',
          },
        ],
      ];
      const real = await progress(
        ALICE,
        pairs.map(([o]) => o),
      );
      const missing = await progress(
        ALICE,
        pairs.map(([, o]) => o),
      );
      expect(real.status).toBe(200);
      expect(missing.status).toBe(200);
      // The longer names first: the claim's is the start of the others.
      const named = (text: string) =>
        text
          .split(betaMr)
          .join('sec-gitops-nothing-mr')
          .split(betaXr)
          .join('sec-gitops-nothing-xr')
          .split(BETA.name)
          .join('sec-gitops-nothing');
      expect(JSON.parse(named(real.text))).toEqual(missing.body);
      expect(real.body.items.some((i: { item?: unknown }) => i.item)).toBe(
        false,
      );
      expect(real.text).not.toMatch(/finalizer|deletionTimestamp|team-beta\//);
    });

    it('bounds the list and names the field of a bad entry: 400, never 500', async () => {
      const many = Array.from(
        { length: MAX_DELETION_PROGRESS_OBJECTS + 1 },
        (_, i) => claimOf({ namespace: 'team-alpha', name: `sec-gitops-${i}` }),
      );
      const tooMany = await progress(ALICE, many);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toContain('objects');

      const bad = await progress(ALICE, [
        claimOf(PROBE),
        { ...claimOf(PROBE), kind: 5 },
      ]);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('objects[1].kind');

      // Other spellings of team-beta's claim are no names at all.
      for (const [field, spelt] of [
        ['kind', { ...claimOf(BETA), kind: 'objectbucket' }],
        ['namespace', { ...claimOf(BETA), namespace: 'TEAM-BETA' }],
        ['name', { ...claimOf(BETA), name: `${BETA.name}.` }],
        [
          'apiVersion',
          { ...claimOf(BETA), apiVersion: 'storage.platformops.io' },
        ],
      ] as const) {
        const reply = await progress(ALICE, [spelt]);
        expect(reply.status).toBe(400);
        expect(reply.body.error.message).toContain(`objects[0].${field}`);
        expect(reply.text).not.toContain(betaXr);
      }

      for (const objects of ['x', null, [null], [{ cluster: CLUSTER.name }]]) {
        const reply = await api.post(ALICE, 'crossplane/deletion/progress', {
          objects,
        });
        expect(reply.status).toBe(400);
        expect(reply.text).not.toMatch(/ at .*\.(ts|js):\d+/);
      }
    });
  });

  /*
   * Holes found and not fixed here; each test asserts the secure behaviour
   * and fails until the hole is closed (see the report of each).
   */
  it("opens no pull request on her claim's namesake of another cluster", async () => {
    // Alice may change team-alpha's objects of itest only; the file is
    // the one of cluster prod, whose namesake she may not change.
    await annotate(repoUrl(REPO), FILES.otherCluster);
    const before = await gitState();
    const { edit, remove } = await editAndDelete();
    expect({
      edit: edit.status,
      delete: remove.status,
      git: await gitState(),
    }).toEqual({ edit: 409, delete: 409, git: before });
  });

  it('keeps the Git host credentials out of every answer and log line', () => {
    const token = git.integration.password;
    expect(token.length).toBeGreaterThan(8);
    const leaking = log.lines.filter(line => line.includes(token));
    expect(leaking).toEqual([]);
  });
});

/*
 * Objects Argo CD or Flux deliver: their Edit and Delete open a pull
 * request on the document the tool's Application or Kustomization applies.
 * What names those is alice's to write on her own object (the tracking id,
 * Flux's labels), on itest3 (Crossplane v2) where she may change team-alpha's
 * objects only. The tools' kinds and the portal's read role of them are
 * the shared ones (ensureGitOpsTools, left in place; no controller runs);
 * the test's objects of theirs, named `sec-gitops-*`, are removed at the
 * end.
 */
describe('Objects Argo CD and Flux deliver against a hostile user', () => {
  const git = connectGitHost();
  const identity = createIdentityProvider();
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;

  const ARGO_NS = 'sec-gitops-argocd';
  const ARGO_REPO = 'sec-gitops-argo';
  const db = (name: string) => ({
    apiVersion: 'apps.platformops.io/v1alpha1',
    kind: 'AppDatabase',
    namespace: 'team-alpha',
    name,
  });
  /** Tracked by a hub application that deploys to another cluster. */
  const HUB_DB = db('sec-gitops-hub-db');
  /** Labelled with team-beta's Kustomization, or with none that exists. */
  const FLUX_DB = db('sec-gitops-flux-db');
  const databaseDocument = (o: { name: string; namespace: string }) =>
    `apiVersion: apps.platformops.io/v1alpha1
kind: AppDatabase
metadata:
  name: ${o.name}
  namespace: ${o.namespace}
spec:
  parameters:
    engine: postgres
    storageGB: 20
`;
  const locatorOf = (o: KubernetesObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  });
  const toolObjects: KubernetesObject[] = [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'sec-gitops-prod', namespace: ARGO_NS },
      spec: {
        project: 'default',
        source: {
          repoURL: `${git.baseUrl}/${git.owner}/${ARGO_REPO}.git`,
          path: 'prod',
        },
        destination: {
          server: 'https://prod.sec-gitops.example:6443',
          namespace: 'team-alpha',
        },
      },
    },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'sec-gitops-beta-repo', namespace: 'team-beta' },
      spec: {
        url: 'https://git.sec-gitops.example/team-beta/beta-private-apps',
        ref: { branch: 'release' },
        interval: '1m',
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'sec-gitops-beta-apps', namespace: 'team-beta' },
      spec: {
        path: './beta-private-path',
        interval: '10m',
        sourceRef: { kind: 'GitRepository', name: 'sec-gitops-beta-repo' },
      },
    },
  ];
  const gitState = async () => ({
    branches: await git.branches(ARGO_REPO),
    pulls: (await git.pulls(ARGO_REPO)).map(p => p.title),
  });
  const editAndDelete = async (o: ReturnType<typeof db>) => {
    const id = { cluster: ITEST3.name, ...o };
    const edit = await api.post(ALICE, 'crossplane/edit', {
      ...id,
      values: { parameters: { engine: 'postgres', storageGB: 30 } },
    });
    const remove = await api.post(ALICE, 'crossplane/delete', {
      ...id,
      confirm: o.name,
    });
    return { edit, remove };
  };
  /** Alice's object labelled with a Kustomization, once the portal reads it so. */
  const labelFlux = async (namespace: string, name: string) => {
    const manifest = parse(databaseDocument(FLUX_DB)) as KubernetesObject;
    manifest.metadata.labels = {
      'kustomize.toolkit.fluxcd.io/name': name,
      'kustomize.toolkit.fluxcd.io/namespace': namespace,
    };
    await admin.apply(manifest, { fieldManager: SYNC_MANAGER, force: true });
    await waitFor(`${FLUX_DB.name} labelled ${namespace}/${name}`, async () => {
      const form = await api.get(
        ALICE,
        `crossplane/edit?${queryOf({ cluster: ITEST3.name, ...FLUX_DB })}`,
      );
      return form.status === 200 &&
        form.body.gitOps?.description?.includes(`${namespace}/${name}`)
        ? true
        : undefined;
    });
  };

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST3);
    admin = cp.admin;
    await ensureGitOpsTools(admin);
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: ARGO_NS,
    };
    await waitUntilNotDeleting(admin, namespace);
    await admin.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGO_NS } },
      { fieldManager: SYNC_MANAGER },
    );
    for (const object of toolObjects) {
      await admin.apply(object, { fieldManager: SYNC_MANAGER, force: true });
    }
    await git.createRepository(ARGO_REPO, {
      // The hub's other cluster's team-alpha database of that name.
      'prod/db.yaml': databaseDocument(HUB_DB),
    });
    for (const o of [HUB_DB, FLUX_DB]) await waitUntilNotDeleting(admin, o);
    const hub = parse(databaseDocument(HUB_DB)) as KubernetesObject;
    hub.metadata.annotations = {
      'argocd.argoproj.io/tracking-id': `${ARGO_NS}_sec-gitops-prod:apps.platformops.io/AppDatabase:team-alpha/${HUB_DB.name}`,
    };
    await admin.apply(hub, { fieldManager: SYNC_MANAGER, force: true });

    const started = await startPortalBackend({
      name: 'sec-gitops-tools',
      cluster: cp.backstageCluster,
      entities: [],
      policy: policyOn(ITEST3.name),
      identity,
      config: {
        integrations: { gitea: [git.integration] },
        crossplane: {
          gitops: {
            repositories: [`${git.host}/${git.owner}/${ARGO_REPO}`],
            argocd: { namespaces: [ARGO_NS] },
          },
        },
      },
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await api.waitForSync(ALICE);
  });

  afterAll(async () => {
    await stop?.();
    for (const o of [HUB_DB, FLUX_DB]) await admin?.delete(o).catch(() => 0);
    for (const object of toolObjects) {
      await admin?.delete(locatorOf(object)).catch(() => 0);
    }
    await admin
      ?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ARGO_NS })
      .catch(() => 0);
    await git.deleteRepository(ARGO_REPO).catch(() => undefined);
  });

  it("opens no pull request on the document of a hub application's other cluster", async () => {
    await waitFor(`${HUB_DB.name} in the cache`, async () => {
      const form = await api.get(
        ALICE,
        `crossplane/edit?${queryOf({ cluster: ITEST3.name, ...HUB_DB })}`,
      );
      return form.status === 200 ? true : undefined;
    });
    const before = await gitState();
    const { edit, remove } = await editAndDelete(HUB_DB);
    expect({
      edit: edit.status,
      delete: remove.status,
      git: await gitState(),
    }).toEqual({ edit: 409, delete: 409, git: before });
    expect(edit.body.error.message).toContain('another cluster');
  });

  it("tells nothing of team-beta's Kustomization that her labels name: as of one that does not exist", async () => {
    await labelFlux('team-beta', 'sec-gitops-beta-apps');
    const named = await editAndDelete(FLUX_DB);
    await labelFlux('team-beta', 'sec-gitops-nothing');
    const missing = await editAndDelete(FLUX_DB);
    for (const reply of [named.edit, named.remove]) {
      expect(reply.status).toBe(409);
      expect(reply.text).not.toMatch(/beta-private|release/);
    }
    const message = (reply: { body: any }, name: string) =>
      String(reply.body.error?.message).split(name).join('<name>');
    expect(message(named.edit, 'sec-gitops-beta-apps')).toBe(
      message(missing.edit, 'sec-gitops-nothing'),
    );
  });
});
