/*
 * Writes as the signed-in user, on the local control plane (itest,
 * Crossplane v1) configured as Backstage's kubernetes plugin configures an
 * OIDC cluster: `authProvider: oidc`, `oidcTokenProvider: okta`, and the
 * portal's own token beside it for PlatformOps' reads. The real backend
 * (real auth and permission backends, the catalog module) reads with the
 * portal's token and writes with the token of the request's
 * Backstage-Kubernetes-Authorization-oidc-okta header.
 *
 * The cluster's static tokens of alice (group team-alpha) and bob
 * (team-beta) stand in for the OIDC tokens; its RBAC
 * (tools/controlplane/rbac/team-users.yaml) lets each group write claims in
 * its own namespace only. The Backstage policy lets both do everything, so
 * what is refused below is refused by the cluster.
 *
 * Objects: bucket claims named `asuser-*` in team-alpha and team-beta,
 * removed at the end.
 */
import {
  CrossplaneAnnotations,
  clusterAuthHeaderOf,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { BUCKET, BUCKET_PARAMETERS } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import {
  portalClient,
  PortalClient,
  queryOf,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(600_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const HEADER = clusterAuthHeaderOf('oidc', 'okta');
const XRD = 'xobjectbuckets.storage.platformops.io';
const PAUSED = CrossplaneAnnotations.paused;
const ALPHA = { ...BUCKET, namespace: 'team-alpha', name: 'asuser-alpha' };
const BETA = { ...BUCKET, namespace: 'team-beta', name: 'asuser-beta' };
const NO_HEADER = { ...BUCKET, namespace: 'team-alpha', name: 'asuser-none' };

const identity = createIdentityProvider();
const log = capturingRootLogger();

/** Both may do everything in Backstage: only the cluster refuses. */
const policy = teamNamespacePolicy({
  moduleId: 'signed-in-user-writes-policy',
  namespaces: {},
  admins: [ALICE, BOB],
});

describe('writes as the signed-in user on an oidc cluster', () => {
  let cp: ReturnType<typeof connectControlPlane>;
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;

  /** The user's own cluster token, in the kubernetes plugin's header. */
  const asUser = (user: 'alice' | 'bob') => ({
    [HEADER]: cp.userTokens[user],
  });
  const post = (
    user: string,
    route: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    api.send(
      user,
      'POST',
      `crossplane/${route}`,
      JSON.stringify(body),
      headers,
    );
  const createBody = (o: { namespace: string; name: string }) => ({
    cluster: cp.name,
    xrd: XRD,
    values: {
      name: o.name,
      namespace: o.namespace,
      parameters: BUCKET_PARAMETERS,
    },
  });
  const objectBody = (o: typeof ALPHA) => ({ cluster: cp.name, ...o });
  const removeAll = async () => {
    for (const claim of [ALPHA, BETA, NO_HEADER]) {
      await admin
        .patchAnnotations(
          claim,
          { [PAUSED]: null },
          { fieldManager: 'asuser-test' },
        )
        .catch(() => undefined);
      await admin.delete(claim).catch(() => undefined);
    }
    await waitFor('the test claims to be gone', async () => {
      for (const claim of [ALPHA, BETA, NO_HEADER]) {
        if (await admin.get(claim)) return undefined;
      }
      return true;
    });
  };

  beforeAll(async () => {
    cp = connectControlPlane(ITEST);
    admin = cp.admin;
    if (!cp.userTokens.alice || !cp.userTokens.bob) {
      throw new Error(
        `${cp.name} has no team users' tokens: run tools/controlplane/controlplane.sh up --name ${cp.name}`,
      );
    }
    await removeAll();
    const started = await startPortalBackend({
      name: 'signed-in-user-writes',
      // As the kubernetes plugin's config reads an OIDC cluster, with the
      // service token PlatformOps reads with.
      cluster: {
        name: cp.name,
        url: cp.url,
        caData: cp.backstageCluster.caData,
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
        serviceAccountToken: cp.backstageCluster.serviceAccountToken,
      },
      entities: teamOrg({ alice: ['team-alpha'], bob: ['team-beta'] }),
      policy,
      identity,
      features: [log.factory],
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    // Reads (the object cache) work with the service token alone.
    await api.waitForSync(ALICE);
  });

  afterAll(async () => {
    await stop?.();
    if (admin) await removeAll();
  });

  it('answers a write without the user token 401, naming the header and the cluster, and creates nothing', async () => {
    const res = await post(ALICE, 'create', createBody(NO_HEADER));
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
    expect(res.body.error.message).toBe(
      `${HEADER}: the header must carry your oidc.okta token for writes to cluster "${cp.name}", whose authProvider is oidc`,
    );
    expect(await admin.get(NO_HEADER)).toBeUndefined();
  });

  it("creates alice's claim in team-alpha with her own token", async () => {
    const res = await post(ALICE, 'create', createBody(ALPHA), asUser('alice'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: { cluster: cp.name, ...ALPHA },
      created: true,
    });
    const stored = await admin.get(ALPHA);
    const managers = (
      stored?.metadata.managedFields as Array<{ manager?: string }> | undefined
    )?.map(f => f.manager);
    expect(managers).toContain('platformops');
  });

  it("lets the cluster refuse alice in team-beta: 403 with the API server's reason, nothing created", async () => {
    for (const dryRun of [true, false]) {
      const res = await post(
        ALICE,
        'create',
        { ...createBody(BETA), dryRun },
        asUser('alice'),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toMatch(
        new RegExp(
          `^cluster ${cp.name} refused the write as the signed-in user: apply ObjectBucket team-beta/asuser-beta: .*User "alice" cannot patch resource "objectbuckets" in API group "storage.platformops.io" in the namespace "team-beta"`,
        ),
      );
    }
    expect(await admin.get(BETA)).toBeUndefined();
    // The same create as bob, whose team it is, goes through: the
    // refusal was the cluster's judgement of alice.
    const asBob = await post(BOB, 'create', createBody(BETA), asUser('bob'));
    expect(asBob.status).toBe(201);
    expect(await admin.get(BETA)).toBeDefined();
  });

  it("day-2 writes carry the user's token: bob's cannot pause alice's claim, alice's can", async () => {
    // In the portal's cache (read with the service token) first.
    await waitFor("alice's claim in the cache", async () => {
      const res = await api.get(
        ALICE,
        `crossplane/yaml?${queryOf(objectBody(ALPHA))}`,
      );
      return res.status === 200 ? true : undefined;
    });
    for (const [route, body] of [
      ['pause', objectBody(ALPHA)],
      ['upgrade', { objects: [objectBody(ALPHA)] }],
    ] as const) {
      const withoutToken = await post(ALICE, route, body);
      expect({ route, status: withoutToken.status }).toEqual({
        route,
        status: 401,
      });
      expect(withoutToken.body.error.message).toContain(HEADER);
    }

    const byBob = await post(BOB, 'pause', objectBody(ALPHA), asUser('bob'));
    expect(byBob.status).toBe(403);
    expect(byBob.body.error.message).toContain(
      'User "bob" cannot patch resource "objectbuckets"',
    );
    expect(
      (await admin.get(ALPHA))?.metadata.annotations?.[PAUSED],
    ).toBeUndefined();

    const byAlice = await post(
      ALICE,
      'pause',
      objectBody(ALPHA),
      asUser('alice'),
    );
    expect(byAlice.status).toBe(200);
    expect((await admin.get(ALPHA))?.metadata.annotations?.[PAUSED]).toBe(
      'true',
    );
    const resumed = await post(
      ALICE,
      'resume',
      objectBody(ALPHA),
      asUser('alice'),
    );
    expect(resumed.status).toBe(200);
    expect(
      (await admin.get(ALPHA))?.metadata.annotations?.[PAUSED],
    ).toBeUndefined();
  });

  it('reads stay the service identity: the status API and the catalog need no user token', async () => {
    const clusters = await api.get(ALICE, 'crossplane/clusters');
    expect(clusters.status).toBe(200);
    expect(clusters.body.items).toEqual([
      expect.objectContaining({ name: cp.name, synced: true }),
    ]);
    const tree = await api.get(
      ALICE,
      `crossplane/tree?${queryOf(objectBody(ALPHA))}`,
    );
    expect(tree.status).toBe(200);
    const entityRef: string = tree.body.root.entityRef;
    expect(entityRef).toBeTruthy();
    await api.waitForEntity(ALICE, entityRef.replace(':', '/'));
  });

  it("deletes alice's claim with her token; bob's is refused", async () => {
    const byBob = await post(
      BOB,
      'delete',
      { ...objectBody(ALPHA), confirm: ALPHA.name },
      asUser('bob'),
    );
    expect(byBob.status).toBe(403);
    expect(await admin.get(ALPHA)).toBeDefined();
    const byAlice = await post(
      ALICE,
      'delete',
      { ...objectBody(ALPHA), confirm: ALPHA.name },
      asUser('alice'),
    );
    expect(byAlice.status).toBe(202);
  });

  it('never writes a user token to the logs or the audit records', () => {
    const all = log.lines.join('\n');
    for (const token of Object.values(cp.userTokens)) {
      expect(all).not.toContain(token);
    }
    const creates = log.auditRecords().filter(r => r.eventId === 'create');
    expect(creates.length).toBeGreaterThanOrEqual(4);
  });
});
