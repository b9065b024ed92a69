/*
 * The newer surfaces as a hostile user tries them, behind real auth and
 * the real permission backend, on the local control plane (itest): the
 * actions registry (its HTTP API and the MCP server), the roll-up routes,
 * the create preview, capabilities, and the scaffolder's crossplane:edit
 * and crossplane:upgrade run as real tasks.
 *
 * Users (the test's policy; everything but crossplane.* allowed):
 * - alice, of team-alpha: crossplane.* only in namespace team-alpha;
 * - rita: reads every Crossplane object, does nothing else;
 * - mallory: no crossplane.* permission at all.
 *
 * The test creates (admin) a claim in each team namespace, a Deployment
 * and a Secret of team-beta, and a Secret of team-alpha, all named
 * `hostile-`, with a canary value that no answer, task log or backend log
 * may hold, and removes them at the end.
 */
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  CROSSPLANE_ENTITY_ANNOTATIONS,
  getResourceRefs,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
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
  dependsOnRef,
  NOP,
  XBUCKET,
} from '../__testUtils__/demoObjects';
import {
  ClusterSnapshot,
  diffSnapshots,
  snapshotCluster,
} from '../__testUtils__/clusterSnapshot';
import {
  hostileSpellings,
  ObjectName,
  Spelling,
} from '../__testUtils__/hostileSpellings';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { FIELD_FIRST, leaksOf, newCanary } from '../__testUtils__/leaks';
import { mcpClients } from '../__testUtils__/mcpClients';
import {
  portalClient,
  PortalClient,
  queryOf,
  Reply,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(900_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const RITA = 'user:default/rita';
const MALLORY = 'user:default/mallory';
const FIELD_MANAGER = 'hostile-surfaces-test';

/** Planted in a Secret, annotations and a pod's environment; never sent. */
const CANARY = newCanary();

const XRD = 'xobjectbuckets.storage.platformops.io';

const ALPHA = { ...BUCKET, namespace: 'team-alpha', name: 'hostile-alpha' };
const BETA = { ...BUCKET, namespace: 'team-beta', name: 'hostile-beta' };
const SECRET = { apiVersion: 'v1', kind: 'Secret', name: 'hostile-conn' };
const BETA_APP = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'team-beta',
  name: 'hostile-beta-app',
};

/** Kinds listed before and after, to prove what refused operations left. */
const SNAPSHOT_KINDS = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  ...['kube-system', 'crossplane-system', 'team-alpha', 'team-beta'].map(
    namespace => ({ apiVersion: 'v1', kind: 'Secret', namespace }),
  ),
  { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'team-beta' },
  BUCKET,
  XBUCKET,
  NOP,
];

/** Only what this suite planted or could have made: others share itest. */
const notOurs = (key: string) => !key.includes('hostile-');

const policy = teamNamespacePolicy({
  moduleId: 'hostile-surfaces-test-policy',
  namespaces: { [ALICE]: ['team-alpha'] },
  readers: [RITA],
});

/** A user-authored Component of a team, with the annotations it claims. */
function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner,
      system: 'hostile-system',
    },
  };
}

/** A cluster object as the depends-on annotation names it. */
const objectRef = (o: ObjectName) => dependsOnRef(CLUSTER.name, o);

/** A template as a user could write it in the template editor. */
function template(
  name: string,
  parameters: Record<string, { type: string }>,
  step: { action: string; input: Record<string, unknown> },
) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, title: name },
    spec: {
      owner: 'group:default/team-alpha',
      type: 'resource',
      parameters: [{ properties: parameters }],
      steps: [{ id: 'run', ...step }],
    },
  };
}

const TEMPLATES = [
  template(
    'hostile-edit',
    {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      namespace: { type: 'string' },
      name: { type: 'string' },
      values: { type: 'object' },
    },
    {
      action: 'crossplane:edit',
      input: {
        cluster: CLUSTER.name,
        apiVersion: '${{ parameters.apiVersion }}',
        kind: '${{ parameters.kind }}',
        namespace: '${{ parameters.namespace }}',
        name: '${{ parameters.name }}',
        values: '${{ parameters.values }}',
      },
    },
  ),
  template(
    'hostile-upgrade',
    { objects: { type: 'array' } },
    {
      action: 'crossplane:upgrade',
      input: { objects: '${{ parameters.objects }}', waitSeconds: 5 },
    },
  ),
];

