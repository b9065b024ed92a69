/*
 * The example templates and the templates generated from XRDs on the real
 * local control plane: the real scaffolder and catalog backends (and, for
 * refusals, the real permission backend), driven through the scaffolder's
 * HTTP API.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import catalogModuleCrossplane from '@platformops/plugin-catalog-backend-module-crossplane';
import {
  crossplaneCreatePermission,
  crossplaneUpdatePermission,
  objectEntityName,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { scaffolderModuleCrossplane } from '../module/scaffolderModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const CLUSTER = { name: 'itest', port: 6643 };
/** A configured cluster nothing listens for. */
const OFFLINE_CLUSTER = {
  name: 'offline-east',
  url: 'https://127.0.0.1:1',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'unused',
  skipTLSVerify: true,
};
const EXAMPLES = path.resolve(__dirname, '../../../../examples/templates');
/** The demo's groups and users: owners must be entities of the catalog. */
const ORG = path.resolve(__dirname, '../../../../examples/org.yaml');
const NAMESPACE = 'team-alpha';
/** The catalog's entity ref of an ObjectBucket claim of the test's namespace. */
const bucketEntityRef = (name: string) =>
  `component:default/${objectEntityName({
    cluster: CLUSTER.name,
    group: 'storage.platformops.io',
    kind: 'ObjectBucket',
    namespace: NAMESPACE,
    name,
  })}`;
const OWNER = 'group:default/team-alpha';
const BUCKET = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
};
const POSTGRES = {
  apiVersion: 'database.platformops.io/v1alpha1',
  kind: 'PostgreSQLInstance',
};

/** Unique per run, so that reruns and leftovers do not collide. */
const suffix = Date.now().toString(36);

type Template = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec: {
    parameters: Array<{ required?: string[]; properties: Record<string, any> }>;
    steps: Array<{ id: string; input: Record<string, unknown> }>;
    [key: string]: unknown;
  };
};

type TaskEvent = {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
};

/** An example template, pointed at a test cluster instead of `local`. */
function exampleTemplate(file: string, cluster = CLUSTER.name): Template {
  const template = yaml.parse(
    fs.readFileSync(path.join(EXAMPLES, file), 'utf8'),
  ) as Template;
  for (const step of template.spec.steps) {
    if (step.input.cluster === 'local') step.input.cluster = cluster;
  }
  return template;
}

/**
 * The object bucket template without the form's constraints (enums, the
 * required region, the name pattern, the integer type of the expiry) and with
 * a free-text field the XRD does not define, so that wrong values reach the
 * steps, as they would from a form that offers free text.
 */
function looseBucketTemplate(): Template {
  const template = exampleTemplate('object-bucket.yaml');
  template.metadata.name = 'itest-object-bucket-free-text';
  for (const page of template.spec.parameters) {
    const { name, storageClass, region, expireAfterDays } = page.properties;
    if (name) {
      delete name.pattern;
      delete name.maxLength;
    }
    if (storageClass) {
      delete storageClass.enum;
      delete storageClass.default;
    }
    if (region) {
      delete region.enum;
      delete region.default;
      page.required = page.required?.filter(field => field !== 'region');
    }
    if (expireAfterDays) {
      expireAfterDays.type = 'string';
      delete expireAfterDays.minimum;
    }
  }
  template.spec.parameters.at(-1)!.properties.encryption = { type: 'string' };
  const render = template.spec.steps.find(step => step.id === 'render')!;
  const values = render.input.values as { parameters: Record<string, unknown> };
  values.parameters.encryption = '${{ parameters.encryption }}';
  return template;
}

/**
 * The object bucket template with the namespace as free text and the
 * claim's annotations taken from the form, as a hostile user would write
 * it in the template editor.
 */
function hostileBucketTemplate(): Template {
  const template = exampleTemplate('object-bucket.yaml');
  template.metadata.name = 'itest-object-bucket-hostile';
  const [resource] = template.spec.parameters;
  delete resource.properties.namespace.enum;
  resource.properties.annotations = {
    type: 'object',
    additionalProperties: { type: 'string' },
  };
  const render = template.spec.steps.find(step => step.id === 'render')!;
  render.input.annotations = '${{ parameters.annotations }}';
  return template;
}

