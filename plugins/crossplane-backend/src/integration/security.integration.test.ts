/*
 * PlatformOps as a hostile user tries it: the status backend, the catalog
 * with the Crossplane module and the scaffolder with the Crossplane actions
 * in one backend, behind real auth and the real permission backend, on the
 * local control plane (itest).
 *
 * The portal's cluster entry carries the admin's token, on purpose: what is
 * under test is what PlatformOps itself lets through, so nothing but its
 * own checks stands between the user and the cluster (the least-privilege
 * roles of deploy/rbac are a second line, tested in crossplane-node).
 *
 * Users (the test's permission policy; catalog and scaffolder allowed):
 * - alice, of team-alpha: crossplane.* only in namespace team-alpha;
 * - bob: crossplane.* everywhere but namespace team-beta;
 * - mallory: no crossplane.* permission at all.
 *
 * A canary value is planted first in Secrets, in annotations and in spec
 * values; no response, task log, catalog entity or backend log may hold it.
 */
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
  objectEntityName,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import https from 'node:https';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import {
  ClusterSnapshot,
  diffSnapshots,
  snapshotCluster,
} from '../__testUtils__/clusterSnapshot';
import { waitForComposed } from '../__testUtils__/clusterWaits';
import {
  connectControlPlane,
  ControlPlane,
  ITEST,
} from '../__testUtils__/controlPlane';
import { BUCKET, NOP } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { FIELD_FIRST, leaksOf, newCanary } from '../__testUtils__/leaks';
import {
  portalClient,
  PortalClient,
  Reply,
} from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamOrg } from '../__testUtils__/teamOrg';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
} from '../service/permissionRules';

jest.setTimeout(600_000);

const CLUSTER = ITEST;

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

/** The secret planted in the cluster; unique per run, never sent by the test. */
const CANARY = newCanary();

const POSTGRES = {
  apiVersion: 'database.platformops.io/v1alpha1',
  kind: 'PostgreSQLInstance',
};
const XPOSTGRES = {
  apiVersion: 'database.platformops.io/v1alpha1',
  kind: 'XPostgreSQLInstance',
};
const K8S_CLUSTER = {
  apiVersion: 'compute.platformops.io/v1alpha1',
  kind: 'KubernetesCluster',
};

/** What the test plants (admin), all named `sec-`. */
/** The entity name of team-beta's failing claim. */
const BETA_CLAIM_ENTITY = objectEntityName({
  cluster: 'itest',
  group: 'database.platformops.io',
  kind: 'PostgreSQLInstance',
  namespace: 'team-beta',
  name: 'analytics-db',
});
const PLANTED = {
  /** team-alpha's claim with the canary in annotations and spec values. */
  alphaClaim: { ...K8S_CLUSTER, namespace: 'team-alpha', name: 'sec-canary' },
  /** team-beta's claim with the canary in annotations: hidden from alice and bob. */
  betaClaim: { ...POSTGRES, namespace: 'team-beta', name: 'sec-beta-db' },
  /** team-beta's claim whose composite and managed resource team-alpha claims name. */
  hijacked: { ...POSTGRES, namespace: 'team-beta', name: 'sec-beta-hijacked' },
  /** team-alpha claims that name team-beta's objects as theirs. */
  hijackXr: { ...POSTGRES, namespace: 'team-alpha', name: 'sec-hijack-xr' },
  hijackMr: { ...POSTGRES, namespace: 'team-alpha', name: 'sec-hijack-mr' },
  /** A workload of team-alpha with the canary in its environment. */
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'team-alpha',
    name: 'sec-canary-app',
  },
};

/** Kinds listed before and after, to prove what refused operations left. */
const SNAPSHOT_KINDS = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system' },
  { apiVersion: 'v1', kind: 'Secret', namespace: 'team-alpha' },
  { apiVersion: 'v1', kind: 'Secret', namespace: 'team-beta' },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system' },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-beta' },
  POSTGRES,
  K8S_CLUSTER,
  BUCKET,
  XPOSTGRES,
  { apiVersion: 'compute.platformops.io/v1alpha1', kind: 'XKubernetesCluster' },
  { apiVersion: 'storage.platformops.io/v1alpha1', kind: 'XObjectBucket' },
  NOP,
];

/**
 * Objects of other test suites sharing the instance (`itest-*`, the RBAC
 * check's `rbac-check*`, the failing-kind test's namespace, the lifecycle
 * test's `day2-*`, the v2 tests' `v2it-*`, the revision upgrades' `upg-*`,
 * the MCP test's `mcp-*`, the roll-up's `rollup-it*`, the identity and
 * large-provider tests' namespaces, the other hostile suite's `hostile-*`,
 * the replicas test's `rep-*`), and what this suite's allowed operations
 * create (`sec-ok-*`).
 */
const NOT_OURS =
  /(^| |\/)(itest|rbac-check|failing-kind|sec-ok-|day2-|v2it-|upg-|mcp-|rollup-it|idtest|cachetest|hostile-|rep-)/;

/** The field a 400 names first (`namespace` of `namespace: ...`), else ''. */
function fieldOf(reply: { status: number; body: any }): string {
  if (reply.status !== 400) return '';
  return /^([^:]+): /.exec(reply.body?.error?.message ?? '')?.[1] ?? '?';
}

/** Signs that a body or log tells more than it should. */
const leaksIn = (text: string) => leaksOf(text, CANARY);

type TaskEvent = {
  type: string;
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
  };
};

type Task = {
  status: string;
  log: string;
  failed: string[];
  skipped: string[];
};

type TemplateStep = {
  id: string;
  action: string;
  input: Record<string, unknown>;
};

/** A template as a user could write it in the template editor. */
function template(
  name: string,
  parameters: Record<string, { type: string }>,
  steps: TemplateStep[],
) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, title: name },
    spec: {
      owner: 'group:default/platform-team',
      type: 'resource',
      parameters: [{ properties: parameters }],
      steps,
    },
  };
}

const stringParameter = { type: 'string' };
const objectParameter = { type: 'object' };
const objectParameters = {
  apiVersion: stringParameter,
  kind: stringParameter,
  namespace: stringParameter,
  name: stringParameter,
};
const objectInput = {
  cluster: CLUSTER.name,
  apiVersion: '${{ parameters.apiVersion }}',
  kind: '${{ parameters.kind }}',
  namespace: '${{ parameters.namespace }}',
  name: '${{ parameters.name }}',
};
const renderStep: TemplateStep = {
  id: 'render',
  action: 'crossplane:render',
  input: {
    cluster: CLUSTER.name,
    xrd: '${{ parameters.xrd }}',
    name: '${{ parameters.name }}',
    namespace: '${{ parameters.namespace }}',
    owner: '${{ parameters.owner }}',
    values: '${{ parameters.values }}',
    labels: '${{ parameters.labels }}',
    annotations: '${{ parameters.annotations }}',
  },
};
const renderParameters = {
  xrd: stringParameter,
  name: stringParameter,
  namespace: stringParameter,
  owner: stringParameter,
  values: objectParameter,
  labels: objectParameter,
  annotations: objectParameter,
};

