/*
 * Today's cluster surfaces as a hostile user tries them, behind real auth
 * and the real permission backend, on the local control plane (itest,
 * Crossplane v1):
 *
 * - writes as the signed-in user: itest as a cluster whose authProvider
 *   carries the user's own token (oidc), so PlatformOps reads with its own
 *   token and writes with the one of the request's
 *   Backstage-Kubernetes-Authorization-oidc-okta header;
 * - the scaffolder's actions on such a cluster, whose tasks carry no
 *   cluster token;
 * - entity transforms that try to move team-beta's claim under team-alpha;
 * - kubernetes-cluster entities alice registers (further below);
 * - a claim of hers naming team-beta's file in Git (further below).
 *
 * Users (the test's policy; everything but crossplane.* allowed):
 * - alice, of team-alpha: crossplane.* only in namespace team-alpha;
 * - bob, of team-beta: crossplane.* only in namespace team-beta;
 * - olivia, of team-alpha: crossplane.* on what team-alpha owns (IS_OWNED_BY);
 * - mallory: no crossplane.* permission at all.
 * On the cluster, alice's token writes in team-alpha only, bob's in
 * team-beta only (tools/controlplane/rbac/team-users.yaml).
 *
 * The test creates (admin) a claim in each team namespace, named
 * `hostile-clusters-`, and removes them at the end.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  CROSSPLANE_ENTITY_ANNOTATIONS,
  objectEntityName,
} from '@platformops/plugin-crossplane-common';
import {
  crossplaneClustersServiceFactory,
  type CrossplaneEntityTransform,
  crossplaneEntityTransformsExtensionPoint,
  KubernetesClusterClient,
} from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import {
  waitForComposed,
  waitUntilNotDeleting,
} from '../__testUtils__/clusterWaits';
import {
  ClusterSnapshot,
  diffSnapshots,
  snapshotCluster,
} from '../__testUtils__/clusterSnapshot';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import {
  BUCKET,
  bucketClaim,
  BUCKET_PARAMETERS as PARAMETERS,
  NOP,
  XBUCKET,
} from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { connectGitHost } from '../__testUtils__/localGitHost';
import { FIELD_FIRST, leaksOf } from '../__testUtils__/leaks';
import {
  portalClient,
  PortalClient,
  queryOf,
  Reply,
} from '../__testUtils__/portalClient';
import { oneStepTemplate, runTask } from '../__testUtils__/scaffolderTasks';
import {
  SIGNED_IN_USER_HEADER,
  signedInUserClusters,
} from '../__testUtils__/signedInUserClusters';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(900_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const OLIVIA = 'user:default/olivia';
const MALLORY = 'user:default/mallory';
const FIELD_MANAGER = 'hostile-clusters-test';
const XRD = 'xobjectbuckets.storage.platformops.io';

const ALPHA = {
  ...BUCKET,
  namespace: 'team-alpha',
  name: 'hostile-clusters-alpha',
};
const BETA = {
  ...BUCKET,
  namespace: 'team-beta',
  name: 'hostile-clusters-beta',
};
/** What a create may be asked to make: removed at the end if it was made. */
const NEW = {
  ...BUCKET,
  namespace: 'team-alpha',
  name: 'hostile-clusters-new',
};

/** Kinds listed before and after, to prove what refused writes left. */
const SNAPSHOT_KINDS = [BUCKET, XBUCKET, NOP];
/** Only this file's objects: others share itest. */
const notOurs = (key: string) => !key.includes('hostile-clusters-');
const NOTHING = { created: [], deleted: [], changed: [] };

const policy = teamNamespacePolicy({
  moduleId: 'hostile-clusters-test-policy',
  namespaces: { [ALICE]: ['team-alpha'], [BOB]: ['team-beta'] },
  owners: { [OLIVIA]: ['group:default/team-alpha'] },
});

/** The catalog's entity ref of a claim of this cluster. */
const claimEntityRef = (o: typeof ALPHA) =>
  `component:default/${objectEntityName({
    cluster: CLUSTER.name,
    group: 'storage.platformops.io',
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
  })}`;