/** The object bucket template, aimed at a cluster that does not answer. */
function offlineBucketTemplate(): Template {
  const template = exampleTemplate('object-bucket.yaml', OFFLINE_CLUSTER.name);
  template.metadata.name = 'itest-object-bucket-offline';
  return template;
}

/**
 * A permission policy that refuses creating Crossplane resources and allows
 * everything else, so that only the apply step is refused.
 */
const denyCrossplaneCreatePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'itest-deny-crossplane-create',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request) {
            return {
              result: isPermission(
                request.permission,
                crossplaneCreatePermission,
              )
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            };
          },
        });
      },
    });
  },
});

/**
 * A permission policy that refuses editing Crossplane resources and allows
 * everything else: the user of another team, for the edit action.
 */
const denyCrossplaneUpdatePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'itest-deny-crossplane-update',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request) {
            return {
              result: isPermission(
                request.permission,
                crossplaneUpdatePermission,
              )
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            };
          },
        });
      },
    });
  },
});

/**
 * A template that edits a bucket claim's region with `crossplane:edit` as
 * a dry run: the diff and the cluster's verdict in the task log.
 */
function editBucketTemplate(): Template {
  const edit = {
    id: 'edit',
    name: 'Preview the new region',
    action: 'crossplane:edit',
    input: {
      cluster: CLUSTER.name,
      ...BUCKET,
      namespace: '${{ parameters.namespace }}',
      name: '${{ parameters.name }}',
      values: {
        parameters: {
          region: '${{ parameters.region }}',
          storageClass: 'NEARLINE',
        },
      },
      dryRun: true,
    },
  };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'itest-edit-bucket' },
    spec: {
      owner: OWNER,
      type: 'resource',
      parameters: [
        {
          required: ['name', 'namespace', 'region'],
          properties: {
            name: { type: 'string' },
            namespace: { type: 'string' },
            region: { type: 'string' },
          },
        },
      ],
      steps: [edit],
    },
  };
}

/** What the pull-request action was asked to commit. */
type PullRequest = {
  input: Record<string, unknown>;
  files: Record<string, string>;
};

/**
 * Stands in for `publish:github:pull-request`, as GitHub cannot be reached
 * from here: records the input and the workspace the real action would
 * commit, and answers with a pull request URL.
 */
function pullRequestStandIn(pullRequests: PullRequest[]) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'itest-pull-request',
    register(reg) {
      reg.registerInit({
        deps: { scaffolder: scaffolderActionsExtensionPoint },
        async init({ scaffolder }) {
          scaffolder.addActions(
            createTemplateAction({
              id: 'publish:github:pull-request',
              schema: {
                input: {
                  repoUrl: z => z.string(),
                  branchName: z => z.string(),
                  title: z => z.string(),
                  description: z => z.string(),
                },
                output: { remoteUrl: z => z.string() },
              },
              async handler(ctx) {
                const files: Record<string, string> = {};
                const entries = fs.readdirSync(ctx.workspacePath, {
                  recursive: true,
                  withFileTypes: true,
                });
                for (const entry of entries) {
                  if (!entry.isFile()) continue;
                  const file = path.join(entry.parentPath, entry.name);
                  files[path.relative(ctx.workspacePath, file)] =
                    fs.readFileSync(file, 'utf8');
                }
                pullRequests.push({ input: { ...ctx.input }, files });
                ctx.output(
                  'remoteUrl',
                  `https://github.com/acme/gitops/pull/${pullRequests.length}`,
                );
              },
            }),
          );
        },
      });
    },
  });
}