/** The templates the hostile users run: each step's input is theirs. */
const TEMPLATES = {
  apply: template('sec-apply', { manifest: objectParameter }, [
    {
      id: 'apply',
      action: 'crossplane:apply',
      input: { cluster: CLUSTER.name, manifest: '${{ parameters.manifest }}' },
    },
  ]),
  delete: template('sec-delete', objectParameters, [
    {
      id: 'delete',
      action: 'crossplane:delete',
      input: { ...objectInput, wait: false },
    },
  ]),
  wait: template('sec-wait', objectParameters, [
    {
      id: 'wait',
      action: 'crossplane:wait',
      input: { ...objectInput, timeoutSeconds: 5 },
    },
  ]),
  awaitEntity: template('sec-await-entity', { entityRef: stringParameter }, [
    {
      id: 'register',
      action: 'crossplane:await-entity',
      input: { entityRef: '${{ parameters.entityRef }}', timeoutSeconds: 5 },
    },
  ]),
  /** Render, then apply what render made. */
  renderApply: template('sec-render-apply', renderParameters, [
    renderStep,
    {
      id: 'apply',
      action: 'crossplane:apply',
      input: {
        cluster: CLUSTER.name,
        manifest: '${{ steps.render.output.manifest }}',
      },
    },
  ]),
  /** Render clean values, then splice injected metadata into the apply. */
  renderSplice: template(
    'sec-render-splice',
    { ...renderParameters, inject: objectParameter },
    [
      renderStep,
      {
        id: 'apply',
        action: 'crossplane:apply',
        input: {
          cluster: CLUSTER.name,
          manifest: {
            apiVersion: '${{ steps.render.output.apiVersion }}',
            kind: '${{ steps.render.output.kind }}',
            metadata: {
              name: '${{ steps.render.output.name }}',
              namespace: '${{ steps.render.output.namespace }}',
              labels: '${{ parameters.inject.labels }}',
              annotations: '${{ parameters.inject.annotations }}',
            },
            spec: '${{ parameters.inject.spec }}',
          },
        },
      },
    ],
  ),
};

/** The users, groups and teams the catalog holds. */
const ORG = teamOrg({ alice: ['team-alpha'], bob: [], mallory: [] }, [
  'platform-team',
  'team-alpha',
  'team-beta',
]);

/**
 * The test's permission policy: conditional decisions on Crossplane
 * objects, applied by the status backend to what the cluster says an
 * object is.
 */
function decide(permission: Permission, user?: string): PolicyDecision {
  if (!permission.name.startsWith('crossplane.')) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (user === ALICE || user === BOB) {
    if (!isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const isInTeamNamespace = (namespace: string) =>
      crossplaneConditions.isInNamespace({ namespaces: [namespace] });
    return createCrossplaneConditionalDecision(
      permission,
      user === ALICE
        ? isInTeamNamespace('team-alpha')
        : { not: isInTeamNamespace('team-beta') },
    );
  }
  return { result: AuthorizeResult.DENY };
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'security-test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request, user) {
            return decide(request.permission, user?.info.userEntityRef);
          },
        });
      },
    });
  },
});

/** A JSON merge patch as the admin: only to clear finalizers at cleanup. */
function adminMergePatch(cp: ControlPlane, apiPath: string, patch: object) {
  return new Promise<number>((resolve, reject) => {
    const req = https.request(
      `${cp.url}${apiPath}`,
      {
        method: 'PATCH',
        ca: cp.caPem,
        headers: {
          Authorization: `Bearer ${cp.adminToken}`,
          'Content-Type': 'application/merge-patch+json',
        },
      },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(patch));
  });
}

/** The apiVersion and kind of a typed name, for a manifest. */
const typeOf = (o: { apiVersion: string; kind: string }) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
});

