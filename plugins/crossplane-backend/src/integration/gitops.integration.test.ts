/*
 * The pull-request path of objects PlatformOps delivers through Git, on a
 * real Git host (tools/gitea) and a real control plane (itest, Crossplane
 * v1), behind real auth and the real permission backend.
 *
 * A repository holds a claim's manifest at clusters/itest/<ns>/<name>.yaml,
 * with the annotations PlatformOps renders (source-repo, source-path); the
 * test applies it to the cluster as a GitOps controller's sync would. Edit
 * and Delete then open pull requests on that file and write nothing to the
 * cluster. A second repository, not in crossplane.gitops.repositories,
 * delivers another claim: refused (409), nothing opened there.
 */
import { type KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { parse } from 'yaml';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { waitForReady } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { connectGitHost } from '../__testUtils__/localGitHost';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(900_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const policyModule = teamNamespacePolicy({
  moduleId: 'gitops-test-policy',
  namespaces: { [ALICE]: ['team-alpha'], [BOB]: ['team-beta'] },
});

const NAMESPACE = 'team-alpha';
const REPO = 'gitops-itest-delivery';
const OUTSIDE_REPO = 'gitops-itest-outside';
/** The manager a GitOps controller's sync writes as. */
const SYNC_MANAGER = 'gitops-test-sync';

const claim = (name: string) => ({
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
  namespace: NAMESPACE,
  name,
});
const DELIVERED = claim('gitops-pr-bucket');
const OUTSIDE = claim('gitops-pr-outside');
const pathOf = (o: { name: string }) =>
  `clusters/itest/${NAMESPACE}/${o.name}.yaml`;

/** A claim's file as the templates' pull-request path commits it. */
function manifestFile(
  o: { apiVersion: string; kind: string; name: string },
  sourceRepo: string,
) {
  return `# Delivered by pull request
apiVersion: ${o.apiVersion}
kind: ${o.kind}
metadata:
  name: ${o.name}
  namespace: ${NAMESPACE}
  labels:
    app.kubernetes.io/managed-by: platformops
  annotations:
    platformops.io/source-repo: ${sourceRepo}
    platformops.io/source-path: ${pathOf(o)}
    platformops.io/source-cluster: ${ITEST.name}
spec:
  parameters:
    storageClass: STANDARD # cheapest
    region: eu-west-1
`;
}

describe('Edit and Delete of objects delivered through Git', () => {
  const git = connectGitHost();
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();

  const repoUrl = (repo: string) =>
    `${git.host}?owner=${git.owner}&repo=${repo}`;
  const files = {
    delivered: manifestFile(DELIVERED, repoUrl(REPO)),
    outside: manifestFile(OUTSIDE, repoUrl(OUTSIDE_REPO)),
  };

  const post = async (user: string, route: string, body: object) => {
    const reply = await api.post(user, `crossplane/${route}`, {
      cluster: ITEST.name,
      ...body,
    });
    return { status: reply.status, body: reply.body };
  };
  const formParameters = async (o: typeof DELIVERED) => {
    const reply = await api.get(
      ALICE,
      `crossplane/edit?${new URLSearchParams({ cluster: ITEST.name, ...o })}`,
    );
    expect(reply.status).toBe(200);
    return reply.body.values.parameters as Record<string, unknown>;
  };
  const live = async (o: typeof DELIVERED) => {
    const object = await admin.get(o);
    if (!object) throw new Error(`${o.name} is gone`);
    return object;
  };
  /** What the portal could have written: the spec and its field managers. */
  const written = async (o: typeof DELIVERED) => {
    const object = await live(o);
    return {
      spec: object.spec,
      managers: (
        (object.metadata.managedFields ?? []) as Array<{ manager?: string }>
      ).map(f => f.manager),
      deleting: Boolean(object.metadata.deletionTimestamp),
    };
  };

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST);
    admin = cp.admin;
    await git.createRepository(REPO, { [pathOf(DELIVERED)]: files.delivered });
    await git.createRepository(OUTSIDE_REPO, {
      [pathOf(OUTSIDE)]: files.outside,
    });
    // The GitOps controller's sync: the files, applied as they are.
    for (const text of [files.delivered, files.outside]) {
      await admin.apply(parse(text) as KubernetesObject, {
        fieldManager: SYNC_MANAGER,
        force: true,
      });
    }
    for (const o of [DELIVERED, OUTSIDE]) await waitForReady(admin, o);
    ({ stop } = await startPortalBackend({
      name: 'gitops',
      cluster: cp.backstageCluster,
      entities: [],
      policy: policyModule,
      identity,
      features: [log.factory],
      config: {
        integrations: { gitea: [git.integration] },
        crossplane: {
          gitops: { repositories: [`${git.host}/${git.owner}/${REPO}`] },
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
    for (const o of [DELIVERED, OUTSIDE]) {
      await admin.delete(o).catch(() => undefined);
    }
    for (const repo of [REPO, OUTSIDE_REPO]) {
      await git.deleteRepository(repo).catch(() => undefined);
    }
  });

  it('says Edit and Delete open a pull request, where the portal may open one', async () => {
    const capabilities = async (o: typeof DELIVERED) => {
      const reply = await api.get(
        ALICE,
        `crossplane/capabilities?${new URLSearchParams({
          cluster: ITEST.name,
          ...o,
        })}`,
      );
      expect(reply.status).toBe(200);
      return reply.body;
    };
    const delivered = await capabilities(DELIVERED);
    expect(delivered.edit).toEqual({ allowed: true, pullRequest: true });
    expect(delivered.delete).toEqual({ allowed: true, pullRequest: true });
    expect(delivered.pause).toEqual({ allowed: true });
    const outside = await capabilities(OUTSIDE);
    expect(outside.edit.allowed).toBe(false);
    expect(outside.edit.reason).toContain(
      `${git.host}/${git.owner}/${OUTSIDE_REPO} is not among the repositories`,
    );
    expect(outside.delete.allowed).toBe(false);
  });

  it('Edit opens a pull request changing exactly that field; the cluster is not written', async () => {
    const before = await written(DELIVERED);
    const parameters = await formParameters(DELIVERED);
    const values = { parameters: { ...parameters, storageClass: 'NEARLINE' } };

    const preview = await post(ALICE, 'edit', {
      ...DELIVERED,
      values,
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ changed: true, applied: false });
    expect(preview.body.pullRequest).toBeUndefined();
    expect(await git.pulls(REPO)).toEqual([]);

    const res = await post(ALICE, 'edit', { ...DELIVERED, values });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: false,
      changed: true,
      applied: false,
      conflicts: [],
      gitOps: { tool: 'platformops', path: pathOf(DELIVERED) },
      pullRequest: {
        url: `${git.baseUrl}/${git.owner}/${REPO}/pulls/1`,
        number: 1,
      },
    });
    expect(res.body.diff).toContain('+    storageClass: NEARLINE');

    const [pull] = await git.pulls(REPO);
    expect(pull.title).toBe(
      `Edit ObjectBucket.storage.platformops.io ${NAMESPACE}/${DELIVERED.name} in cluster itest`,
    );
    const diff = await git.diff(REPO, 1);
    const changedLines = diff
      .split('\n')
      .filter(line => /^[-+](?![-+]{2} )/.test(line));
    expect(changedLines).toEqual([
      '-    storageClass: STANDARD # cheapest',
      '+    storageClass: NEARLINE # cheapest',
    ]);
    expect(diff).toContain(`+++ b/${pathOf(DELIVERED)}`);
    expect(await written(DELIVERED)).toEqual(before);

    const audit = log
      .auditRecords()
      .filter(r => r.eventId === 'edit' && r.status === 'succeeded');
    expect(audit).toContainEqual(
      expect.objectContaining({
        meta: expect.objectContaining({
          dryRun: false,
          applied: false,
          pullRequest: res.body.pullRequest.url,
        }),
      }),
    );
  });

  it('Delete, once the name is typed again, opens a pull request removing the file; the object stays', async () => {
    const before = await written(DELIVERED);
    const unconfirmed = await post(ALICE, 'delete', {
      ...DELIVERED,
      confirm: 'something-else',
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toContain('confirm');

    const res = await post(ALICE, 'delete', {
      ...DELIVERED,
      confirm: DELIVERED.name,
    });
    expect(res.status).toBe(202);
    expect(res.body.pullRequest).toMatchObject({
      url: `${git.baseUrl}/${git.owner}/${REPO}/pulls/2`,
      number: 2,
    });
    expect(res.body.items[0].object).toMatchObject({ name: DELIVERED.name });

    const diff = await git.diff(REPO, 2);
    expect(diff).toContain('deleted file mode');
    expect(diff).toContain(`--- a/${pathOf(DELIVERED)}`);
    expect(diff).toContain('+++ /dev/null');
    expect((await git.pulls(REPO)).map(p => p.title)).toContain(
      `Delete ObjectBucket.storage.platformops.io ${NAMESPACE}/${DELIVERED.name} in cluster itest`,
    );
    expect(await written(DELIVERED)).toEqual(before);
    expect(
      log
        .auditRecords()
        .some(
          r =>
            r.eventId === 'delete' &&
            r.status === 'succeeded' &&
            r.meta?.pullRequest === res.body.pullRequest.url,
        ),
    ).toBe(true);
  });

  it('refuses a repository outside crossplane.gitops.repositories: 409, nothing opened', async () => {
    const before = await written(OUTSIDE);
    const parameters = await formParameters(OUTSIDE);
    const edit = await post(ALICE, 'edit', {
      ...OUTSIDE,
      values: { parameters: { ...parameters, storageClass: 'NEARLINE' } },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain(
      `${git.host}/${git.owner}/${OUTSIDE_REPO} is not among the repositories the portal opens pull requests to`,
    );
    const del = await post(ALICE, 'delete', {
      ...OUTSIDE,
      confirm: OUTSIDE.name,
    });
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('crossplane.gitops.repositories');
    expect(await git.pulls(OUTSIDE_REPO)).toEqual([]);
    expect(await git.branches(OUTSIDE_REPO)).toEqual(['main']);
    expect(await written(OUTSIDE)).toEqual(before);
  });

  it('refuses who may not change the object: 403, no pull request', async () => {
    const pulls = (await git.pulls(REPO)).length;
    const branches = await git.branches(REPO);
    const edit = await post(BOB, 'edit', {
      ...DELIVERED,
      values: { parameters: { storageClass: 'COLDLINE' } },
    });
    expect(edit.status).toBe(403);
    expect(edit.body.error.message).toContain('crossplane.resource.update');
    const del = await post(BOB, 'delete', {
      ...DELIVERED,
      confirm: DELIVERED.name,
    });
    expect(del.status).toBe(403);
    // A missing object answers alike.
    const missing = await post(BOB, 'delete', {
      ...claim('gitops-missing'),
      confirm: 'gitops-missing',
    });
    expect(missing.status).toBe(403);
    expect(await git.pulls(REPO)).toHaveLength(pulls);
    expect(await git.branches(REPO)).toEqual(branches);
  });
});