describe('The newer surfaces against a hostile user', () => {
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  /** team-beta's composite (cluster-scoped) and managed resource. */
  let betaXr: ObjectName;
  let betaMr: ObjectName;
  let before: ClusterSnapshot;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  const mcpSessions = mcpClients({
    port: () => api.port,
    token: user => api.tokenOf(user),
  });
  /** Names of claims a create was asked for: removed at the end if made. */
  const created: string[] = ['hostile-mcp', 'hostile-big', 'hostile-preview'];

  /** Requests to a backend as the suite's users. */
  const userRequests = (port: number) =>
    portalClient({
      port,
      identity,
      ownership: { [ALICE]: ['group:default/team-alpha'] },
    });

  /** Signs that a text tells more than it should. */
  const leaksIn = (text: string) => leaksOf(text, CANARY);

  /**
   * A request as a user (none: no token). What no reply may do is
   * collected in `wrong`: a 5xx, a leak, a 400 naming no field.
   */
  async function send(
    user: string | undefined,
    method: 'GET' | 'POST',
    route: string,
    body?: string,
    wrong?: string[],
  ): Promise<Reply> {
    const reply = await api.send(user, method, route, body);
    const { status, text, body: parsed } = reply;
    const where = `${method} ${route.slice(0, 120)} as ${user ?? 'nobody'}`;
    if (wrong) {
      if (status >= 500) wrong.push(`${where}: ${status} ${text}`);
      for (const leak of leaksIn(text)) wrong.push(`${where}: ${leak}`);
      const message: string = parsed?.error?.message ?? '';
      // The actions registry checks an action's input schema itself, with
      // messages of its own that name the field in `path`.
      const named = FIELD_FIRST.test(message) || /"path": \[/.test(message);
      if (status === 400 && !named) {
        wrong.push(`${where}: 400 naming no field (${message})`);
      }
    }
    return reply;
  }

  const get = (user: string, route: string, wrong?: string[]) =>
    send(user, 'GET', `crossplane/${route}`, undefined, wrong);
  const post = (user: string, route: string, body: unknown, wrong?: string[]) =>
    send(user, 'POST', `crossplane/${route}`, JSON.stringify(body), wrong);
  /** An action of the actions registry, through its HTTP API. */
  const invoke = (
    user: string | undefined,
    action: string,
    input: unknown,
    wrong?: string[],
  ) =>
    send(
      user,
      'POST',
      `crossplane/.backstage/actions/v1/actions/crossplane:${action}/invoke`,
      JSON.stringify(input),
      wrong,
    );

  /** What changed on the cluster among this suite's objects since `before`. */
  async function changes() {
    return diffSnapshots(
      before,
      await snapshotCluster(admin, SNAPSHOT_KINDS),
      notOurs,
    );
  }
  const NOTHING = { created: [], deleted: [], changed: [] };

  /** An MCP client connected as a user (their Backstage token), or none. */
  const mcp = mcpSessions.connect;

  /** Runs a template as a user, to its end: status, log, failed steps. */
  async function runTask(
    user: string,
    templateName: string,
    values: Record<string, unknown>,
    wrong: string[],
  ) {
    const started = await send(
      user,
      'POST',
      'scaffolder/v2/tasks',
      JSON.stringify({
        templateRef: `template:default/${templateName}`,
        values,
      }),
      wrong,
    );
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const task = await waitFor(
      `task ${id} to finish`,
      async () => {
        const { body } = await send(user, 'GET', `scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body
          : undefined;
      },
      120_000,
    );
    const events = await send(
      user,
      'GET',
      `scaffolder/v2/tasks/${id}/events`,
      undefined,
      wrong,
    );
    return {
      status: task.status as string,
      log: (events.body as Array<{ body: { message?: string } }>)
        .map(e => e.body.message ?? '')
        .join('\n'),
    };
  }

  const composed = (o: ObjectName) => waitForComposed(admin, o);

  const apply = (object: KubernetesObject) =>
    admin.apply(object, { fieldManager: FIELD_MANAGER, force: true });

  async function plant() {
    // A previous run's objects may still be going away.
    await Promise.all(
      [ALPHA, BETA, BETA_APP].map(o => waitUntilNotDeleting(admin, o)),
    );
    for (const o of [ALPHA, BETA]) {
      await apply(bucketClaim(o, { 'example.org/token': CANARY }));
    }
    for (const namespace of ['team-alpha', 'team-beta']) {
      await apply({
        apiVersion: SECRET.apiVersion,
        kind: SECRET.kind,
        metadata: { name: SECRET.name, namespace },
        stringData: { password: CANARY },
      } as KubernetesObject);
    }
    await apply({
      apiVersion: BETA_APP.apiVersion,
      kind: BETA_APP.kind,
      metadata: {
        name: BETA_APP.name,
        namespace: BETA_APP.namespace,
        labels: { 'backstage.io/kubernetes-id': BETA_APP.name },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: BETA_APP.name } },
        template: {
          metadata: {
            labels: {
              app: BETA_APP.name,
              'backstage.io/kubernetes-id': BETA_APP.name,
            },
          },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'registry.example.com/app:1',
                env: [{ name: 'TOKEN', value: CANARY }],
              },
            ],
          },
        },
      },
    } as KubernetesObject);
  }

  /** The entities: teams, users, templates, and the services that lie. */
  function entities() {
    const A = CROSSPLANE_ENTITY_ANNOTATIONS;
    const forged = (o: ObjectName, namespace?: string) => ({
      [A.cluster]: CLUSTER.name,
      [A.apiVersion]: o.apiVersion,
      [A.kind]: o.kind,
      ...(namespace ? { [A.namespace]: namespace } : {}),
      [A.name]: o.name,
    });
    return [
      ...(teamOrg({ alice: ['team-alpha'], rita: [], mallory: [] }, [
        'team-alpha',
        'team-beta',
      ]) as Array<{ kind: string }>),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'hostile-system' },
        spec: { owner: 'group:default/team-alpha' },
      },
      // alice's service names team-beta's workloads, claim, composite and
      // Secrets as its own.
      component('hostile-alpha-svc', 'group:default/team-alpha', {
        'backstage.io/kubernetes-id': BETA_APP.name,
        'backstage.io/kubernetes-namespace': 'team-beta',
        'platformops.io/depends-on': [
          objectRef(BETA),
          objectRef(betaXr),
          objectRef(betaMr),
          objectRef({ ...SECRET, namespace: 'team-beta' }),
          objectRef({ ...SECRET, namespace: 'team-alpha' }),
        ].join(','),
      }),
      // Entities that claim to be team-beta's objects, by the annotations
      // the Crossplane provider writes (and with a namespace that lies).
      component(
        'hostile-forged-claim',
        'group:default/team-alpha',
        forged(BETA, 'team-beta'),
      ),
      component(
        'hostile-forged-xr',
        'group:default/team-alpha',
        forged(betaXr, 'team-alpha'),
      ),
      component(
        'hostile-forged-mr',
        'group:default/team-alpha',
        forged(betaMr),
      ),
      component(
        'hostile-forged-secret',
        'group:default/team-alpha',
        forged({ ...SECRET, namespace: 'team-beta' }, 'team-beta'),
      ),
      // team-beta's own service, in the same System.
      component('hostile-beta-svc', 'group:default/team-beta', {
        'backstage.io/kubernetes-id': BETA_APP.name,
        'platformops.io/depends-on': objectRef(BETA),
      }),
      ...TEMPLATES,
    ];
  }

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    await plant();
    await composed(ALPHA);
    betaXr = { ...XBUCKET, name: await composed(BETA) };
    const xr = await admin.get(betaXr);
    const mrName =
      xr && getResourceRefs(xr).find(r => r.kind === NOP.kind)?.name;
    if (!mrName) throw new Error(`${betaXr.name} composes no ${NOP.kind}`);
    betaMr = { ...NOP, name: mrName };

    const started = await startPortalBackend({
      name: 'hostile-surfaces',
      cluster: cp.backstageCluster,
      entities: entities(),
      policy,
      identity,
      features: [mcpActionsPlugin, log.factory],
      config: { backend: { actions: { pluginSources: ['crossplane'] } } },
    });
    stop = started.stop;
    api = userRequests(started.backend.server.port());
    await api.waitForSync(ALICE);
    // rita reads all: once her view of alice's service shows team-beta's
    // claim and workload, the catalog and the cache hold what alice tries.
    let seen = '';
    await waitFor(
      "alice's service to name team-beta's objects",
      async () => {
        const { status, text } = await get(
          RITA,
          `rollup?${queryOf({
            entityRef: 'component:default/hostile-alpha-svc',
          })}`,
        );
        seen = text;
        return status === 200 &&
          text.includes(`Deployment ${BETA_APP.name}`) &&
          text.includes(`ObjectBucket ${BETA.name}`)
          ? true
          : undefined;
      },
      180_000,
    ).catch(error => {
      throw new Error(`${error.message}; rita's roll-up: ${seen}`);
    });
    before = await snapshotCluster(admin, SNAPSHOT_KINDS);
  });

  afterAll(async () => {
    await mcpSessions.closeAll();
    await stop?.();
    for (const o of [
      ALPHA,
      BETA,
      BETA_APP,
      { ...SECRET, namespace: 'team-alpha' },
      { ...SECRET, namespace: 'team-beta' },
      ...created.map(name => ({ ...BUCKET, namespace: 'team-alpha', name })),
    ]) {
      await admin?.delete(o).catch(() => undefined);
    }
  });

  /** team-beta's claim, composite and managed resource, every spelling. */
  const betaSpellings = (): Array<[string, Spelling]> => [
    ...hostileSpellings('claim', BETA, 'team-alpha'),
    ...hostileSpellings('composite', betaXr, 'team-alpha'),
    ...hostileSpellings('managed resource', betaMr, 'team-alpha'),
  ];

  /** What never appears in alice's answers about team-beta's objects. */
  const betaNames = () => [
    `ObjectBucket ${BETA.name}`,
    betaXr.name,
    betaMr.name,
    BETA_APP.name,
    SECRET.name,
    CANARY,
  ];

  describe('the actions registry and the MCP server', () => {
    const OBJECT_ACTIONS: Array<[string, Record<string, unknown>]> = [
      ['get-crossplane-resource-tree', {}],
      ['get-crossplane-resource-events', {}],
      ['get-crossplane-resource-yaml', {}],
      ['get-crossplane-resource-timeline', {}],
      ['preview-crossplane-deletion', {}],
      ['get-crossplane-edit-form', {}],
      ['edit-crossplane-resource', { values: { parameters: PARAMETERS } }],
      ['pause-crossplane-resource', {}],
      ['resume-crossplane-resource', { dryRun: true }],
      ['reconcile-crossplane-resource', {}],
      ['delete-crossplane-resource', { confirm: BETA.name, dryRun: false }],
    ];

    it("refuses every action on team-beta's claim, composite and managed resource, by every spelling, and changes nothing", async () => {
      const wrong: string[] = [];
      for (const [label, o] of betaSpellings()) {
        const id = { cluster: CLUSTER.name, ...o };
        const calls: Array<[string, unknown]> = [
          ...OBJECT_ACTIONS.map(
            ([action, extra]) =>
              [action, { ...id, ...extra }] as [string, unknown],
          ),
          ['upgrade-crossplane-resources', { objects: [id] }],
        ];
        for (const [action, input] of calls) {
          const reply = await invoke(ALICE, action, input, wrong);
          const where = `${action} of ${label}`;
          if (reply.status === 200) {
            // Only an upgrade answers 200, with each object refused.
            const steps = reply.body?.output?.result?.steps ?? [];
            const ok =
              action === 'upgrade-crossplane-resources' &&
              steps.every(
                (s: { outcome: string; message?: string }) =>
                  s.outcome === 'refused' ||
                  (s.outcome === 'failed' && /not found/.test(s.message ?? '')),
              );
            if (!ok) wrong.push(`${where}: 200 ${reply.text.slice(0, 300)}`);
          } else if (![400, 403, 404].includes(reply.status)) {
            wrong.push(`${where}: ${reply.status}`);
          }
          // An error may repeat the name asked for, nothing else of it.
          let told = reply.text;
          if (typeof o.name === 'string') {
            // As given, as JSON spells it, and as JSON in a JSON message.
            const json = JSON.stringify(o.name).slice(1, -1);
            const twice = JSON.stringify(json).slice(1, -1);
            for (const asked of [twice, json, o.name]) {
              told = told.split(asked).join('<asked>');
            }
          }
          for (const name of betaNames()) {
            if (told.includes(name)) wrong.push(`${where}: tells ${name}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });

    it("lists nothing of team-beta's, whatever the filters", async () => {
      const wrong: string[] = [];
      for (const input of [
        {},
        { namespace: ['team-beta'] },
        { owner: ['group:default/team-beta', 'team-beta'] },
        { cluster: [CLUSTER.name], namespace: ['team-beta', 'TEAM-BETA'] },
      ]) {
        const reply = await invoke(
          ALICE,
          'list-crossplane-resources',
          input,
          wrong,
        );
        expect(reply.status).toBe(200);
        for (const name of [BETA.name, betaXr.name, betaMr.name]) {
          if (reply.text.includes(`"${name}"`)) {
            wrong.push(`${JSON.stringify(input)}: lists ${name}`);
          }
        }
      }
      const lags = await invoke(
        ALICE,
        'list-crossplane-revision-upgrades',
        {},
        wrong,
      );
      expect(lags.status).toBe(200);
      if (lags.text.includes(`"${BETA.name}"`))
        wrong.push('upgrades list team-beta');
      const none = await invoke(
        MALLORY,
        'list-crossplane-resources',
        {},
        wrong,
      );
      expect(none.status).toBe(403);
      expect(wrong).toEqual([]);
    });

    it("creates nothing outside alice's namespace, of no other kind, with no control field, and no dry run becomes real", async () => {
      /** Each request its own name: what one makes, the next cannot hide. */
      let name = 'hostile-created-0';
      let made = 0;
      const fresh = (input: Record<string, unknown>) => {
        name = `hostile-created-${++made}`;
        created.push(name);
        const given = input.values as Record<string, unknown>;
        return { ...input, values: { ...given, name } };
      };
      /** Whether the last request left an object of its name anywhere. */
      const createdBy = async (what: string, found: string[]) => {
        for (const namespace of ['team-alpha', 'team-beta', 'kube-system']) {
          if (await admin.get({ ...BUCKET, namespace, name })) {
            found.push(`${what}: created ${namespace}/${name}`);
          }
        }
      };
      const values = (extra: Record<string, unknown> = {}) => ({
        name,
        namespace: 'team-alpha',
        parameters: PARAMETERS,
        ...extra,
      });
      const cases: Array<[string, Record<string, unknown>]> = [
        [
          "team-beta's namespace",
          { xrd: XRD, values: values({ namespace: 'team-beta' }) },
        ],
        [
          'kube-system',
          { xrd: XRD, values: values({ namespace: 'kube-system' }) },
        ],
        [
          'a namespace look-alike',
          { xrd: XRD, values: values({ namespace: 'team-alph\u0430' }) },
        ],
        [
          'a Secret',
          { xrd: 'secrets', values: values({ stringData: { a: 'b' } }) },
        ],
        ['a Secret, with its group', { xrd: 'secrets.v1', values: values() }],
        [
          'a ClusterRoleBinding',
          {
            xrd: 'clusterrolebindings.rbac.authorization.k8s.io',
            values: values(),
          },
        ],
        [
          'the XRD look-alike',
          {
            xrd: `xobjectbuckets.storage.platformops.io.evil.example`,
            values: values(),
          },
        ],
        ['the XRD as a list', { xrd: [XRD], values: values() }],
        [
          'spec.compositionRef',
          { xrd: XRD, values: values({ compositionRef: { name: 'x' } }) },
        ],
        [
          'compositionRef in parameters',
          {
            xrd: XRD,
            values: values({
              parameters: { ...PARAMETERS, compositionRef: { name: 'x' } },
            }),
          },
        ],
        [
          'resourceRef to the composite of team-beta',
          {
            xrd: XRD,
            values: values({
              resourceRef: {
                apiVersion: XBUCKET.apiVersion,
                kind: XBUCKET.kind,
                name: 'hostile-beta-x',
              },
            }),
          },
        ],
        [
          'writeConnectionSecretToRef into team-beta',
          {
            xrd: XRD,
            values: values({
              writeConnectionSecretToRef: { name: 'x', namespace: 'team-beta' },
            }),
          },
        ],
        [
          'metadata.ownerReferences',
          {
            xrd: XRD,
            values: values({
              metadata: {
                ownerReferences: [
                  {
                    apiVersion: 'v1',
                    kind: 'Namespace',
                    name: 'team-beta',
                    uid: 'x',
                  },
                ],
              },
            }),
          },
        ],
        [
          'ownerReferences',
          { xrd: XRD, values: values({ ownerReferences: [{ name: 'x' }] }) },
        ],
        [
          'finalizers',
          {
            xrd: XRD,
            values: values({ finalizers: ['hostile.example/forever'] }),
          },
        ],
        [
          'crossplane.io/external-name',
          {
            xrd: XRD,
            values: values({
              annotations: { 'crossplane.io/external-name': 'theirs' },
            }),
          },
        ],
        [
          'crossplane.io/paused',
          {
            xrd: XRD,
            values: values({ annotations: { 'crossplane.io/paused': 'true' } }),
          },
        ],
        [
          'argocd tracking',
          {
            xrd: XRD,
            values: values({ labels: { 'argocd.argoproj.io/instance': 'x' } }),
          },
        ],
      ];
      const wrong: string[] = [];
      for (const [what, input] of cases) {
        for (const dryRun of [true, false]) {
          const reply = await invoke(
            ALICE,
            'create-crossplane-resource',
            { cluster: CLUSTER.name, ...fresh(input), dryRun },
            wrong,
          );
          await createdBy(`${what}${dryRun ? ' (dry run)' : ''}`, wrong);
          if (![400, 403, 404].includes(reply.status)) {
            wrong.push(
              `${what}${dryRun ? ' (dry run)' : ''}: ${
                reply.status
              } ${reply.text.slice(0, 200)}`,
            );
          }
        }
        const preview = await post(
          ALICE,
          'create-preview',
          { cluster: CLUSTER.name, ...fresh(input) },
          wrong,
        );
        await createdBy(`${what} (preview)`, wrong);
        if (![400, 403, 404].includes(preview.status)) {
          wrong.push(
            `${what} (preview): ${preview.status} ${preview.text.slice(
              0,
              200,
            )}`,
          );
        }
      }
      // The form's Crossplane step takes a Composition's name: anything
      // else in it reaches no manifest.
      const step = await post(
        ALICE,
        'create-preview',
        {
          cluster: CLUSTER.name,
          ...fresh({
            xrd: XRD,
            values: values({
              crossplane: {
                compositionRef: { name: 'x' },
                resourceRef: { name: betaXr.name },
                writeConnectionSecretToRef: { namespace: 'team-beta' },
              },
            }),
          }),
        },
        wrong,
      );
      await createdBy("the form's Crossplane step", wrong);
      if (step.status === 200) {
        for (const field of ['compositionRef', 'resourceRef', 'team-beta']) {
          if (step.body.manifest.includes(field)) {
            wrong.push(`the form's Crossplane step: ${field} in the manifest`);
          }
        }
      }
      // A dry run spelt otherwise is refused, never taken for a real create;
      // a preview told not to dry-run stays a preview.
      for (const dryRun of ['false', 'true', 0, 1, null, 'yes', {}]) {
        const reply = await invoke(
          ALICE,
          'create-crossplane-resource',
          {
            cluster: CLUSTER.name,
            ...fresh({ xrd: XRD, values: values() }),
            dryRun,
          },
          wrong,
        );
        await createdBy(`dryRun ${JSON.stringify(dryRun)}`, wrong);
        if (reply.status !== 400) {
          wrong.push(`dryRun ${JSON.stringify(dryRun)}: ${reply.status}`);
        }
      }
      const preview = await invoke(
        ALICE,
        'preview-crossplane-creation',
        {
          cluster: CLUSTER.name,
          ...fresh({ xrd: XRD, values: values() }),
          dryRun: false,
        },
        wrong,
      );
      await createdBy('the preview told dryRun false', wrong);
      if (
        preview.status === 200 &&
        preview.body.output.result.validation?.ok !== true
      ) {
        wrong.push(`preview: ${preview.text.slice(0, 200)}`);
      }
      // Without a token, or without the permission: nothing.
      const anonymous = await invoke(
        undefined,
        'create-crossplane-resource',
        {
          cluster: CLUSTER.name,
          ...fresh({ xrd: XRD, values: values() }),
          dryRun: false,
        },
        wrong,
      );
      await createdBy('the create without a token', wrong);
      expect(anonymous.status).toBe(401);
      const refused = await invoke(
        MALLORY,
        'create-crossplane-resource',
        {
          cluster: CLUSTER.name,
          ...fresh({ xrd: XRD, values: values() }),
          dryRun: false,
        },
        wrong,
      );
      await createdBy("mallory's create", wrong);
      expect(refused.status).toBe(403);
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });

    it('answers oversized and malformed inputs with a 4xx, never a 5xx', async () => {
      const wrong: string[] = [];
      const id = { cluster: CLUSTER.name, ...ALPHA };
      const inputs: Array<[string, unknown]> = [
        ['get-crossplane-resource-tree', { ...id, name: 'x'.repeat(100_000) }],
        ['get-crossplane-resource-tree', { ...id, name: 'a'.repeat(300) }],
        ['get-crossplane-resource-tree', { ...id, apiVersion: '/'.repeat(50) }],
        ['get-crossplane-resource-tree', { ...id, cluster: 'nowhere' }],
        ['get-crossplane-resource-tree', { ...id, cluster: '__proto__' }],
        ['get-crossplane-resource-tree', { ...id, cluster: 'constructor' }],
        ['get-crossplane-resource-tree', []],
        ['list-crossplane-xrds', { cluster: ['__proto__'] }],
        ['list-crossplane-xrds', { cluster: ['nowhere'] }],
        [
          'create-crossplane-resource',
          {
            cluster: CLUSTER.name,
            xrd: XRD,
            values: {
              name: 'hostile-big',
              namespace: 'team-alpha',
              parameters: { ...PARAMETERS, region: 'x'.repeat(3_000_000) },
            },
            dryRun: true,
          },
        ],
        [
          'create-crossplane-resource',
          { cluster: '__proto__', xrd: XRD, values: {}, dryRun: true },
        ],
        [
          'create-crossplane-resource',
          {
            cluster: CLUSTER.name,
            xrd: 'x'.repeat(10_000),
            values: {},
            dryRun: true,
          },
        ],
        [
          'upgrade-crossplane-resources',
          { objects: Array.from({ length: 1000 }, () => id) },
        ],
      ];
      for (const [action, input] of inputs) {
        const reply = await invoke(ALICE, action, input, wrong);
        if (reply.status < 400) {
          wrong.push(
            `${action} ${JSON.stringify(input).slice(0, 80)}: ${reply.status}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });

    it("serves no tool without a token, and through MCP tells alice nothing of team-beta's", async () => {
      // Without a token there is no MCP session.
      await expect(mcp()).rejects.toThrow();

      const client = await mcp(ALICE);
      const wrong: string[] = [];
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({
          name: `crossplane.${name}`,
          arguments: args,
        })) as { isError?: boolean; content: Array<{ text?: string }> };
        const text = result.content.map(c => c.text ?? '').join('\n');
        for (const leak of leaksIn(text)) wrong.push(`${name}: ${leak}`);
        return { ...result, text };
      };
      for (const [label, o] of betaSpellings().filter(
        ([, s]) => typeof s.name === 'string' && typeof s.kind === 'string',
      )) {
        const id = { cluster: CLUSTER.name, ...o };
        for (const [action, extra] of [
          ['get-crossplane-resource-yaml', {}],
          ['get-crossplane-resource-tree', {}],
          ['delete-crossplane-resource', { confirm: o.name, dryRun: false }],
          [
            'edit-crossplane-resource',
            { values: { parameters: { ...PARAMETERS, region: 'us-east-1' } } },
          ],
        ] as const) {
          const result = await call(action, { ...id, ...extra });
          if (!result.isError)
            wrong.push(
              `${action} of ${label}: answered ${result.text.slice(0, 200)}`,
            );
        }
      }
      for (const dryRun of ['false', 0]) {
        const result = await call('create-crossplane-resource', {
          cluster: CLUSTER.name,
          xrd: XRD,
          values: {
            name: 'hostile-mcp',
            namespace: 'team-alpha',
            parameters: PARAMETERS,
          },
          dryRun,
        });
        if (!result.isError)
          wrong.push(
            `create with dryRun ${dryRun}: ${result.text.slice(0, 200)}`,
          );
      }
      const listed = await call('list-crossplane-resources', {
        namespace: ['team-beta'],
      });
      if (listed.text.includes(`"${BETA.name}"`)) wrong.push('lists team-beta');
      expect(wrong).toEqual([]);
      expect(
        await admin.get({
          ...BUCKET,
          namespace: 'team-alpha',
          name: 'hostile-mcp',
        }),
      ).toBeUndefined();
      expect(await changes()).toEqual(NOTHING);
    });
  });

  describe('the roll-up routes', () => {
    const rollup = (user: string, entityRef: string, wrong: string[]) =>
      get(user, `rollup?${queryOf({ entityRef })}`, wrong);

    /**
     * What a roll-up says of the cluster: all but its members' entity refs,
     * which are the catalog's to show (a team's entities stand for its
     * claims and composites) and name nothing of their status.
     */
    const statusOf = (body: unknown) =>
      JSON.stringify(body, (key, value) =>
        key === 'members'
          ? (value as Array<Record<string, unknown>>).map(
              ({ entityRef, ...member }) => member,
            )
          : value,
      );

    it("shows alice nothing of team-beta's through her own services, forged ones, a System or an owner", async () => {
      const wrong: string[] = [];
      const refs = [
        'component:default/hostile-alpha-svc',
        'component:default/hostile-forged-claim',
        'component:default/hostile-forged-xr',
        'component:default/hostile-forged-mr',
        'component:default/hostile-forged-secret',
        'component:default/hostile-beta-svc',
        'system:default/hostile-system',
        'group:default/team-beta',
        'group:default/team-alpha',
      ];
      for (const entityRef of refs) {
        const reply = await rollup(ALICE, entityRef, wrong);
        expect({ entityRef, status: reply.status }).toEqual({
          entityRef,
          status: 200,
        });
        const told = statusOf(reply.body);
        for (const name of betaNames()) {
          if (told.includes(name)) wrong.push(`${entityRef}: tells ${name}`);
        }
        if (told.includes('"namespace":"team-beta"')) {
          wrong.push(`${entityRef}: shows an object of team-beta`);
        }
      }
      for (const by of ['system', 'owner']) {
        for (let offset = 0; ; offset += 20) {
          const reply = await get(
            ALICE,
            `rollups?${queryOf({ by, offset })}`,
            wrong,
          );
          expect(reply.status).toBe(200);
          const told = statusOf(reply.body);
          for (const name of betaNames()) {
            if (told.includes(name))
              wrong.push(`rollups by ${by}: tells ${name}`);
          }
          if (offset + 20 >= reply.body.page.total) break;
        }
      }
      // rita may read it all, yet a Secret is never a signal.
      const rita = await rollup(
        RITA,
        'component:default/hostile-alpha-svc',
        wrong,
      );
      expect(rita.text).toContain(`Deployment ${BETA_APP.name}`);
      expect(rita.text).not.toContain(SECRET.name);
      // An entity that claims to be a Secret learns only what a missing
      // object answers: not in the cluster's cache.
      const forged = await rollup(
        RITA,
        'component:default/hostile-forged-secret',
        wrong,
      );
      expect(forged.body.health.reason).toBe('NotInCluster');
      expect(wrong).toEqual([]);
    });

    it('answers bad and hidden entity refs and groupings with a 4xx naming the field', async () => {
      const wrong: string[] = [];
      const hidden = await rollup(
        MALLORY,
        'component:default/hostile-alpha-svc',
        wrong,
      );
      expect(hidden.status).toBe(200);
      expect(hidden.text).not.toContain(BETA_APP.name);
      const missing = await rollup(
        ALICE,
        'component:default/hostile-nothing',
        wrong,
      );
      expect(missing.status).toBe(404);
      for (const query of [
        '',
        'entityRef=',
        'entityRef=hostile-alpha-svc',
        'entityRef=component:default/hostile-alpha-svc&entityRef=component:default/hostile-beta-svc',
        `entityRef=${encodeURIComponent('component:default/../../hostile')}`,
        `entityRef=${encodeURIComponent(
          'component:default/hostile-alpha-svc\u0000',
        )}`,
        `entityRef=${encodeURIComponent(
          `component:default/${'x'.repeat(5000)}`,
        )}`,
        'entityRef[kind]=component',
      ]) {
        const reply = await get(ALICE, `rollup?${query}`, wrong);
        if (
          reply.status !== 400 ||
          !/^entityRef: /.test(reply.body?.error?.message)
        ) {
          wrong.push(
            `rollup?${query.slice(0, 80)}: ${reply.status} ${reply.text.slice(
              0,
              200,
            )}`,
          );
        }
      }
      for (const query of [
        '',
        'by=',
        'by=System',
        'by=toString',
        'by=constructor',
        'by=__proto__',
        'by=hasOwnProperty',
        'by=system&by=owner',
        'by=system&limit=21',
        'by=system&offset=-1',
        'by=system&limit=1e1',
      ]) {
        const reply = await get(ALICE, `rollups?${query}`, wrong);
        const field =
          /limit|offset/.exec(query.split('&')[1] ?? '')?.[0] ?? 'by';
        if (
          reply.status !== 400 ||
          !reply.body?.error?.message.startsWith(`${field}: `)
        ) {
          wrong.push(
            `rollups?${query}: ${reply.status} ${reply.text.slice(0, 200)}`,
          );
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('the create preview, capabilities and the day-2 scaffolder actions', () => {
    it('tells a user without the create permission nothing of which XRDs exist', async () => {
      const wrong: string[] = [];
      const body = (xrd: string) => ({
        cluster: CLUSTER.name,
        xrd,
        values: {
          name: 'hostile-preview',
          namespace: 'team-alpha',
          parameters: PARAMETERS,
        },
      });
      const missingXrd = 'xnothings.storage.platformops.io';
      const shape = (reply: Reply, xrd: string) => ({
        status: reply.status,
        text: reply.text.split(xrd).join('<xrd>'),
      });
      const routeReal = await post(MALLORY, 'create-preview', body(XRD), wrong);
      const routeMissing = await post(
        MALLORY,
        'create-preview',
        body(missingXrd),
        wrong,
      );
      expect(shape(routeMissing, missingXrd)).toEqual(shape(routeReal, XRD));
      expect(routeReal.status).toBe(403);
      for (const action of [
        'preview-crossplane-creation',
        'create-crossplane-resource',
      ]) {
        const real = await invoke(
          MALLORY,
          action,
          { ...body(XRD), dryRun: true },
          wrong,
        );
        const missing = await invoke(
          MALLORY,
          action,
          { ...body(missingXrd), dryRun: true },
          wrong,
        );
        expect({ action, ...shape(missing, missingXrd) }).toEqual({
          action,
          ...shape(real, XRD),
        });
      }
      expect(wrong).toEqual([]);
    });

    it("offers alice nothing on team-beta's objects and says nothing of them", async () => {
      const wrong: string[] = [];
      for (const [label, o] of betaSpellings()) {
        const reply = await get(
          ALICE,
          `capabilities?${queryOf({ cluster: CLUSTER.name, ...o })}`,
          wrong,
        );
        if (reply.status === 200) {
          for (const [operation, c] of Object.entries(reply.body)) {
            const { allowed, reason } = c as {
              allowed: boolean;
              reason?: string;
            };
            if (
              allowed ||
              !/^your permissions do not allow /.test(reason ?? '')
            ) {
              wrong.push(`${label}: ${operation} ${JSON.stringify(c)}`);
            }
          }
        } else if (![400, 404].includes(reply.status)) {
          wrong.push(`${label}: ${reply.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it("fails crossplane:edit and crossplane:upgrade tasks on team-beta's claim and composite, and any control field on alice's own, changing nothing", async () => {
      const wrong: string[] = [];
      const form = await get(
        ALICE,
        `edit?${queryOf({ cluster: CLUSTER.name, ...ALPHA })}`,
      );
      expect(form.status).toBe(200);
      const values = form.body.values as Record<string, any>;
      const edits: Array<[string, Record<string, unknown>]> = [
        ["team-beta's claim", { ...BETA, values }],
        ["team-beta's composite", { ...betaXr, values }],
        [
          "team-beta's composite, as in team-alpha",
          { ...betaXr, namespace: 'team-alpha', values },
        ],
        ["team-beta's managed resource", { ...betaMr, values }],
        ...[
          { compositionRef: { name: 'x' } },
          { crossplane: { compositionRef: { name: 'x' } } },
          {
            resourceRef: {
              apiVersion: XBUCKET.apiVersion,
              kind: XBUCKET.kind,
              name: betaXr.name,
            },
          },
          { metadata: { ownerReferences: [{ name: 'x' }], finalizers: ['x'] } },
          { annotations: { 'crossplane.io/external-name': 'theirs' } },
          { writeConnectionSecretToRef: { name: 'x', namespace: 'team-beta' } },
        ].map(
          injection =>
            [
              `alice's claim with ${Object.keys(injection)[0]}`,
              { ...ALPHA, values: { ...values, ...injection } },
            ] as [string, Record<string, unknown>],
        ),
      ];
      for (const [what, parameters] of edits) {
        const task = await runTask(ALICE, 'hostile-edit', parameters, wrong);
        if (task.status !== 'failed')
          wrong.push(`edit of ${what}: ${task.status}`);
        for (const leak of leaksIn(task.log))
          wrong.push(`edit of ${what}: ${leak}`);
      }
      for (const [what, objects] of [
        ["team-beta's claim", [BETA]],
        ["team-beta's composite", [betaXr]],
        [
          "team-beta's composite, as in team-alpha",
          [{ ...betaXr, namespace: 'team-alpha' }],
        ],
        [
          "team-beta's claim spelt in lower case",
          [{ ...BETA, kind: 'objectbucket' }],
        ],
      ] as const) {
        const task = await runTask(
          ALICE,
          'hostile-upgrade',
          { objects: objects.map(o => ({ cluster: CLUSTER.name, ...o })) },
          wrong,
        );
        if (task.status !== 'failed')
          wrong.push(`upgrade of ${what}: ${task.status}`);
        for (const leak of leaksIn(task.log))
          wrong.push(`upgrade of ${what}: ${leak}`);
      }
      expect(wrong).toEqual([]);
      expect(await changes()).toEqual(NOTHING);
    });
  });

  describe('on Crossplane v2 (itest3)', () => {
    const V2 = ITEST3;
    const APP_DATABASE = {
      apiVersion: 'apps.platformops.io/v1alpha1',
      kind: 'AppDatabase',
    };
    /** The demo's healthy XR of team-beta (namespaced, as v2 XRs are). */
    const REPORTS = {
      ...APP_DATABASE,
      namespace: 'team-beta',
      name: 'reports-db',
    };
    let v2Admin: KubernetesClusterClient;
    let v1Api: PortalClient;
    let stopV2: (() => Promise<void>) | undefined;
    let composedMr: ObjectName;

    /** What team-beta would notice had changed. */
    const fingerprints = async () =>
      Promise.all(
        [REPORTS, composedMr].map(async o => {
          const object = await v2Admin.get(o);
          return (
            object && {
              uid: object.metadata.uid,
              generation: object.metadata.generation,
              deleting: Boolean(object.metadata.deletionTimestamp),
              paused: object.metadata.annotations?.['crossplane.io/paused'],
            }
          );
        }),
      );

    beforeAll(async () => {
      const cp = connectControlPlane(V2);
      v2Admin = cp.admin;
      const xr = await v2Admin.get(REPORTS);
      const ref = (
        xr?.spec as {
          crossplane?: {
            resourceRefs?: Array<{
              apiVersion: string;
              kind: string;
              name: string;
            }>;
          };
        }
      )?.crossplane?.resourceRefs?.find(r => r.kind === 'NopResource');
      if (!ref) throw new Error('reports-db composes no NopResource');
      composedMr = { ...ref, namespace: REPORTS.namespace };
      const started = await startPortalBackend({
        name: 'hostile-surfaces-v2',
        cluster: cp.backstageCluster,
        entities: entities().filter(
          e => e.kind === 'User' || e.kind === 'Group',
        ),
        policy,
        identity,
        config: { backend: { actions: { pluginSources: ['crossplane'] } } },
      });
      stopV2 = started.stop;
      // The requests of this block go to the v2 backend.
      v1Api = api;
      api = userRequests(started.backend.server.port());
      await api.waitForSync(ALICE);
    });

    afterAll(async () => {
      api = v1Api;
      await stopV2?.();
      for (const namespace of ['team-alpha', 'team-beta']) {
        await v2Admin
          ?.delete({ ...APP_DATABASE, namespace, name: 'hostile-v2' })
          .catch(() => undefined);
      }
    });

    it("refuses every action on team-beta's XR and its .m. managed resource, by every spelling, and creates no XR with Crossplane's fields", async () => {
      const unchanged = await fingerprints();
      const wrong: string[] = [];
      const spellings = [
        ...hostileSpellings('XR', REPORTS, 'team-alpha'),
        ...hostileSpellings('.m. managed resource', composedMr, 'team-alpha'),
        // The v1 twin of the .m. kind: the same name in the cluster-scoped group.
        [
          'managed resource, v1 group',
          { ...composedMr, apiVersion: 'nop.crossplane.io/v1alpha1' },
        ] as [string, Spelling],
      ];
      for (const [label, o] of spellings) {
        const id = { cluster: V2.name, ...o };
        for (const [action, extra] of [
          ['get-crossplane-resource-yaml', {}],
          ['get-crossplane-edit-form', {}],
          [
            'edit-crossplane-resource',
            { values: { parameters: { storageGB: 1 } } },
          ],
          ['pause-crossplane-resource', {}],
          ['delete-crossplane-resource', { confirm: o.name, dryRun: false }],
        ] as const) {
          const reply = await invoke(ALICE, action, { ...id, ...extra }, wrong);
          if (![400, 403, 404].includes(reply.status)) {
            wrong.push(
              `${action} of ${label}: ${reply.status} ${reply.text.slice(
                0,
                200,
              )}`,
            );
          }
        }
      }
      const xrd = 'appdatabases.apps.platformops.io';
      const values = (extra: Record<string, unknown>) => ({
        name: 'hostile-v2',
        namespace: 'team-alpha',
        parameters: { engine: 'postgres', version: '16', storageGB: 20 },
        ...extra,
      });
      for (const [what, extra] of [
        ["team-beta's namespace", { namespace: 'team-beta' }],
        [
          'spec.crossplane at the top',
          { spec: { crossplane: { compositionRef: { name: 'x' } } } },
        ],
        ['resourceRefs', { resourceRefs: [{ ...composedMr }] }],
        ['compositionRevisionRef', { compositionRevisionRef: { name: 'x' } }],
        ['compositionUpdatePolicy', { compositionUpdatePolicy: 'Automatic' }],
        [
          'crossplane.io/external-name',
          { annotations: { 'crossplane.io/external-name': 'theirs' } },
        ],
      ] as const) {
        for (const dryRun of [true, false]) {
          const reply = await invoke(
            ALICE,
            'create-crossplane-resource',
            { cluster: V2.name, xrd, values: values(extra), dryRun },
            wrong,
          );
          if (![400, 403, 404].includes(reply.status)) {
            wrong.push(
              `create with ${what}: ${reply.status} ${reply.text.slice(
                0,
                200,
              )}`,
            );
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(await fingerprints()).toEqual(unchanged);
      for (const namespace of ['team-alpha', 'team-beta']) {
        expect(
          await v2Admin.get({ ...APP_DATABASE, namespace, name: 'hostile-v2' }),
        ).toBeUndefined();
      }
    });
  });

  it('keeps Secret data and the canary out of the backend log', () => {
    expect(
      leaksIn(log.lines.join('\n')).filter(l => l === 'the canary'),
    ).toEqual([]);
  });
});