describe('PlatformOps against a hostile user', () => {
  let cp: ReturnType<typeof connectControlPlane>;
  let api: PortalClient;
  let admin: KubernetesClusterClient;
  let backend: Awaited<ReturnType<typeof startPortalBackend>>['backend'];
  let stop: (() => Promise<void>) | undefined;
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  let before: ClusterSnapshot;
  /** Names the cluster gave: team-beta's composite and managed resources, alice's composite. */
  const names = {
    betaXr: '',
    betaMr: '',
    hijackedXr: '',
    hijackedMr: '',
    alphaXr: '',
    alphaMrs: [] as string[],
  };

  /** A request to the backend as a user; every reply is checked for leaks. */
  async function call(
    user: string,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ): Promise<Reply> {
    const res = await api.send(
      user,
      method,
      url.replace(/^\/api\//, ''),
      body ? JSON.stringify(body) : undefined,
    );
    const { text, body: json } = res;
    const what = `${method} ${url} as ${user}`;
    expect({
      what,
      status: res.status < 500 ? 'below 500' : res.status,
    }).toEqual({ what, status: 'below 500' });
    expect({ what, leaks: leaksIn(text) }).toEqual({ what, leaks: [] });
    if (res.status === 400 && json?.error) {
      expect({ what, message: json.error.message }).toEqual({
        what,
        message: expect.stringMatching(FIELD_FIRST),
      });
    }
    return res;
  }

  /** `/api/crossplane` route with the query as given (already encoded). */
  const status = (user: string, route: string, query: string) =>
    call(user, 'GET', `/api/crossplane/${route}?${query}`);

  /** The query naming one object, each value URL-encoded. */
  const objectQuery = (o: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }) =>
    new URLSearchParams({
      cluster: CLUSTER.name,
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      name: o.name,
    }).toString();

  /** Runs a template of the catalog as a user, to its end. */
  async function runTask(
    user: string,
    templateName: string,
    values: Record<string, unknown>,
  ): Promise<Task> {
    const created = await call(user, 'POST', '/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${templateName}`,
      values,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const task = await waitFor(
      `task ${id} to finish`,
      async () => {
        const { body } = await call(
          user,
          'GET',
          `/api/scaffolder/v2/tasks/${id}`,
        );
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body
          : undefined;
      },
      120_000,
    );
    // The log as anyone who may read tasks reads it (leaks checked by call).
    const { body: events } = await call(
      user,
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    const steps = (state: string) =>
      (events as TaskEvent[])
        .filter(e => e.body.stepId && e.body.status === state)
        .map(e => e.body.stepId!);
    return {
      status: task.status,
      log: (events as TaskEvent[]).map(e => e.body.message ?? '').join('\n'),
      failed: steps('failed'),
      skipped: steps('skipped'),
    };
  }

  /** Expects a task refused at `step` with a message, naming the field. */
  function expectRefused(task: Task, step: string, message: string | RegExp) {
    expect({ status: task.status, failed: task.failed }).toEqual({
      status: 'failed',
      failed: [step],
    });
    if (typeof message === 'string') expect(task.log).toContain(message);
    else expect(task.log).toMatch(message);
  }

  /** Whether an object exists, as the admin sees it. */
  const exists = async (o: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }) => Boolean(await admin.get(o));

  beforeAll(async () => {
    cp = connectControlPlane(CLUSTER);
    const adminCluster = {
      ...cp.backstageCluster,
      serviceAccountToken: cp.adminToken,
    };
    admin = cp.admin;
    await plant();

    ({ backend, stop } = await startPortalBackend({
      name: 'security',
      cluster: adminCluster,
      entities: [...Object.values(TEMPLATES), ...ORG],
      policy: policyModule,
      identity,
      features: [log.factory],
      // Composites and managed resources writable: their refusal must
      // then come from the permission judged by the claim that owns them.
      config: {
        crossplane: {
          writes: { composites: true, managedResources: true },
        },
      },
    }));
    api = portalClient({ port: backend.server.port(), identity });
    await waitFor('the cache of itest to sync', async () => {
      const { body } = await call(BOB, 'GET', '/api/crossplane/clusters');
      return body.items?.[0]?.synced || undefined;
    });
    for (const ref of [
      ...Object.values(TEMPLATES).map(
        t => `template/default/${t.metadata.name}`,
      ),
      'group/default/team-alpha',
      'user/default/alice',
      `component/default/${BETA_CLAIM_ENTITY}`,
      `component/default/${objectEntityName({
        cluster: 'itest',
        group: 'compute.platformops.io',
        kind: PLANTED.alphaClaim.kind,
        namespace: 'team-alpha',
        name: PLANTED.alphaClaim.name,
      })}`,
    ]) {
      await waitFor(`${ref} in the catalog`, async () => {
        const res = await call(
          ALICE,
          'GET',
          `/api/catalog/entities/by-name/${ref}`,
        );
        return res.status === 200 ? true : undefined;
      });
    }
    before = await snapshotCluster(admin, SNAPSHOT_KINDS);
  });

  afterAll(async () => {
    await stop?.();
    await removePlanted();
  });

  /**
   * Plants canaries and the hijacking claims as the admin, and waits until
   * Crossplane has composed the claims: before the backend starts, so that
   * its first list holds everything in the API server's order.
   */
  async function plant() {
    const apply = (manifest: KubernetesObject) =>
      admin.apply(manifest, { fieldManager: 'security-test', force: true });
    const canaryAnnotations = { 'example.com/token': CANARY, password: CANARY };
    for (const namespace of ['team-alpha', 'team-beta']) {
      await apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'sec-canary',
          namespace,
          annotations: { 'example.com/token': CANARY },
        },
        stringData: { password: CANARY },
      } as KubernetesObject);
    }
    // What the hostile users try to delete.
    await apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec-victim', namespace: 'kube-system' },
      stringData: { token: CANARY },
    } as KubernetesObject);
    await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'sec-victim', namespace: 'team-beta' },
      data: { owner: 'team-beta' },
    } as KubernetesObject);
    await apply({
      ...typeOf(PLANTED.alphaClaim),
      metadata: {
        name: PLANTED.alphaClaim.name,
        namespace: PLANTED.alphaClaim.namespace,
        labels: { 'platformops.io/owner': 'team-alpha' },
        annotations: canaryAnnotations,
      },
      spec: {
        parameters: {
          version: '1.33',
          region: 'eu-west-1',
          nodePools: [
            {
              name: 'system',
              machineType: 'standard-2',
              minSize: 1,
              maxSize: 1,
              labels: { password: CANARY },
            },
          ],
        },
      },
    } as KubernetesObject);
    for (const claim of [PLANTED.betaClaim, PLANTED.hijacked]) {
      await apply({
        ...typeOf(claim),
        metadata: {
          name: claim.name,
          namespace: claim.namespace,
          labels: { 'platformops.io/owner': 'team-beta' },
          annotations: canaryAnnotations,
        },
        spec: { parameters: { version: '15', storage: { sizeGB: 20 } } },
      } as KubernetesObject);
    }
    await apply({
      ...typeOf(PLANTED.deployment),
      metadata: {
        name: PLANTED.deployment.name,
        namespace: PLANTED.deployment.namespace,
        labels: { 'backstage.io/kubernetes-id': 'sec-canary-app' },
      },
      spec: {
        selector: { matchLabels: { app: 'sec-canary-app' } },
        template: {
          metadata: { labels: { app: 'sec-canary-app' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'example.com/app:1',
                env: [{ name: 'DB_PASSWORD', value: CANARY }],
              },
            ],
          },
        },
      },
    } as KubernetesObject);

    /** Waits until a claim is Ready and its composite has composed. */
    const composed = async (claim: typeof PLANTED.betaClaim) => {
      const xr = await waitForComposed(admin, claim);
      const mrs = await waitFor(`${xr} to compose its resources`, async () => {
        const object = await admin.get({
          apiVersion: claim.apiVersion,
          kind: `X${claim.kind}`,
          name: xr,
        });
        const refs = object ? getResourceRefs(object) : [];
        return refs.length > 0 ? refs.map(r => r.name) : undefined;
      });
      return { xr, mrs };
    };
    const beta = await composed(PLANTED.betaClaim);
    names.betaXr = beta.xr;
    names.betaMr = beta.mrs[0];
    const hijacked = await composed(PLANTED.hijacked);
    names.hijackedXr = hijacked.xr;
    names.hijackedMr = hijacked.mrs[0];
    const alpha = await composed(PLANTED.alphaClaim);
    names.alphaXr = alpha.xr;
    names.alphaMrs = alpha.mrs;

    // A team-alpha member with kubectl in their own namespace points claims
    // at team-beta's composite and managed resource. Paused, so Crossplane
    // leaves them (and team-beta's objects) alone; never Ready, so labelled
    // for `controlplane.sh wait-ready` to skip.
    const hijack = async (
      claim: typeof PLANTED.hijackXr,
      resourceRef: Record<string, string>,
    ) =>
      apply({
        ...typeOf(claim),
        metadata: {
          name: claim.name,
          namespace: claim.namespace,
          labels: {
            'platformops.io/owner': 'team-alpha',
            'platformops.io/expect-healthy': 'false',
          },
          annotations: { 'crossplane.io/paused': 'true' },
        },
        spec: {
          parameters: { version: '15', storage: { sizeGB: 20 } },
          resourceRef,
        },
      } as KubernetesObject);
    await hijack(PLANTED.hijackXr, { ...XPOSTGRES, name: names.hijackedXr });
    await hijack(PLANTED.hijackMr, { ...NOP, name: names.hijackedMr });
  }

  async function removePlanted() {
    if (!admin) return;
    const remove = async (o: {
      apiVersion: string;
      kind: string;
      namespace?: string;
      name: string;
    }) => {
      await admin.delete(o).catch(() => undefined);
    };
    for (const claim of [PLANTED.hijackXr, PLANTED.hijackMr]) {
      await remove(claim);
      // A claim that never reconciled may keep a finalizer nobody removes.
      await adminMergePatch(
        cp,
        `/apis/database.platformops.io/v1alpha1/namespaces/${claim.namespace}/postgresqlinstances/${claim.name}`,
        { metadata: { finalizers: null } },
      ).catch(() => undefined);
    }
    await remove(PLANTED.alphaClaim);
    await remove(PLANTED.betaClaim);
    await remove(PLANTED.hijacked);
    await remove(PLANTED.deployment);
    for (const namespace of ['team-alpha', 'team-beta']) {
      await remove({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace,
        name: 'sec-canary',
      });
    }
    await remove({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'kube-system',
      name: 'sec-victim',
    });
    await remove({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'team-beta',
      name: 'sec-victim',
    });
  }

  const orders = { ...POSTGRES, namespace: 'team-beta', name: 'orders-db' };
  const betaXr = () => ({ ...XPOSTGRES, name: names.betaXr });
  const betaMr = () => ({ ...NOP, name: names.betaMr });
  const hijackedXr = () => ({ ...XPOSTGRES, name: names.hijackedXr });
  const hijackedMr = () => ({ ...NOP, name: names.hijackedMr });

  describe('the status routes', () => {
    it.each([
      ['the exact name', 'namespace=team-beta&name=orders-db', 403],
      ['an upper-case namespace', 'namespace=TEAM-BETA&name=orders-db', 400],
      ['an upper-case name', 'namespace=team-beta&name=ORDERS-DB', 400],
      ['a mixed-case namespace', 'namespace=Team-Beta&name=orders-db', 400],
      ['a leading space', 'namespace=%20team-beta&name=orders-db', 400],
      ['a trailing space', 'namespace=team-beta%20&name=orders-db', 400],
      ['a trailing tab', 'namespace=team-beta%09&name=orders-db', 400],
      ['a trailing NUL', 'namespace=team-beta%00&name=orders-db', 400],
      [
        'an encoded slash in the name',
        'namespace=team-beta&name=orders-db%2F..',
        400,
      ],
      [
        'a namespace with a slash',
        'namespace=team-beta%2F&name=orders-db',
        400,
      ],
      [
        'the name with its namespace',
        'namespace=team-alpha&name=team-beta%2Forders-db',
        400,
      ],
      [
        'percent-encoded letters',
        'namespace=team-bet%61&name=orders%2Ddb',
        403,
      ],
      ['a Unicode hyphen', 'namespace=team%E2%80%90beta&name=orders-db', 400],
      ['a Cyrillic e', 'namespace=t%D0%B5am-beta&name=orders-db', 400],
      [
        'a zero-width space',
        'namespace=team-beta%E2%80%8B&name=orders-db',
        400,
      ],
      ['fullwidth letters', 'namespace=%EF%BD%94eam-beta&name=orders-db', 400],
      [
        'two namespaces',
        'namespace=team-alpha&namespace=team-beta&name=orders-db',
        400,
      ],
      ['a namespace array', 'namespace[]=team-beta&name=orders-db', 400],
      [
        'a namespace object',
        'namespace[toString]=team-beta&name=orders-db',
        400,
      ],
    ])(
      'bob, denied team-beta, cannot read its claim by %s',
      async (_, spelling, expected) => {
        const query = `cluster=itest&apiVersion=database.platformops.io/v1alpha1&kind=PostgreSQLInstance&${spelling}`;
        const res = await status(BOB, 'yaml', query);
        expect(res.status).toBe(expected);
        expect(res.body).not.toHaveProperty('yaml');
        expect(['', 'namespace', 'name']).toContain(fieldOf(res));
      },
    );

    it.each(['tree', 'events', 'yaml'])(
      'bob, denied team-beta, cannot read /%s of a team-beta claim',
      async route => {
        for (const claim of [orders, PLANTED.betaClaim]) {
          const res = await status(BOB, route, objectQuery(claim));
          expect(res.status).toBe(403);
          expect(res.body.error.message).toContain(claim.name);
        }
      },
    );

    it.each(['tree', 'events', 'yaml'])(
      "bob, denied team-beta, cannot read /%s of team-beta's cluster-scoped composite or managed resource",
      async route => {
        for (const object of [betaXr(), betaMr()]) {
          const res = await status(BOB, route, objectQuery(object));
          expect({ route, object, status: res.status }).toEqual({
            route,
            object,
            status: 403,
          });
        }
      },
    );

    it.each(['team-alpha', 'default', 'kube-system', 'TEAM-ALPHA'])(
      "bob cannot read team-beta's composite by giving it namespace %s",
      async namespace => {
        const res = await status(
          BOB,
          'yaml',
          objectQuery({ ...betaXr(), namespace }),
        );
        // 404: the namespace names nothing; never the composite itself.
        expect([400, 403, 404]).toContain(res.status);
        expect(res.body).not.toHaveProperty('yaml');
      },
    );

    it.each(['v1beta1', 'v1', 'v2alpha1'])(
      "bob cannot read team-beta's claim and composite through version %s of their group",
      async version => {
        for (const object of [orders, betaXr()]) {
          const res = await status(
            BOB,
            'yaml',
            objectQuery({
              ...object,
              apiVersion: `database.platformops.io/${version}`,
            }),
          );
          expect({ object, status: res.status }).toEqual({
            object,
            status: 403,
          });
        }
      },
    );

    it('bob finds nothing of team-beta under the same kind and name in another group', async () => {
      for (const group of [
        'storage.platformops.io',
        'nop.crossplane.io',
        'database.platformops.io.evil.com',
      ]) {
        const claim = await status(
          BOB,
          'yaml',
          objectQuery({ ...orders, apiVersion: `${group}/v1alpha1` }),
        );
        expect(claim.status).toBe(403);
        const xr = await status(
          BOB,
          'yaml',
          objectQuery({ ...betaXr(), apiVersion: `${group}/v1alpha1` }),
        );
        expect(xr.status).toBe(404);
        expect(xr.body).not.toHaveProperty('yaml');
      }
    });

    it.each(
      ['tree', 'events', 'yaml'].flatMap(route => [
        [route, 'composite', () => hijackedXr()] as const,
        [route, 'managed resource', () => hijackedMr()] as const,
      ]),
    )(
      "alice cannot read /%s of team-beta's %s through a team-alpha claim whose spec.resourceRef names it",
      async (route, _, object) => {
        const res = await status(ALICE, route, objectQuery(object()));
        expect(res.status).toBe(403);
        expect(res.body).not.toHaveProperty('root');
        expect(res.body).not.toHaveProperty('items');
        expect(res.body).not.toHaveProperty('yaml');
      },
    );

    it.each([
      ['composite', PLANTED.hijackXr],
      ['managed resource', PLANTED.hijackMr],
    ])(
      "alice sees nothing of team-beta's %s in the tree and events of her claim that names it",
      async (_, claim) => {
        const tree = await status(ALICE, 'tree', objectQuery(claim));
        expect(tree.status).toBe(200);
        const nodes: any[] = [];
        const walk = (node: any) => {
          nodes.push(node);
          node.children.forEach(walk);
        };
        walk(tree.body.root);
        // At most a dangling reference: nothing of the object itself.
        const shown = nodes
          .slice(1)
          .filter(node =>
            [names.hijackedXr, names.hijackedMr].includes(node.ref.name),
          )
          .filter(node => node.conditions.length > 0 || node.children.length);
        expect(shown.map(node => node.ref.name)).toEqual([]);
        const events = await status(
          ALICE,
          'events',
          `${objectQuery(claim)}&tree=true`,
        );
        expect(events.status).toBe(200);
        const involved = events.body.items.map(
          (e: any) => e.involvedObject.name,
        );
        expect(
          involved.filter((n: string) => n.startsWith(PLANTED.hijacked.name)),
        ).toEqual([]);
      },
    );

    it("alice's tree and events of her own claim hold only her own objects", async () => {
      const tree = await status(ALICE, 'tree', objectQuery(PLANTED.alphaClaim));
      expect(tree.status).toBe(200);
      expect(tree.body.root.children.map((c: any) => c.ref.name)).toEqual([
        names.alphaXr,
      ]);
      const events = await status(
        ALICE,
        'events',
        `${objectQuery(PLANTED.alphaClaim)}&tree=true`,
      );
      expect(events.status).toBe(200);
      for (const event of events.body.items) {
        expect(event.involvedObject.name).toMatch(/^sec-canary/);
      }
    });

    it.each([
      ['namespace=team-beta'],
      ['namespace=TEAM-BETA'],
      ['owner=group:default/team-beta'],
      ['namespace=team-beta&owner=group:default/team-beta&cluster=itest'],
      ['xrd=xpostgresqlinstances.database.platformops.io&namespace=team-beta'],
    ])(
      "alice's /summary filtered by %s shows nothing of team-beta",
      async filter => {
        const res = await status(ALICE, 'summary', filter);
        expect(res.status).toBe(200);
        expect(res.body.resources).toEqual([]);
        expect(
          Object.values(res.body.totals).reduce((a: any, b: any) => a + b, 0),
        ).toBe(0);
        expect(res.body.filters.namespaces).not.toContain('team-beta');
        expect(res.body.filters.owners).not.toContain(
          'group:default/team-beta',
        );
        expect(res.text).not.toContain('sec-beta');
        expect(res.text).not.toContain('orders-db');
      },
    );

    it("alice's unfiltered /summary lists only team-alpha's claims, her own among them", async () => {
      const res = await status(ALICE, 'summary', 'limit=5000');
      expect(res.status).toBe(200);
      const namespaces = new Set(
        res.body.resources.map((r: any) => r.namespace ?? '(cluster)'),
      );
      expect([...namespaces]).toEqual(['team-alpha']);
      expect(res.body.resources.map((r: any) => r.name)).toContain(
        PLANTED.alphaClaim.name,
      );
    });

    it('/clusters counts no objects for alice, and refuses mallory', async () => {
      const alice = await call(ALICE, 'GET', '/api/crossplane/clusters');
      expect(alice.status).toBe(200);
      expect(alice.body.items[0].objectCount).toBeUndefined();
      const mallory = await call(MALLORY, 'GET', '/api/crossplane/clusters');
      expect(mallory.status).toBe(403);
    });

    it('mallory, without any crossplane permission, reads no route', async () => {
      const own = objectQuery(PLANTED.alphaClaim);
      for (const url of [
        '/api/crossplane/summary',
        '/api/crossplane/summary?namespace=team-alpha',
        `/api/crossplane/tree?${own}`,
        `/api/crossplane/events?${own}`,
        `/api/crossplane/yaml?${own}`,
        `/api/crossplane/yaml?${objectQuery(betaXr())}`,
      ]) {
        const res = await call(MALLORY, 'GET', url);
        expect({ url, status: res.status }).toEqual({ url, status: 403 });
      }
    });

    it('alice reads her claim, composite, managed resources and workload as YAML with the planted secrets redacted', async () => {
      const claim = await status(
        ALICE,
        'yaml',
        objectQuery(PLANTED.alphaClaim),
      );
      expect(claim.status).toBe(200);
      // The keys stay, the values go (the canary check is in `call`).
      expect(claim.body.yaml).toContain('example.com/token');
      expect(claim.body.yaml).toContain('password');
      for (const object of [
        { ...K8S_CLUSTER, kind: 'XKubernetesCluster', name: names.alphaXr },
        ...names.alphaMrs.map(name => ({ ...NOP, name })),
        PLANTED.deployment,
      ]) {
        const res = await status(ALICE, 'yaml', objectQuery(object));
        expect({ object, status: res.status }).toEqual({ object, status: 200 });
      }
    });

    it.each([
      ['her namespace', 'team-alpha', 'sec-canary'],
      ["her claim's connection", 'team-alpha', 'payments-db-connection'],
      ['kube-system', 'kube-system', 'sec-victim'],
    ])(
      'alice cannot read a Secret of %s through /yaml',
      async (_, namespace, name) => {
        const res = await status(
          ALICE,
          'yaml',
          objectQuery({ apiVersion: 'v1', kind: 'Secret', namespace, name }),
        );
        expect([403, 404]).toContain(res.status);
        expect(res.body).not.toHaveProperty('yaml');
      },
    );

    it.each([
      [
        'an unknown kind',
        'apiVersion=database.platformops.io/v1alpha1&kind=NoSuchKind&namespace=team-alpha&name=x',
        404,
        '',
      ],
      [
        'a lower-case kind',
        'apiVersion=database.platformops.io/v1alpha1&kind=postgresqlinstance&namespace=team-alpha&name=x',
        400,
        'kind',
      ],
      [
        'a kind with a dot',
        'apiVersion=database.platformops.io/v1alpha1&kind=PostgreSQLInstance.database&namespace=team-alpha&name=x',
        400,
        'kind',
      ],
      [
        'three apiVersion parts',
        'apiVersion=a/b/v1&kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'an empty group',
        'apiVersion=/v1&kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'no version',
        'apiVersion=database.platformops.io/&kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'version v0',
        'apiVersion=database.platformops.io/v0&kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'an upper-case group',
        'apiVersion=DATABASE.platformops.io/v1alpha1&kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'a path in the group',
        'apiVersion=..%2F..%2Fapi/v1&kind=Secret&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'no apiVersion',
        'kind=PostgreSQLInstance&namespace=team-alpha&name=x',
        400,
        'apiVersion',
      ],
      [
        'a Secret in core',
        'apiVersion=v1&kind=Secret&namespace=team-alpha&name=sec-canary',
        404,
        '',
      ],
      [
        'a ConfigMap',
        'apiVersion=v1&kind=ConfigMap&namespace=team-alpha&name=payments-api-config',
        404,
        '',
      ],
      [
        'a very long name',
        `apiVersion=v1&kind=Secret&namespace=team-alpha&name=${'a'.repeat(
          300,
        )}`,
        400,
        'name',
      ],
      [
        'an empty name',
        'apiVersion=v1&kind=Secret&namespace=team-alpha&name=',
        400,
        'name',
      ],
    ])(
      'alice gets no 500 from /yaml with %s',
      async (_, query, expected, field) => {
        const res = await status(ALICE, 'yaml', `cluster=itest&${query}`);
        expect({ status: res.status, field: fieldOf(res) }).toEqual({
          status: expected,
          field,
        });
      },
    );

    it.each([
      [
        'an unknown cluster',
        '/api/crossplane/yaml?cluster=nowhere&apiVersion=v1&kind=Secret&namespace=team-alpha&name=x',
        404,
        'cluster',
      ],
      [
        'no cluster',
        '/api/crossplane/tree?apiVersion=v1&kind=Secret&namespace=team-alpha&name=x',
        400,
        'cluster',
      ],
      [
        'a cluster with spaces',
        '/api/crossplane/tree?cluster=%20itest&apiVersion=v1&kind=Secret&namespace=team-alpha&name=x',
        400,
        'cluster',
      ],
      [
        'tree=maybe',
        `/api/crossplane/events?${'cluster=itest&apiVersion=v1&kind=Secret&namespace=team-alpha&name=x'}&tree=maybe`,
        400,
        'tree',
      ],
      [
        'a page too large',
        '/api/crossplane/summary?limit=999999',
        400,
        'limit',
      ],
      ['a negative offset', '/api/crossplane/summary?offset=-1', 400, 'offset'],
      [
        'an unknown health',
        '/api/crossplane/summary?health=Pwned',
        400,
        'health',
      ],
    ])('alice gets no 500 from %s', async (_, url, expected, field) => {
      const res = await call(ALICE, 'GET', url);
      expect(res.status).toBe(expected);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    });
  });

  describe('the scaffolder actions', () => {
    const claimManifest = (
      namespace: string,
      name: string,
      extra: Record<string, any> = {},
    ) => ({
      ...BUCKET,
      metadata: { name, namespace, ...extra.metadata },
      spec: {
        parameters: { region: 'eu-west-1', storageClass: 'STANDARD' },
        ...extra.spec,
      },
    });

    it('bob cannot apply a ClusterRoleBinding to cluster-admin', async () => {
      const task = await runTask(BOB, 'sec-apply', {
        manifest: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'sec-escalate' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [
            {
              kind: 'User',
              name: 'bob',
              apiGroup: 'rbac.authorization.k8s.io',
            },
          ],
        },
      });
      expectRefused(
        task,
        'apply',
        'manifest.kind: ClusterRoleBinding.rbac.authorization.k8s.io is not a kind PlatformOps writes',
      );
      expect(
        await exists({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          name: 'sec-escalate',
        }),
      ).toBe(false);
    });

    it('bob cannot apply a Secret in kube-system', async () => {
      const task = await runTask(BOB, 'sec-apply', {
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'sec-planted', namespace: 'kube-system' },
          stringData: { token: 'planted' },
        },
      });
      expectRefused(
        task,
        'apply',
        'manifest.kind: Secret is not a kind PlatformOps writes',
      );
      expect(
        await exists({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'kube-system',
          name: 'sec-planted',
        }),
      ).toBe(false);
    });

    it('bob cannot apply a Namespace', async () => {
      const task = await runTask(BOB, 'sec-apply', {
        manifest: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'sec-ns' },
        },
      });
      expectRefused(
        task,
        'apply',
        'manifest.kind: Namespace is not a kind PlatformOps writes',
      );
      expect(
        await exists({ apiVersion: 'v1', kind: 'Namespace', name: 'sec-ns' }),
      ).toBe(false);
    });

    it('bob cannot overwrite a ConfigMap of team-beta', async () => {
      const task = await runTask(BOB, 'sec-apply', {
        manifest: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'sec-victim', namespace: 'team-beta' },
          data: { owner: 'bob' },
        },
      });
      expectRefused(
        task,
        'apply',
        'manifest.kind: ConfigMap is not a kind PlatformOps writes',
      );
      const victim = await admin.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team-beta',
        name: 'sec-victim',
      });
      expect((victim as { data?: unknown })?.data).toEqual({
        owner: 'team-beta',
      });
    });

    it('bob cannot delete a Secret in kube-system', async () => {
      const victim = {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'kube-system',
        name: 'sec-victim',
      };
      const task = await runTask(BOB, 'sec-delete', victim);
      expectRefused(
        task,
        'delete',
        'kind: Secret is not a kind PlatformOps writes',
      );
      expect(await exists(victim)).toBe(true);
    });

    it('bob cannot delete a ConfigMap of team-beta', async () => {
      const victim = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team-beta',
        name: 'sec-victim',
      };
      const task = await runTask(BOB, 'sec-delete', victim);
      expectRefused(
        task,
        'delete',
        'kind: ConfigMap is not a kind PlatformOps writes',
      );
      expect(await exists(victim)).toBe(true);
    });

    it("bob, denied team-beta, cannot delete team-beta's claim", async () => {
      const task = await runTask(BOB, 'sec-delete', PLANTED.betaClaim);
      expectRefused(
        task,
        'delete',
        'crossplane.resource.delete: not allowed to delete PostgreSQLInstance.database.platformops.io team-beta/sec-beta-db',
      );
      expect(await exists(PLANTED.betaClaim)).toBe(true);
    });

    it.each([
      ['without a namespace', undefined],
      ['with namespace team-alpha', 'team-alpha'],
    ])(
      "bob, denied team-beta, cannot delete team-beta's cluster-scoped composite %s",
      async (_, namespace) => {
        const task = await runTask(BOB, 'sec-delete', {
          ...betaXr(),
          namespace: namespace ?? '',
        });
        expectRefused(
          task,
          'delete',
          `crossplane.resource.delete: not allowed to delete XPostgreSQLInstance.database.platformops.io ${names.betaXr}`,
        );
        expect(await exists(betaXr())).toBe(true);
      },
    );

    it("bob, denied team-beta, cannot delete a managed resource of team-beta's composite", async () => {
      const task = await runTask(BOB, 'sec-delete', {
        ...betaMr(),
        namespace: '',
      });
      expectRefused(
        task,
        'delete',
        `crossplane.resource.delete: not allowed to delete NopResource.nop.crossplane.io ${names.betaMr}`,
      );
      expect(await exists(betaMr())).toBe(true);
    });

    it("bob, denied team-beta, cannot apply over team-beta's composite by its name", async () => {
      const task = await runTask(BOB, 'sec-apply', {
        manifest: {
          ...typeOf(betaXr()),
          metadata: { name: names.betaXr },
          spec: { parameters: { version: '17', storage: { sizeGB: 2000 } } },
        },
      });
      expectRefused(
        task,
        'apply',
        'crossplane.resource.create: not allowed to create XPostgreSQLInstance',
      );
      const xr = await admin.get(betaXr());
      expect((xr?.spec as any)?.parameters).toMatchObject({ version: '15' });
    });

    // A dry run: were it allowed, a real run would delete team-beta's object.
    it.each([
      ['composite', () => hijackedXr()],
      ['managed resource', () => hijackedMr()],
    ])(
      "alice cannot delete team-beta's %s through a team-alpha claim whose spec.resourceRef names it (dry run)",
      async (_, object) => {
        const res = await call(ALICE, 'POST', '/api/scaffolder/v2/dry-run', {
          template: TEMPLATES.delete,
          values: { ...object(), namespace: '' },
          directoryContents: [],
        });
        expect(res.text).not.toContain('Dry run: would delete');
        expect(res.text).toContain('crossplane.resource.delete: not allowed');
        expect(await exists(object())).toBe(true);
      },
    );

    it("alice cannot wait on team-beta's composite through a team-alpha claim whose spec.resourceRef names it", async () => {
      const task = await runTask(ALICE, 'sec-wait', {
        ...hijackedXr(),
        namespace: '',
      });
      expectRefused(task, 'wait', 'crossplane.resource.read: not allowed');
      expect(task.log).not.toMatch(/Ready=|Synced=/);
    });

    // Composites and managed resources are writable here (crossplane.writes):
    // what Crossplane reads from them must not come from input either.
    it.each([
      [
        "a composite that claims to be team-beta's (spec.claimRef)",
        () => ({
          ...XPOSTGRES,
          metadata: { name: 'sec-fake-xr' },
          spec: {
            parameters: { version: '15', storage: { sizeGB: 20 } },
            claimRef: {
              ...POSTGRES,
              namespace: 'team-beta',
              name: 'orders-db',
            },
          },
        }),
        'manifest.spec.claimRef',
      ],
      [
        "a composite labelled as team-beta's claim's",
        () => ({
          ...XPOSTGRES,
          metadata: {
            name: 'sec-fake-xr',
            labels: {
              'crossplane.io/claim-name': 'orders-db',
              'crossplane.io/claim-namespace': 'team-beta',
            },
          },
          spec: { parameters: { version: '15', storage: { sizeGB: 20 } } },
        }),
        'manifest.metadata.labels["crossplane.io/claim-',
      ],
      [
        "a composite that lists team-beta's managed resource as its own",
        () => ({
          ...XPOSTGRES,
          metadata: { name: 'sec-fake-xr' },
          spec: {
            parameters: { version: '15', storage: { sizeGB: 20 } },
            resourceRefs: [{ ...NOP, name: names.betaMr }],
          },
        }),
        'manifest.spec.resourceRefs',
      ],
      [
        "a managed resource that adopts team-beta's external resource (crossplane.io/external-name)",
        () => ({
          ...NOP,
          metadata: {
            name: 'sec-adopt',
            annotations: { 'crossplane.io/external-name': names.betaMr },
          },
          spec: { forProvider: {} },
        }),
        'manifest.metadata.annotations["crossplane.io/external-name"]',
      ],
    ])('bob cannot apply %s (dry run)', async (_, manifest, field) => {
      const res = await call(BOB, 'POST', '/api/scaffolder/v2/dry-run', {
        template: TEMPLATES.apply,
        values: { manifest: manifest() },
        directoryContents: [],
      });
      expect(res.text).not.toContain('Dry-run applied');
      // The refusal is an error naming the field, or a failed step's log.
      expect(res.body?.error?.message ?? res.text).toContain(field);
    });

    it.each(['kube-system', 'crossplane-system', 'default', 'kube-public'])(
      'bob, allowed every namespace but team-beta, cannot create a claim in %s',
      async namespace => {
        const task = await runTask(BOB, 'sec-apply', {
          manifest: claimManifest(namespace, 'sec-system-bucket'),
        });
        expectRefused(
          task,
          'apply',
          `manifest.metadata.namespace: "${namespace}" may not receive resources from the portal`,
        );
        expect(
          await exists({ ...BUCKET, namespace, name: 'sec-system-bucket' }),
        ).toBe(false);
      },
    );

    it('alice cannot create a claim in team-beta', async () => {
      const task = await runTask(ALICE, 'sec-apply', {
        manifest: claimManifest('team-beta', 'sec-alice-in-beta'),
      });
      expectRefused(
        task,
        'apply',
        'crossplane.resource.create: not allowed to create ObjectBucket.storage.platformops.io team-beta/sec-alice-in-beta',
      );
      expect(
        await exists({
          ...BUCKET,
          namespace: 'team-beta',
          name: 'sec-alice-in-beta',
        }),
      ).toBe(false);
    });

    it.each([
      [
        'annotation crossplane.io/external-name',
        {
          metadata: {
            annotations: { 'crossplane.io/external-name': 'beta-backups' },
          },
        },
        'manifest.metadata.annotations["crossplane.io/external-name"]',
      ],
      [
        'annotation crossplane.io/paused',
        { metadata: { annotations: { 'crossplane.io/paused': 'true' } } },
        'manifest.metadata.annotations["crossplane.io/paused"]',
      ],
      [
        'label crossplane.io/claim-name',
        {
          metadata: { labels: { 'crossplane.io/claim-name': 'beta-backups' } },
        },
        'manifest.metadata.labels["crossplane.io/claim-name"]',
      ],
      [
        'label crossplane.io/claim-namespace',
        {
          metadata: {
            labels: { 'crossplane.io/claim-namespace': 'team-beta' },
          },
        },
        'manifest.metadata.labels["crossplane.io/claim-namespace"]',
      ],
      [
        "a spec.resourceRef to team-beta's composite",
        { spec: { resourceRef: { ...XPOSTGRES, name: 'placeholder' } } },
        'manifest.spec.resourceRef',
      ],
      [
        'ownerReferences',
        {
          metadata: {
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Namespace',
                name: 'team-beta',
                uid: '1',
              },
            ],
          },
        },
        'manifest.metadata',
      ],
    ])(
      'alice cannot apply a claim in team-alpha with %s',
      async (_, extra, field) => {
        const spec = (extra as any).spec?.resourceRef
          ? { spec: { resourceRef: { ...XPOSTGRES, name: names.betaXr } } }
          : extra;
        const task = await runTask(ALICE, 'sec-apply', {
          manifest: claimManifest('team-alpha', 'sec-injected', spec),
        });
        expectRefused(task, 'apply', field);
        expect(
          await exists({
            ...BUCKET,
            namespace: 'team-alpha',
            name: 'sec-injected',
          }),
        ).toBe(false);
      },
    );

    const renderValues = (overrides: Record<string, unknown> = {}) => ({
      xrd: 'xobjectbuckets.storage.platformops.io',
      name: 'sec-rendered',
      namespace: 'team-alpha',
      owner: 'group:default/team-alpha',
      values: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
      labels: {},
      annotations: {},
      ...overrides,
    });

    it.each([
      [
        'annotation crossplane.io/external-name',
        { annotations: { 'crossplane.io/external-name': 'beta-backups' } },
        'metadata.annotations["crossplane.io/external-name"]',
      ],
      [
        'annotation crossplane.io/paused',
        { annotations: { 'crossplane.io/paused': 'true' } },
        'metadata.annotations["crossplane.io/paused"]',
      ],
      [
        'label crossplane.io/claim-name',
        { labels: { 'crossplane.io/claim-name': 'orders-db' } },
        'metadata.labels["crossplane.io/claim-name"]',
      ],
      [
        'an owner that is any string',
        { owner: 'anyone at all' },
        'owner: must be an entity reference',
      ],
      [
        'an owner the catalog does not hold',
        { owner: 'group:default/root' },
        'owner: "group:default/root" is not an entity in the catalog',
      ],
      [
        'namespace kube-system',
        { namespace: 'kube-system' },
        'namespace: "kube-system" may not receive resources',
      ],
      [
        'namespace crossplane-system',
        { namespace: 'crossplane-system' },
        'namespace: "crossplane-system" may not receive resources',
      ],
      [
        'namespace default',
        { namespace: 'default' },
        'namespace: "default" may not receive resources',
      ],
      ['a name with a slash', { name: 'team-beta/orders-db' }, 'name: '],
      [
        'spec.resourceRef in the values',
        { values: { resourceRef: { ...XPOSTGRES, name: 'x' } } },
        'spec.resourceRef',
      ],
      [
        'spec.compositionRef in the values',
        {
          values: {
            compositionRef: {
              name: 'xpostgresqlinstances.nop-quota-exceeded.database.platformops.io',
            },
          },
        },
        'spec.compositionRef',
      ],
    ])(
      'alice cannot render → apply a claim with %s',
      async (_, overrides, message) => {
        const values = renderValues(overrides);
        const task = await runTask(ALICE, 'sec-render-apply', values);
        expectRefused(task, 'render', message);
        expect(task.skipped).toEqual(['apply']);
        const namespace = values.namespace as string;
        expect(
          await exists({ ...BUCKET, namespace, name: 'sec-rendered' }),
        ).toBe(false);
      },
    );

    it.each([
      [
        'annotation crossplane.io/external-name',
        { annotations: { 'crossplane.io/external-name': 'beta-backups' } },
        'manifest.metadata.annotations["crossplane.io/external-name"]',
      ],
      [
        'label crossplane.io/claim-namespace',
        { labels: { 'crossplane.io/claim-namespace': 'team-beta' } },
        'manifest.metadata.labels["crossplane.io/claim-namespace"]',
      ],
      [
        'an owner annotation that is no entity ref',
        { annotations: { 'platformops.io/owner': 'not a ref' } },
        'manifest.metadata.annotations["platformops.io/owner"]',
      ],
    ])(
      'alice cannot splice %s into the apply after a clean render',
      async (_, inject, message) => {
        const task = await runTask(ALICE, 'sec-render-splice', {
          ...renderValues(),
          inject: {
            labels: {},
            annotations: {},
            spec: {
              parameters: { region: 'eu-west-1', storageClass: 'STANDARD' },
            },
            ...inject,
          },
        });
        expectRefused(task, 'apply', message);
        expect(
          await exists({
            ...BUCKET,
            namespace: 'team-alpha',
            name: 'sec-rendered',
          }),
        ).toBe(false);
      },
    );

    it.each([
      [
        'apply a ClusterRoleBinding',
        TEMPLATES.apply,
        {
          manifest: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'sec-escalate' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'cluster-admin',
            },
            subjects: [],
          },
        },
        'manifest.kind: ClusterRoleBinding',
      ],
      [
        'apply a Namespace',
        TEMPLATES.apply,
        {
          manifest: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'sec-ns' },
          },
        },
        'manifest.kind: Namespace',
      ],
      [
        'delete a Secret in kube-system',
        TEMPLATES.delete,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'kube-system',
          name: 'sec-victim',
        },
        'kind: Secret is not a kind',
      ],
      [
        'delete a ConfigMap of team-beta',
        TEMPLATES.delete,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'team-beta',
          name: 'sec-victim',
        },
        'kind: ConfigMap is not a kind',
      ],
    ])('bob cannot %s in a dry run', async (_, body, values, message) => {
      const res = await call(BOB, 'POST', '/api/scaffolder/v2/dry-run', {
        template: body,
        values,
        directoryContents: [],
      });
      expect(res.text).toContain(message);
      expect(res.text).not.toMatch(/Dry-run applied|Dry run: would delete/);
    });

    it("mallory cannot wait on team-beta's failing claim, and learns nothing of its conditions", async () => {
      const task = await runTask(MALLORY, 'sec-wait', {
        ...POSTGRES,
        namespace: 'team-beta',
        name: 'analytics-db',
      });
      expectRefused(
        task,
        'wait',
        'crossplane.resource.read: not allowed to read PostgreSQLInstance.database.platformops.io team-beta/analytics-db',
      );
      expect(task.log).not.toMatch(/QuotaExceeded|Ready=|Synced=/);
    });

    it("mallory cannot wait on team-alpha's claim either", async () => {
      const task = await runTask(MALLORY, 'sec-wait', PLANTED.alphaClaim);
      expectRefused(task, 'wait', 'crossplane.resource.read: not allowed');
      expect(task.log).not.toMatch(/Ready=|Synced=/);
    });

    it("mallory cannot await the entity of team-beta's failing claim", async () => {
      const task = await runTask(MALLORY, 'sec-await-entity', {
        entityRef: `component:default/${BETA_CLAIM_ENTITY}`,
      });
      expectRefused(task, 'register', 'crossplane.resource.read: not allowed');
      expect(task.log).not.toMatch(/QuotaExceeded|is in the catalog/);
    });

    it('mallory cannot apply or delete in team-alpha, not even in a dry run', async () => {
      const apply = await runTask(MALLORY, 'sec-apply', {
        manifest: claimManifest('team-alpha', 'sec-mallory'),
      });
      expectRefused(apply, 'apply', 'crossplane.resource.create: not allowed');
      const dry = await call(MALLORY, 'POST', '/api/scaffolder/v2/dry-run', {
        template: TEMPLATES.delete,
        values: PLANTED.alphaClaim,
        directoryContents: [],
      });
      expect(dry.text).toContain('crossplane.resource.delete: not allowed');
      const del = await runTask(MALLORY, 'sec-delete', PLANTED.alphaClaim);
      expectRefused(del, 'delete', 'crossplane.resource.delete: not allowed');
      expect(await exists(PLANTED.alphaClaim)).toBe(true);
      expect(
        await exists({
          ...BUCKET,
          namespace: 'team-alpha',
          name: 'sec-mallory',
        }),
      ).toBe(false);
    });

    it('alice may still create and delete her own claim in team-alpha (the refusals above are the policy, not a broken setup)', async () => {
      const name = 'sec-ok-bucket';
      const created = await runTask(
        ALICE,
        'sec-render-apply',
        renderValues({ name }),
      );
      expect({ status: created.status, log: created.log }).toEqual({
        status: 'completed',
        log: expect.stringContaining(
          `Applied ObjectBucket.storage.platformops.io team-alpha/${name}`,
        ),
      });
      const claim = { ...BUCKET, namespace: 'team-alpha', name };
      expect(await exists(claim)).toBe(true);
      // Waiting is a read she may do: the log tells the claim's conditions.
      const waited = await runTask(ALICE, 'sec-wait', claim);
      expect(waited.log).not.toContain('not allowed');
      expect(waited.log).toMatch(/ObjectBucket team-alpha\/sec-ok-bucket: /);
      const deleted = await runTask(ALICE, 'sec-delete', claim);
      expect(deleted.status).toBe('completed');
      await waitFor(`${name} to be gone`, async () =>
        (await exists(claim)) ? undefined : true,
      );
    });
  });

  describe('what leaves the cluster', () => {
    it('no catalog entity holds the canary', async () => {
      const res = await call(ALICE, 'GET', '/api/catalog/entities');
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(10);
      expect(res.text).toContain(PLANTED.alphaClaim.name);
    });

    it('no backend log line holds the canary', () => {
      expect(log.lines.length).toBeGreaterThan(0);
      expect(log.lines.filter(line => line.includes(CANARY))).toEqual([]);
    });

    it('refused operations created, deleted and changed nothing in the cluster', async () => {
      const after = await snapshotCluster(admin, SNAPSHOT_KINDS);
      expect(diffSnapshots(before, after, key => NOT_OURS.test(key))).toEqual({
        created: [],
        deleted: [],
        changed: [],
      });
    });
  });
});