/**
 * A platform team's transform gone wrong (or written by someone who wants
 * team-beta's claim): it renames team-beta's claim after alice's, moves it
 * into team-alpha's namespace and ownership, and rewrites the suite's
 * annotations and labels to say it is alice's.
 */
const takeOver: CrossplaneEntityTransform = {
  id: 'hostile-take-over',
  transform(entity, object) {
    if (object.kind !== BETA.kind || object.metadata.name !== BETA.name) {
      return undefined;
    }
    const toAlpha = (value: string) =>
      value.split(BETA.namespace).join(ALPHA.namespace);
    const rewrite = (record: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries(record).map(([key, value]) => [
          key,
          key.startsWith('platformops.io/') ? toAlpha(value) : value,
        ]),
      );
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        name: 'hostile-clusters-taken',
        namespace: ALPHA.namespace,
        labels: {
          ...rewrite(entity.metadata.labels),
          'platformops.io/owner': ALPHA.namespace,
        },
        annotations: {
          ...rewrite(entity.metadata.annotations),
          [CROSSPLANE_ENTITY_ANNOTATIONS.namespace]: ALPHA.namespace,
          'platformops.io/forged': 'true',
        },
      },
      spec: { ...entity.spec, owner: 'group:default/team-alpha' },
    };
  },
};

const catalogModuleTakeOver = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'hostile-clusters-take-over',
  register(env) {
    env.registerInit({
      deps: { transforms: crossplaneEntityTransformsExtensionPoint },
      async init({ transforms }) {
        transforms.addEntityTransform(takeOver);
      },
    });
  },
});

/** The claim's fields a pause or resume step names. */
const claimInput = {
  cluster: CLUSTER.name,
  apiVersion: ALPHA.apiVersion,
  kind: ALPHA.kind,
  namespace: '${{ parameters.namespace }}',
  name: '${{ parameters.name }}',
};
const NAMED = { namespace: { type: 'string' }, name: { type: 'string' } };
const TEMPLATES = [
  oneStepTemplate('hostile-clusters-pause', 'group:default/team-alpha', NAMED, {
    action: 'crossplane:pause',
    input: claimInput,
  }),
  oneStepTemplate('hostile-clusters-edit', 'group:default/team-alpha', NAMED, {
    action: 'crossplane:edit',
    input: { ...claimInput, values: { parameters: PARAMETERS } },
  }),
];