/**
 * The mock auth service, except that a plugin's request on behalf of a user
 * names the plugin as actor, as real tokens do: without an actor the
 * permission backend takes it for the user's own request and refuses the
 * catalog's and the scaffolder's conditional checks.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      if (!auth.isPrincipal(options.onBehalfOf, 'user')) return issue(options);
      return {
        token: mockCredentials.user.token(
          options.onBehalfOf.principal.userEntityRef,
          { actor: { subject: `plugin:${plugin.getId()}` } },
        ),
      };
    };
    return auth;
  },
});

/**
 * A scaffolder and catalog backend with the Crossplane actions that holds
 * the given templates, and the HTTP calls the tests make to it.
 */
async function startPortal(options: {
  templates: Template[];
  clusters: Array<Record<string, string | boolean>>;
  features?: Parameters<typeof startTestBackend>[0]['features'];
  config?: Record<string, unknown>;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-templates-'));
  const locations = [
    ...options.templates.map(template => {
      const file = path.join(dir, `${template.metadata.name}.yaml`);
      fs.writeFileSync(file, yaml.stringify(template));
      return { type: 'file', target: file, rules: [{ allow: ['Template'] }] };
    }),
    { type: 'file', target: ORG, rules: [{ allow: ['Group', 'User'] }] },
  ];
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleCrossplane,
      catalogPlugin,
      catalogModuleTemplateKind,
      catalogModuleCrossplane,
      // The real scheduler: its global lock opens the catalog module's
      // writing windows (the mock runs each task once, at startup).
      schedulerServiceFactory,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          backend: { workingDirectory: dir },
          catalog: {
            processingInterval: { seconds: 1 },
            locations,
            // Claims only: what the templates' register step waits for.
            providers: {
              crossplane: {
                managedResources: false,
                workloads: false,
                debounceMs: 200,
              },
            },
          },
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: options.clusters },
            ],
          },
        },
      }),
    ],
  });

  const request = async (
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ) => {
    const res = await fetch(`http://localhost:${backend.server.port()}${url}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };

  /** Runs a template of the catalog to its end; returns the task and its events. */
  const runTemplate = async (
    templateName: string,
    values: Record<string, unknown>,
  ) => {
    const createdTask = await request('POST', '/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${templateName}`,
      values,
    });
    expect(createdTask.status).toBe(201);
    const id = createdTask.body.id as string;
    const task = await waitFor(
      `task ${id} to finish`,
      async () => {
        const { body } = await request('GET', `/api/scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body
          : undefined;
      },
      300_000,
    );
    const { body: events } = await request(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    const log = (events as TaskEvent[])
      .map(e => e.body.message ?? '')
      .join('\n');
    return { task, events: events as TaskEvent[], log };
  };

  const owner = parseOwner(OWNER);
  for (const [kind, name] of [
    ...options.templates.map(t => ['template', t.metadata.name]),
    [owner.kind, owner.name],
  ]) {
    await waitFor(`${kind} ${name} in the catalog`, async () => {
      const res = await request(
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
      return res.status === 200 ? true : undefined;
    });
  }

  return {
    request,
    runTemplate,
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `group:default/team-alpha` → kind and name. */
function parseOwner(ref: string) {
  const [, kind, name] = /^(\w+):default\/(.+)$/.exec(ref)!;
  return { kind, name };
}

/** The steps that failed, and those skipped because an earlier one failed. */
function stepsOf(events: TaskEvent[]) {
  const withStatus = (status: string) =>
    events
      .filter(e => e.body.stepId && e.body.status === status)
      .map(e => e.body.stepId);
  return { failed: withStatus('failed'), skipped: withStatus('skipped') };
}

/** Fails with the task's log, which tells why. */
function expectCompleted(task: { status: string }, log: string) {
  if (task.status !== 'completed') {
    throw new Error(`task ${task.status}:\n${log}`);
  }
}

const readyCondition = (object: KubernetesObject | undefined) =>
  (
    (object?.status as { conditions?: Array<Record<string, string>> })
      ?.conditions ?? []
  ).find(c => c.type === 'Ready');

describe('Crossplane templates on the local control plane', () => {
  let cp: any;
  let client: KubernetesClusterClient;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const created: Array<{ apiVersion: string; kind: string; name: string }> = [];

  const request: typeof portal.request = (...args) => portal.request(...args);
  const runTemplate: typeof portal.runTemplate = (...args) =>
    portal.runTemplate(...args);

  const getClaim = (type: { apiVersion: string; kind: string }, name: string) =>
    client.get({ ...type, namespace: NAMESPACE, name });

  /** Whether a bucket claim exists, by listing: the name may be invalid. */
  const bucketClaimExists = async (name: string) =>
    (
      await client.list(BUCKET.apiVersion, BUCKET.kind, {
        namespace: NAMESPACE,
      })
    ).items.some(item => item.metadata.name === name);

  beforeAll(async () => {
    cp = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    });
    client = KubernetesClusterClient.fromConfig(cp.backstageCluster);
    portal = await startPortal({
      templates: [
        exampleTemplate('object-bucket.yaml'),
        exampleTemplate('postgresql.yaml'),
        exampleTemplate('object-bucket-gitops.yaml'),
        looseBucketTemplate(),
        hostileBucketTemplate(),
        offlineBucketTemplate(),
        editBucketTemplate(),
      ],
      clusters: [cp.backstageCluster, OFFLINE_CLUSTER],
    });
  });

  afterAll(async () => {
    for (const object of created) {
      await client
        ?.delete({ ...object, namespace: NAMESPACE })
        .catch(() => undefined);
    }
    await portal?.stop();
  });

  const bucketName = `itest-bucket-${suffix}`;
  const bucketValues = {
    name: bucketName,
    namespace: NAMESPACE,
    owner: OWNER,
    region: 'eu-central-1',
    storageClass: 'NEARLINE',
    versioning: true,
  };

  it('creates an object bucket claim that becomes Ready', async () => {
    created.push({ ...BUCKET, name: bucketName });
    const { task, log } = await runTemplate(
      'crossplane-object-bucket',
      bucketValues,
    );
    expectCompleted(task, log);

    const claim = await getClaim(BUCKET, bucketName);
    expect(claim?.spec).toMatchObject({
      parameters: {
        region: 'eu-central-1',
        storageClass: 'NEARLINE',
        versioning: true,
      },
    });
    expect(claim?.metadata.annotations).toMatchObject({
      'platformops.io/owner': OWNER,
      'platformops.io/template': 'template:default/crossplane-object-bucket',
    });
    expect(readyCondition(claim)?.status).toBe('True');
    expect(log).toContain(`ObjectBucket ${NAMESPACE}/${bucketName} is Ready`);
    // Progress of the composed resources, not only of the claim.
    expect(log).toMatch(/NopResource \S+: Ready=True/);
    // The register step: the link works when the task ends.
    expect(log).toContain(`${bucketEntityRef(bucketName)} is in the catalog`);
  });

  it('changes nothing when the same run is repeated', async () => {
    const before = await getClaim(BUCKET, bucketName);
    expect(readyCondition(before)?.status).toBe('True');

    const { task, log } = await runTemplate(
      'crossplane-object-bucket',
      bucketValues,
    );
    expectCompleted(task, log);

    const after = await getClaim(BUCKET, bucketName);
    const applied = (object: KubernetesObject | undefined) =>
      (
        (object?.metadata.managedFields ?? []) as Array<Record<string, string>>
      ).find(m => m.manager === 'platformops' && m.operation === 'Apply');
    expect(after?.metadata.generation).toBe(before?.metadata.generation);
    expect(after?.metadata.resourceVersion).toBe(
      before?.metadata.resourceVersion,
    );
    expect(applied(after)?.time).toBe(applied(before)?.time);
  });

  it('creates a PostgreSQL instance claim that becomes Ready', async () => {
    const name = `itest-pg-${suffix}`;
    created.push({ ...POSTGRES, name });
    const { task, log } = await runTemplate('crossplane-postgresql', {
      name,
      namespace: NAMESPACE,
      owner: OWNER,
      version: '17',
      instanceClass: 'medium',
      sizeGB: 50,
    });
    expectCompleted(task, log);

    const claim = await getClaim(POSTGRES, name);
    expect(claim?.spec).toMatchObject({
      parameters: {
        version: '17',
        instanceClass: 'medium',
        storage: { sizeGB: 50 },
      },
    });
    expect(readyCondition(claim)?.status).toBe('True');
  });

  it('creates nothing in a dry run', async () => {
    const name = `itest-dry-${suffix}`;
    created.push({ ...BUCKET, name });
    const { status, body } = await request(
      'POST',
      '/api/scaffolder/v2/dry-run',
      {
        template: exampleTemplate('object-bucket.yaml'),
        values: { ...bucketValues, name },
        directoryContents: [],
      },
    );
    expect(status).toBe(200);
    const log = (body.log as TaskEvent[])
      .map(e => e.body.message ?? '')
      .join('\n');
    expect(log).toContain(
      `Dry-run applied ObjectBucket.storage.platformops.io ${NAMESPACE}/${name} in cluster itest`,
    );
    expect(log).toContain('Dry run: would wait for Ready, Synced');
    expect(log).toContain(
      `Dry run: would wait for ${bucketEntityRef(name)} in the catalog`,
    );
    expect(body.output.links).toEqual([
      expect.objectContaining({ entityRef: bucketEntityRef(name) }),
    ]);
    expect(body.output.text[0].content).toContain(`name: ${name}`);

    expect(await getClaim(BUCKET, name)).toBeUndefined();
  });

  it.each([
    [
      'a value outside the enum',
      { storageClass: 'GLACIER' },
      'spec.parameters.storageClass: must be one of STANDARD, NEARLINE, COLDLINE, ARCHIVE (got "GLACIER")',
    ],
    [
      'a missing required field',
      { region: undefined },
      'spec.parameters.region: is required',
    ],
    [
      'a value of the wrong type',
      { expireAfterDays: 'thirty' },
      'spec.parameters.lifecycle.expireAfterDays: must be an integer (got string "thirty")',
    ],
    [
      'a field the XRD does not define',
      { encryption: 'aes256' },
      'spec.parameters.encryption: unknown field',
    ],
    [
      'a name that is not a DNS-1123 label',
      { name: `Itest_Wrong_${suffix}` },
      'name: must be a DNS-1123 label',
    ],
  ])(
    'fails a run with %s at render, naming the field, creating nothing',
    async (_, wrong, message) => {
      const values: Record<string, unknown> = {
        ...bucketValues,
        name: `itest-wrong-${suffix}`,
        ...wrong,
      };
      const name = values.name as string;
      created.push({ ...BUCKET, name });
      const { task, events, log } = await runTemplate(
        'itest-object-bucket-free-text',
        values,
      );
      expect(task.status).toBe('failed');
      expect(log).toContain(message);
      const steps = stepsOf(events);
      expect(steps.failed).toEqual(['render']);
      expect(steps.skipped).toEqual(['apply', 'wait', 'register']);
      expect(await bucketClaimExists(name)).toBe(false);
    },
  );

  it('fails a run on a cluster that does not answer, naming the cluster', async () => {
    const name = `itest-offline-${suffix}`;
    created.push({ ...BUCKET, name });
    const { task, events, log } = await runTemplate(
      'itest-object-bucket-offline',
      { ...bucketValues, name },
    );
    expect(task.status).toBe('failed');
    expect(log).toMatch(/cluster offline-east: .*ECONNREFUSED 127\.0\.0\.1:1/);
    const steps = stepsOf(events);
    expect(steps.failed).toEqual(['render']);
    expect(steps.skipped).toEqual(['apply', 'wait', 'register']);
    expect(await bucketClaimExists(name)).toBe(false);
  });

  it.each([
    [
      'an injected crossplane.io/external-name',
      {
        annotations: { 'crossplane.io/external-name': 'another-teams-bucket' },
      },
      'metadata.annotations["crossplane.io/external-name"]: is set by Crossplane and cannot be set from template input',
    ],
    [
      'the namespace kube-system',
      { namespace: 'kube-system' },
      `namespace: "kube-system" may not receive resources from the portal: it matches "kube-*" of the namespace policy's deny list`,
    ],
    [
      'an owner the catalog does not hold',
      { owner: 'group:default/nope' },
      'owner: "group:default/nope" is not an entity in the catalog',
    ],
    [
      'an owner that is no entity ref',
      { owner: 'not a ref !!' },
      'owner: must be an entity reference like group:default/team-a (got "not a ref !!")',
    ],
  ])(
    'fails a run with %s at render, naming the field, creating nothing',
    async (_, hostile, message) => {
      const values: Record<string, unknown> = {
        ...bucketValues,
        name: `itest-hostile-${suffix}`,
        annotations: {},
        ...hostile,
      };
      const { task, events, log } = await runTemplate(
        'itest-object-bucket-hostile',
        values,
      );
      expect(task.status).toBe('failed');
      expect(log).toContain(message);
      const steps = stepsOf(events);
      expect(steps.failed).toEqual(['render']);
      expect(steps.skipped).toEqual(['apply', 'wait', 'register']);
      const namespace = values.namespace as string;
      const claims = await client.list(BUCKET.apiVersion, BUCKET.kind, {
        namespace,
      });
      expect(claims.items.map(c => c.metadata.name)).not.toContain(values.name);
    },
  );

  it('refuses an odd layout in a dry run with an input error, without server paths', async () => {
    const template = exampleTemplate('object-bucket.yaml');
    const render = template.spec.steps.find(step => step.id === 'render')!;
    render.input.writeToWorkspace = true;
    for (const layout of ['{name}/', '../{name}.yaml', '/etc/{name}.yaml']) {
      render.input.layout = layout;
      const { status, body } = await request(
        'POST',
        '/api/scaffolder/v2/dry-run',
        {
          template,
          values: { ...bucketValues, name: `itest-layout-${suffix}` },
          directoryContents: [],
        },
      );
      expect(status).toBe(400);
      expect(body.error.name).toBe('InputError');
      expect(body.error.message).toMatch(/^layout: /);
      expect(JSON.stringify(body)).not.toContain(os.tmpdir());
      expect(body.error.stack).toBeUndefined();
    }
  });

  it('holds the GitOps template as a valid entity', async () => {
    const { status, body } = await request(
      'GET',
      '/api/catalog/entities/by-name/template/default/crossplane-object-bucket-gitops',
    );
    expect(status).toBe(200);
    expect(
      body.spec.steps.map((step: { action: string }) => step.action),
    ).toEqual(['crossplane:render', 'publish:github:pull-request']);
    expect(body.spec.steps[0].input).toMatchObject({
      writeToWorkspace: true,
    });
  });

  it('refuses a value outside the form of the example template before any step', async () => {
    const { status, body } = await request('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/crossplane-object-bucket',
      values: { ...bucketValues, storageClass: 'GLACIER' },
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body.errors)).toContain('storageClass');
  });

  describe('for a user without the create permission', () => {
    let guarded: Awaited<ReturnType<typeof startPortal>>;

    beforeAll(async () => {
      guarded = await startPortal({
        templates: [exampleTemplate('object-bucket.yaml')],
        clusters: [cp.backstageCluster],
        features: [
          permissionPlugin,
          denyCrossplaneCreatePolicy,
          authWithActors,
        ],
        config: { permission: { enabled: true } },
      });
    });

    afterAll(async () => {
      await guarded?.stop();
    });

    it('refuses the run at apply and creates nothing', async () => {
      const name = `itest-refused-${suffix}`;
      created.push({ ...BUCKET, name });
      const { task, events, log } = await guarded.runTemplate(
        'crossplane-object-bucket',
        { ...bucketValues, name },
      );
      expect(task.status).toBe('failed');
      expect(log).toContain(
        `crossplane.resource.create: not allowed to create ObjectBucket.storage.platformops.io ${NAMESPACE}/${name} in cluster itest`,
      );
      const steps = stepsOf(events);
      expect(steps.failed).toEqual(['apply']);
      expect(steps.skipped).toEqual(['wait', 'register']);
      expect(await bucketClaimExists(name)).toBe(false);
    });
  });

  describe('crossplane:edit', () => {
    const editName = `itest-edit-${suffix}`;
    /** The claim as the portal created it, in a team's namespace. */
    const bucketClaim = (namespace: string): KubernetesObject => ({
      ...BUCKET,
      metadata: { name: editName, namespace },
      spec: {
        parameters: { region: 'eu-central-1', storageClass: 'NEARLINE' },
      },
    });
    const specOf = async (namespace: string) =>
      (await client.get({ ...BUCKET, namespace, name: editName }))?.spec;
    let guarded: Awaited<ReturnType<typeof startPortal>>;

    beforeAll(async () => {
      for (const namespace of [NAMESPACE, 'team-beta']) {
        await client.apply(bucketClaim(namespace), {
          fieldManager: 'platformops',
        });
      }
      guarded = await startPortal({
        templates: [editBucketTemplate()],
        clusters: [cp.backstageCluster],
        features: [
          permissionPlugin,
          denyCrossplaneUpdatePolicy,
          authWithActors,
        ],
        config: { permission: { enabled: true } },
      });
    });

    afterAll(async () => {
      for (const namespace of [NAMESPACE, 'team-beta']) {
        await client
          .delete({ ...BUCKET, namespace, name: editName })
          .catch(() => undefined);
      }
      await guarded?.stop();
    });

    it("previews an edit of the team's claim in a dry run, changing nothing", async () => {
      const before = await specOf(NAMESPACE);
      const { task, log } = await runTemplate('itest-edit-bucket', {
        name: editName,
        namespace: NAMESPACE,
        region: 'us-east-1',
      });
      expectCompleted(task, log);
      expect(log).toMatch(/-\s+region: eu-central-1\n\+\s+region: us-east-1/);
      expect(log).toContain(
        `The cluster's dry run accepts the edit of ObjectBucket.storage.platformops.io ${NAMESPACE}/${editName} in cluster itest`,
      );
      expect(await specOf(NAMESPACE)).toEqual(before);
    });

    it("refuses another team's claim with the permission's message, changing nothing", async () => {
      const before = await specOf('team-beta');
      const { task, events, log } = await guarded.runTemplate(
        'itest-edit-bucket',
        { name: editName, namespace: 'team-beta', region: 'us-east-1' },
      );
      expect(task.status).toBe('failed');
      expect(stepsOf(events).failed).toEqual(['edit']);
      expect(log).toContain(
        `crossplane.resource.update: not allowed to update ObjectBucket.storage.platformops.io team-beta/${editName} in cluster itest`,
      );
      expect(log).not.toMatch(/\.ts:\d+/);
      expect(await specOf('team-beta')).toEqual(before);
    });
  });

  describe('from the template generated for the ObjectBucket XRD', () => {
    const TEMPLATE = 'objectbucket.storage.platformops.io';
    const pullRequests: PullRequest[] = [];
    let generated: Awaited<ReturnType<typeof startPortal>>;

    const values = (name: string, delivery: Record<string, unknown>) => ({
      name,
      namespace: NAMESPACE,
      owner: OWNER,
      parameters: { region: 'us-east-1', storageClass: 'COLDLINE' },
      cluster: CLUSTER.name,
      ...delivery,
    });

    beforeAll(async () => {
      generated = await startPortal({
        templates: [],
        clusters: [cp.backstageCluster, OFFLINE_CLUSTER],
        features: [pullRequestStandIn(pullRequests)],
      });
      await waitFor(`template ${TEMPLATE} in the catalog`, async () => {
        const res = await generated.request(
          'GET',
          `/api/catalog/entities/by-name/template/default/${TEMPLATE}`,
        );
        return res.status === 200 ? res.body : undefined;
      });
    });

    afterAll(async () => {
      await generated?.stop();
    });

    it('offers the cluster that serves the XRD, and not one never reached', async () => {
      const { body } = await generated.request(
        'GET',
        `/api/catalog/entities/by-name/template/default/${TEMPLATE}`,
      );
      const delivery = body.spec.parameters.find(
        (page: { title?: string }) => page.title === 'Delivery',
      );
      expect(delivery.properties.cluster.enum).toEqual([CLUSTER.name]);
      expect(delivery.properties.delivery.enum).toEqual([
        'apply',
        'pull-request',
      ]);
    });

    it('applies a claim that becomes Ready and links to its entity', async () => {
      const name = `itest-gen-${suffix}`;
      created.push({ ...BUCKET, name });
      const { task, events, log } = await generated.runTemplate(
        TEMPLATE,
        values(name, { delivery: 'apply' }),
      );
      expectCompleted(task, log);
      expect(stepsOf(events).skipped).toEqual(['pr']);
      const claim = await getClaim(BUCKET, name);
      expect(claim?.spec).toMatchObject({
        parameters: { region: 'us-east-1', storageClass: 'COLDLINE' },
      });
      expect(readyCondition(claim)?.status).toBe('True');
      // The link works when the task ends: the catalog holds the entity.
      const entityRef = bucketEntityRef(name);
      expect(log).toContain(`${entityRef} is in the catalog`);
      const completion = events.find(e => e.type === 'completion') as any;
      expect(completion.body.output.links).toEqual([
        expect.objectContaining({ entityRef }),
      ]);
      const ingested = await generated.request(
        'GET',
        `/api/catalog/entities/by-name/${entityRef.replace(':', '/')}`,
      );
      expect(ingested.status).toBe(200);
      expect(ingested.body.spec.owner).toBe(OWNER);
    });

    it('opens a pull request with the manifest at the layout and creates nothing', async () => {
      const name = `itest-gitops-${suffix}`;
      created.push({ ...BUCKET, name });
      const { task, events, log } = await generated.runTemplate(
        TEMPLATE,
        values(name, {
          delivery: 'pull-request',
          repoUrl: 'github.com?owner=acme&repo=gitops',
        }),
      );
      expectCompleted(task, log);
      expect(stepsOf(events).skipped).toEqual(['apply', 'wait', 'register']);

      const pr = pullRequests.at(-1)!;
      expect(pr.input).toMatchObject({
        repoUrl: 'github.com?owner=acme&repo=gitops',
        branchName: `crossplane/${CLUSTER.name}-${NAMESPACE}-${name}`,
        title: `Add ObjectBucket ${NAMESPACE}/${name} to ${CLUSTER.name}`,
      });
      const file = `${CLUSTER.name}/${NAMESPACE}/objectbucket/${name}.yaml`;
      expect(Object.keys(pr.files)).toEqual([file]);
      expect(yaml.parse(pr.files[file])).toMatchObject({
        apiVersion: BUCKET.apiVersion,
        kind: BUCKET.kind,
        metadata: { name, namespace: NAMESPACE },
        spec: { parameters: { region: 'us-east-1', storageClass: 'COLDLINE' } },
      });
      const completion = events.find(e => e.type === 'completion') as any;
      expect(completion.body.output.links).toEqual([
        expect.objectContaining({
          url: 'https://github.com/acme/gitops/pull/1',
        }),
        expect.objectContaining({ entityRef: bucketEntityRef(name) }),
      ]);
      expect(await bucketClaimExists(name)).toBe(false);
    });

    it('refuses a pull request without a repository before any step', async () => {
      const { status, body } = await generated.request(
        'POST',
        '/api/scaffolder/v2/tasks',
        {
          templateRef: `template:default/${TEMPLATE}`,
          values: values(`itest-norepo-${suffix}`, {
            delivery: 'pull-request',
          }),
        },
      );
      expect(status).toBe(400);
      expect(JSON.stringify(body.errors)).toContain('delivery');
    });
  });
});