describe("Today's cluster surfaces against a hostile user", () => {
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  let before: ClusterSnapshot;
  /** Cluster tokens: the users' own, and the cluster admin's. */
  let tokens: { alice: string; bob: string; admin: string };
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  /** Every reply, to search for tokens at the end. */
  const replies: Reply[] = [];

  /**
   * A request as a user, with a cluster token in the signed-in user's
   * header if given. What no reply may do goes to `wrong`: a 5xx, a stack
   * trace or server path, a 400 naming no field.
   */
  async function send(
    user: string,
    method: 'GET' | 'POST',
    route: string,
    options: { body?: unknown; token?: string; wrong: string[] },
  ): Promise<Reply> {
    const reply = await api.send(
      user,
      method,
      `crossplane/${route}`,
      options.body === undefined ? undefined : JSON.stringify(options.body),
      options.token ? { [SIGNED_IN_USER_HEADER]: options.token } : {},
    );
    replies.push(reply);
    const where = `${method} ${route.slice(0, 80)} as ${user}`;
    const { status, text, body } = reply;
    if (status >= 500) options.wrong.push(`${where}: ${status} ${text}`);
    // alice's token stands for the canary; all tokens are searched for
    // in everything at the end.
    for (const leak of leaksOf(text, tokens.alice)) {
      options.wrong.push(`${where}: ${leak}`);
    }
    const message: string = body?.error?.message ?? '';
    if (status === 400 && !FIELD_FIRST.test(message)) {
      options.wrong.push(`${where}: 400 naming no field (${message})`);
    }
    return reply;
  }

  /** What changed among this file's objects since `before`. */
  async function changes() {
    return diffSnapshots(
      before,
      await snapshotCluster(admin, SNAPSHOT_KINDS),
      notOurs,
    );
  }

  /** Every write route, on a claim, as its body names it. */
  const writes = (o: typeof ALPHA): Array<[string, unknown]> => {
    const id = { cluster: CLUSTER.name, ...o };
    return [
      ['pause', id],
      ['resume', id],
      ['reconcile', id],
      ['pause', { ...id, dryRun: true }],
      ['edit', { ...id, values: { parameters: PARAMETERS } }],
      ['delete', { ...id, confirm: o.name }],
      ['upgrade', { objects: [id] }],
      [
        'create',
        {
          cluster: CLUSTER.name,
          xrd: XRD,
          values: {
            name: NEW.name,
            namespace: o.namespace,
            parameters: PARAMETERS,
          },
        },
      ],
    ];
  };

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    tokens = {
      alice: cp.userTokens.alice,
      bob: cp.userTokens.bob,
      admin: cp.adminToken,
    };
    await Promise.all(
      [ALPHA, BETA, NEW].map(o => waitUntilNotDeleting(admin, o)),
    );
    for (const o of [ALPHA, BETA]) {
      await admin.apply(bucketClaim(o), {
        fieldManager: FIELD_MANAGER,
        force: true,
      });
    }
    await Promise.all([ALPHA, BETA].map(o => waitForComposed(admin, o)));

    const started = await startPortalBackend({
      name: 'hostile-clusters',
      cluster: cp.backstageCluster,
      entities: [
        ...teamOrg(
          {
            alice: ['team-alpha'],
            bob: ['team-beta'],
            olivia: ['team-alpha'],
            mallory: [],
          },
          ['team-alpha', 'team-beta'],
        ),
        ...TEMPLATES,
      ],
      policy,
      identity,
      features: [log.factory, signedInUserClusters(cp), catalogModuleTakeOver],
    });
    stop = started.stop;
    api = portalClient({
      port: started.backend.server.port(),
      identity,
      ownership: {
        [ALICE]: ['group:default/team-alpha'],
        [BOB]: ['group:default/team-beta'],
        [OLIVIA]: ['group:default/team-alpha'],
      },
    });
    await api.waitForSync(ALICE);
    for (const { metadata } of TEMPLATES) {
      await api.waitForEntity(ALICE, `template/default/${metadata.name}`);
    }
    await waitFor("alice's and bob's claims in the cache", async () => {
      const { body } = await api.get(
        ALICE,
        `crossplane/capabilities?${queryOf({
          cluster: CLUSTER.name,
          ...ALPHA,
        })}`,
      );
      const ok = body?.pause?.allowed || body?.resume?.allowed;
      return ok ? true : undefined;
    });
    before = await snapshotCluster(admin, SNAPSHOT_KINDS);
  });

  afterAll(async () => {
    await stop?.();
    for (const o of [ALPHA, BETA, NEW]) {
      // A paused claim is never deleted: Crossplane keeps its finalizer.
      await admin
        ?.patchAnnotations(
          o,
          { 'crossplane.io/paused': null },
          { fieldManager: FIELD_MANAGER },
        )
        .catch(() => undefined);
      await admin?.delete(o).catch(() => undefined);
    }
  });

  describe('writes as the signed-in user', () => {
    it('refuses every write without a cluster token with a 401 naming the header and the cluster, and never writes as the service', async () => {
      const wrong: string[] = [];
      for (const [route, body] of writes(ALPHA)) {
        const reply = await send(ALICE, 'POST', route, { body, wrong });
        const message: string = reply.body?.error?.message ?? '';
        if (
          reply.status !== 401 ||
          !message.startsWith(`${SIGNED_IN_USER_HEADER}: `) ||
          !message.includes(`"${CLUSTER.name}"`)
        ) {
          wrong.push(`${route}: ${reply.status} ${reply.text.slice(0, 300)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
      expect(await admin.get(NEW)).toBeUndefined();
    });

    it("needs both Backstage's permission and the cluster's: another user's token opens nothing", async () => {
      const wrong: string[] = [];
      const pause = (user: string, o: typeof ALPHA, token: string) =>
        send(user, 'POST', 'pause', {
          body: { cluster: CLUSTER.name, ...o },
          token,
          wrong,
        });

      // Backstage allows alice in team-alpha; the cluster does not allow bob.
      const clusterRefused = await pause(ALICE, ALPHA, tokens.bob);
      expect(clusterRefused.status).toBe(403);
      expect(clusterRefused.body.error.message).toContain(
        `cluster ${CLUSTER.name} refused the write as the signed-in user`,
      );
      expect(clusterRefused.body.error.message).toContain('forbidden');

      // Backstage refuses before the cluster is asked, whatever the token:
      // bob's own for his claim, even the cluster admin's.
      for (const [user, o, token] of [
        [ALICE, BETA, tokens.bob],
        [ALICE, BETA, tokens.admin],
        [BOB, ALPHA, tokens.alice],
        [MALLORY, ALPHA, tokens.admin],
        [OLIVIA, BETA, tokens.admin],
      ] as const) {
        const reply = await pause(user, o, token);
        if (![403, 404].includes(reply.status)) {
          wrong.push(`${user} on ${o.name}: ${reply.status} ${reply.text}`);
        }
        if (/forbidden: User/.test(reply.text)) {
          wrong.push(`${user} on ${o.name}: the cluster was asked`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });

    it("writes with the user's own token when both allow", async () => {
      const wrong: string[] = [];
      const body = { cluster: CLUSTER.name, ...ALPHA };
      const paused = await send(ALICE, 'POST', 'pause', {
        body,
        token: tokens.alice,
        wrong,
      });
      expect(paused.status).toBe(200);
      const claim = await admin.get(ALPHA);
      expect(claim?.metadata.annotations?.['crossplane.io/paused']).toBe(
        'true',
      );
      const resumed = await send(ALICE, 'POST', 'resume', {
        body,
        token: tokens.alice,
        wrong,
      });
      expect(resumed.status).toBe(200);
      expect(
        (await admin.get(ALPHA))?.metadata.annotations?.[
          'crossplane.io/paused'
        ],
      ).toBeUndefined();
      expect(wrong).toEqual([]);
      // The next tests compare with the claim as it is now.
      before = await snapshotCluster(admin, SNAPSHOT_KINDS);
    });

    it('shows the same on read routes whatever cluster token comes along', async () => {
      const wrong: string[] = [];
      const reads = [
        `summary`,
        `tree?${queryOf({ cluster: CLUSTER.name, ...BETA })}`,
        `yaml?${queryOf({ cluster: CLUSTER.name, ...BETA })}`,
        `events?${queryOf({ cluster: CLUSTER.name, ...BETA })}`,
        `capabilities?${queryOf({ cluster: CLUSTER.name, ...BETA })}`,
        `edit?${queryOf({ cluster: CLUSTER.name, ...BETA })}`,
      ];
      for (const user of [ALICE, MALLORY]) {
        for (const route of reads) {
          const plain = await send(user, 'GET', route, { wrong });
          const withToken = await send(user, 'GET', route, {
            token: tokens.admin,
            wrong,
          });
          if (withToken.status !== plain.status) {
            wrong.push(
              `${route} as ${user}: ${plain.status} without a token, ${withToken.status} with the admin's`,
            );
          }
          if (
            withToken.text.includes(BETA.name) !==
            plain.text.includes(BETA.name)
          ) {
            wrong.push(`${route} as ${user}: the admin's token shows more`);
          }
          if (route === 'summary' && withToken.text.includes(BETA.name)) {
            wrong.push(`summary as ${user} shows team-beta's claim`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it("refuses the scaffolder's write actions, whose tasks carry no cluster token, with a clear message, and writes nothing as the service", async () => {
      for (const template of [
        'hostile-clusters-pause',
        'hostile-clusters-edit',
      ]) {
        const task = await runTask(api, ALICE, template, {
          namespace: ALPHA.namespace,
          name: ALPHA.name,
        });
        replies.push(...task.replies);
        expect({ template, status: task.status }).toEqual({
          template,
          status: 'failed',
        });
        expect(task.log).toContain(SIGNED_IN_USER_HEADER);
        expect(task.log).toContain(`"${CLUSTER.name}"`);
      }
      expect(await changes()).toEqual(NOTHING);
    });
  });

  describe('entity transforms', () => {
    it("cannot rename team-beta's claim, move it or rewrite the suite's annotations, and its new owner grants no day-2 operation", async () => {
      const wrong: string[] = [];
      const ref = claimEntityRef(BETA);
      // The transform's owner change is taken: it was applied.
      const entity = await waitFor(`${ref} owned by team-alpha`, async () => {
        const { body } = await api.get(
          ALICE,
          `catalog/entities/by-name/${ref.replace(':', '/')}`,
        );
        return body?.spec?.owner === 'group:default/team-alpha'
          ? body
          : undefined;
      });
      const A = CROSSPLANE_ENTITY_ANNOTATIONS;
      expect(entity.metadata.name).toBe(ref.split('/')[1]);
      expect(entity.metadata.namespace).toBe('default');
      const annotations = entity.metadata.annotations;
      expect(annotations[A.cluster]).toBe(CLUSTER.name);
      expect(annotations[A.namespace]).toBe(BETA.namespace);
      expect(annotations[A.name]).toBe(BETA.name);
      expect(annotations['platformops.io/forged']).toBeUndefined();
      expect(
        Object.entries({ ...annotations, ...entity.metadata.labels })
          .filter(([key]) => key.startsWith('platformops.io/'))
          .filter(([, value]) => String(value).includes(ALPHA.namespace)),
      ).toEqual([]);
      const taken = await api.get(
        ALICE,
        'catalog/entities/by-name/component/team-alpha/hostile-clusters-taken',
      );
      expect(taken.status).toBe(404);
      expect(
        log.lines.some(line =>
          line.includes(
            'Entity transform hostile-take-over may not change metadata.name, metadata.namespace',
          ),
        ),
      ).toBe(true);

      // olivia may do everything to what team-alpha owns: alice's claim,
      // not team-beta's, whatever its entity says.
      const capabilities = async (o: typeof ALPHA) =>
        (
          await send(
            OLIVIA,
            'GET',
            `capabilities?${queryOf({ cluster: CLUSTER.name, ...o })}`,
            { wrong },
          )
        ).body ?? {};
      expect(await capabilities(ALPHA)).toMatchObject({
        upgrade: { allowed: true },
      });
      const theirs = await capabilities(BETA);
      expect(
        Object.entries(theirs).filter(
          ([, c]) => (c as { allowed?: boolean }).allowed,
        ),
      ).toEqual([]);
      for (const [route, body] of writes(BETA)) {
        const reply = await send(OLIVIA, 'POST', route, {
          body,
          token: tokens.bob,
          wrong,
        });
        // An upgrade answers for each object: refused.
        const refused =
          [403, 404].includes(reply.status) ||
          (route === 'upgrade' &&
            reply.status === 200 &&
            reply.body.steps.every(
              (s: { outcome: string }) => s.outcome === 'refused',
            ));
        if (!refused) {
          wrong.push(`${route}: ${reply.status} ${reply.text.slice(0, 300)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });
  });

  it('keeps every cluster token out of the answers, the task logs, the audit records and the backend log', () => {
    const written = [
      ...replies.map(r => r.text),
      ...log.lines,
      JSON.stringify(log.auditRecords()),
    ].join('\n');
    for (const [whose, token] of Object.entries(tokens)) {
      expect({ whose, found: written.includes(token) }).toEqual({
        whose,
        found: false,
      });
    }
  });
});

/*
 * Clusters located through the catalog: a kubernetes-cluster Resource is
 * data that anyone who may register a catalog location writes. alice
 * registers entities pointing at a listener of hers, named like the
 * configured cluster itest (exactly, in upper case, in another namespace),
 * with the catalog locator listed before the config one.
 */
describe('Catalog-located clusters against a hostile user', () => {
  let cp: ReturnType<typeof connectControlPlane>;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  let listener: http.Server;
  /** What the listener was asked: path and Authorization header. */
  const asked: Array<{ url: string; authorization?: string }> = [];
  const identity = createIdentityProvider();
  /** The entities alice's location serves. */
  let served = '';
  /**
   * The platform's own credential, from an auth strategy it added (as
   * aws, azure or googleServiceAccount give the portal's cloud identity).
   */
  const PLATFORM_TOKEN = 'hostile-clusters-platform-credential';
  const BENIGN = 'hostile-clusters-benign';
  const TWIN = 'hostile-clusters-twin';

  /** A cluster entity whose API server is the listener, under `prefix`. */
  function lure(
    name: string,
    prefix: string,
    namespace = 'default',
    authProvider = 'localKubectlProxy',
  ) {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace,
        annotations: {
          'kubernetes.io/api-server': `http://127.0.0.1:${
            (listener.address() as AddressInfo).port
          }/${prefix}`,
          'kubernetes.io/api-server-certificate-authority':
            cp.backstageCluster.caData,
          // By default as kubectl proxy does: the portal sends nothing.
          'kubernetes.io/auth-provider': authProvider,
        },
      },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/team-alpha' },
    };
  }

  const clusters = async () => {
    const { status, body } = await api.get(ALICE, 'crossplane/clusters');
    expect(status).toBe(200);
    return body.items as Array<{
      name: string;
      reachable: boolean;
      synced: boolean;
    }>;
  };

  beforeAll(async () => {
    cp = connectControlPlane(CLUSTER);
    listener = http.createServer((req, res) => {
      if (req.url === '/entities.yaml') {
        res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(served);
        return;
      }
      asked.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>(r => listener.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(listener.address() as AddressInfo).port}`;

    const started = await startPortalBackend({
      name: 'hostile-catalog-clusters',
      cluster: cp.backstageCluster,
      entities: [],
      policy,
      identity,
      features: [
        crossplaneClustersServiceFactory({
          authStrategies: [
            {
              authProvider: 'platformVault',
              strategy: {
                getCredential: async () => ({
                  type: 'bearer token',
                  token: PLATFORM_TOKEN,
                }),
                validateCluster: () => [],
                presentAuthMetadata: () => ({}),
              },
            },
          ],
        }),
      ],
      config: {
        catalog: {
          processingInterval: { seconds: 1 },
          rules: [{ allow: ['Resource', 'Location'] }],
          providers: { crossplane: { debounceMs: 200, templates: false } },
        },
        kubernetes: {
          // The catalog's first: a legitimate order, which must not let an
          // entity take a configured cluster's name.
          clusterLocatorMethods: [
            { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
            { type: 'config', clusters: [cp.backstageCluster] },
          ],
        },
        crossplane: { clusters: { refreshInterval: { seconds: 2 } } },
        // alice's location is on her own host.
        backend: { reading: { allow: [{ host }] } },
      },
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await api.waitForSync(ALICE);

    served = [
      lure(BENIGN, 'benign'),
      lure(CLUSTER.name, 'exact'),
      // The catalog's names ignore case: another namespace, or it would
      // be the same entity as the one above.
      lure(CLUSTER.name.toUpperCase(), 'upper', 'hostile-clusters-upper'),
      lure(CLUSTER.name, 'namespaced', 'hostile-clusters'),
      // Its cluster-scoped objects' entity names would be those of the
      // namespaced objects of team-alpha in itest.
      lure(`${ALPHA.namespace}.${CLUSTER.name}`, 'dotted'),
      // Two entities, one cluster name: neither may decide what it is.
      lure(TWIN, 'twin-a'),
      lure(TWIN, 'twin-b', 'hostile-clusters'),
      // Would be sent the platform's own credential.
      lure('hostile-clusters-vault', 'vault', 'default', 'platformVault'),
    ]
      // JSON documents are YAML documents.
      .map(entity => JSON.stringify(entity))
      .join('\n---\n');
    // alice may register a location, as anyone with catalog access may.
    const registered = await api.post(ALICE, 'catalog/locations', {
      type: 'url',
      target: `http://${host}/entities.yaml`,
    });
    if (registered.status !== 201) throw new Error(registered.text);
    // The catalog locator has answered with alice's entities.
    await waitFor(`${BENIGN} to be found`, async () =>
      (await clusters()).some(c => c.name === BENIGN) ? true : undefined,
    );
  });

  afterAll(async () => {
    await stop?.();
    await new Promise(r => listener?.close(r));
  });

  it("takes no configured cluster's name, in any case or namespace, nor one whose entities pass for its, nor one two entities claim, and sends the listener no credential", async () => {
    // A few refreshes: every entity had its chance.
    await new Promise(r => setTimeout(r, 6_000));
    // Requests that reach a cluster, naming the one of the platform's credential.
    for (const route of [
      `create-options/namespaces?${queryOf({
        cluster: 'hostile-clusters-vault',
        xrd: XRD,
      })}`,
      `upgrades?${queryOf({ cluster: 'hostile-clusters-vault' })}`,
    ]) {
      await api.get(ALICE, `crossplane/${route}`);
    }
    const listed = await clusters();
    expect({
      names: listed.map(c => c.name).sort(),
      itest: listed.find(c => c.name === CLUSTER.name),
      // Only the benign entity's cluster may ask the listener anything.
      askedFor: [...new Set(asked.map(a => a.url.split('/')[1]))].filter(
        prefix => prefix !== 'benign',
      ),
      withCredentials: asked.filter(a => a.authorization),
    }).toMatchObject({
      names: [BENIGN, CLUSTER.name].sort(),
      itest: { reachable: true, synced: true },
      askedFor: [],
      withCredentials: [],
    });
    for (const token of [
      cp.backstageCluster.serviceAccountToken,
      PLATFORM_TOKEN,
    ]) {
      expect(JSON.stringify(asked)).not.toContain(token);
    }
  });
});

/*
 * Objects delivered through Git: their Edit and Delete open a pull request
 * on the file their annotations name. alice annotates her own claim with
 * team-beta's file in a repository the portal may open pull requests to: a
 * file that leaves the namespace to its sync (as a kustomization's target
 * namespace does), of the same kind and name.
 */
describe('Objects delivered through Git against a hostile user', () => {
  const git = connectGitHost();
  const REPO = 'hostile-clusters-gitops';
  const SHARED = {
    ...BUCKET,
    namespace: 'team-alpha',
    name: 'hostile-clusters-shared',
  };
  const BETA_FILE = `teams/team-beta/${SHARED.name}.yaml`;
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  const identity = createIdentityProvider();

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    await git.createRepository(REPO, {
      [BETA_FILE]: `apiVersion: ${SHARED.apiVersion}
kind: ${SHARED.kind}
metadata:
  name: ${SHARED.name}
spec:
  parameters:
    storageClass: STANDARD
    region: eu-west-1
`,
    });
    await waitUntilNotDeleting(admin, SHARED);
    await admin.apply(
      bucketClaim(SHARED, {
        'platformops.io/source-repo': `${git.host}?owner=${git.owner}&repo=${REPO}`,
        'platformops.io/source-path': BETA_FILE,
      }),
      { fieldManager: FIELD_MANAGER, force: true },
    );
    const started = await startPortalBackend({
      name: 'hostile-gitops',
      cluster: cp.backstageCluster,
      entities: [],
      policy,
      identity,
      config: {
        integrations: { gitea: [git.integration] },
        crossplane: {
          gitops: { repositories: [`${git.host}/${git.owner}/${REPO}`] },
        },
      },
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
    await api.waitForSync(ALICE);
    await waitFor(`${SHARED.name} in the cache`, async () => {
      const { status } = await api.get(
        ALICE,
        `crossplane/edit?${queryOf({ cluster: CLUSTER.name, ...SHARED })}`,
      );
      return status === 200 ? true : undefined;
    });
  });

  afterAll(async () => {
    await stop?.();
    await admin?.delete(SHARED).catch(() => undefined);
    await git.deleteRepository(REPO).catch(() => undefined);
  });

  it("opens no pull request on another team's file that her claim's annotations name", async () => {
    const id = { cluster: CLUSTER.name, ...SHARED };
    const edit = await api.post(ALICE, 'crossplane/edit', {
      ...id,
      values: { parameters: { ...PARAMETERS, storageClass: 'NEARLINE' } },
    });
    const remove = await api.post(ALICE, 'crossplane/delete', {
      ...id,
      confirm: SHARED.name,
    });
    expect({
      edit: edit.status,
      delete: remove.status,
      pulls: await git.pulls(REPO),
    }).toEqual({ edit: 409, delete: 409, pulls: [] });
    expect(edit.body.error.message).toContain(BETA_FILE);
    expect(await admin.get(SHARED)).toMatchObject({
      metadata: { name: SHARED.name },
    });
  });
});
