/*
 * The Crossplane actions on a Crossplane v2 control plane (itest3,
 * demo-v2): a namespaced AppDatabase XR rendered, applied, waited for and
 * deleted through templates, its GitOps file, and what the portal refuses
 * to write there. The real scaffolder and catalog backends, driven through
 * the scaffolder's HTTP API. Objects created here are named `v2it-`.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleCrossplane from '@platformops/plugin-catalog-backend-module-crossplane';
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

const CLUSTER = { name: 'itest3', port: 6843, crossplane: 'v2' };
/** The demo's groups and users: owners must be entities of the catalog. */
const ORG = path.resolve(__dirname, '../../../../examples/org.yaml');
const XRD = 'appdatabases.apps.platformops.io';
const APP_DATABASE = {
  apiVersion: 'apps.platformops.io/v1alpha1',
  kind: 'AppDatabase',
};
const NAMESPACE = 'team-alpha';
const OWNER = 'group:default/team-alpha';
const suffix = Date.now().toString(36);

type TaskEvent = {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
};

const string = { type: 'string' };

/** A template of the given steps, every form value a free-text string. */
function template(
  name: string,
  fields: string[],
  steps: Array<Record<string, unknown>>,
) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name },
    spec: {
      owner: 'group:default/platform-team',
      type: 'resource',
      parameters: [
        {
          properties: Object.fromEntries(
            fields.map(field => [
              field,
              field === 'manifest' ? { type: 'object' } : string,
            ]),
          ),
        },
      ],
      steps,
      output: {
        text: [
          { title: 'Manifest', content: '${{ steps.render.output.yaml }}' },
        ],
      },
    },
  };
}

/** Renders an AppDatabase of the form's name and namespace on itest3. */
const renderStep = (input: Record<string, unknown> = {}) => ({
  id: 'render',
  action: 'crossplane:render',
  input: {
    cluster: CLUSTER.name,
    xrd: XRD,
    name: '${{ parameters.name }}',
    namespace: '${{ parameters.namespace }}',
    owner: OWNER,
    values: { parameters: { engine: 'postgres', storageGB: 20 } },
    ...input,
  },
});

const object = {
  cluster: CLUSTER.name,
  apiVersion: '${{ steps.render.output.apiVersion }}',
  kind: '${{ steps.render.output.kind }}',
  name: '${{ steps.render.output.name }}',
  namespace: '${{ steps.render.output.namespace }}',
};

const TEMPLATES = [
  template(
    'v2it-app-database-lifecycle',
    ['name', 'namespace'],
    [
      renderStep(),
      {
        id: 'apply',
        action: 'crossplane:apply',
        input: {
          cluster: CLUSTER.name,
          manifest: '${{ steps.render.output.manifest }}',
        },
      },
      {
        id: 'wait',
        action: 'crossplane:wait',
        input: { ...object, timeoutSeconds: 180 },
      },
      { id: 'delete', action: 'crossplane:delete', input: object },
    ],
  ),
  template(
    'v2it-app-database-gitops',
    ['name', 'namespace'],
    [renderStep({ writeToWorkspace: true })],
  ),
  template(
    'v2it-apply-manifest',
    ['manifest'],
    [
      {
        id: 'apply',
        action: 'crossplane:apply',
        input: {
          cluster: CLUSTER.name,
          manifest: '${{ parameters.manifest }}',
        },
      },
    ],
  ),
];

describe('Crossplane actions on Crossplane v2 (itest3)', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let client: KubernetesClusterClient;
  let dir: string;
  const created: Array<{ namespace: string; name: string }> = [];

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

  /** Runs a template to its end: its status, log and failed steps. */
  const run = async (name: string, values: Record<string, unknown>) => {
    const task = await request('POST', '/api/scaffolder/v2/tasks', {
      templateRef: `template:default/${name}`,
      values,
    });
    expect(task.status).toBe(201);
    const id = task.body.id as string;
    const done = await waitFor(
      `task ${id} to finish`,
      async () => {
        const { body } = await request('GET', `/api/scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body
          : undefined;
      },
      300_000,
    );
    const events = (
      await request('GET', `/api/scaffolder/v2/tasks/${id}/events`)
    ).body as TaskEvent[];
    return {
      status: done.status as string,
      log: events.map(e => e.body.message ?? '').join('\n'),
      failed: events
        .filter(e => e.body.stepId && e.body.status === 'failed')
        .map(e => e.body.stepId),
    };
  };

  const exists = async (namespace: string, name: string) =>
    Boolean(await client.get({ ...APP_DATABASE, namespace, name }));

  beforeAll(async () => {
    const cp = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    });
    client = KubernetesClusterClient.fromConfig(cp.backstageCluster);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-v2-templates-'));
    const locations = [
      ...TEMPLATES.map(t => {
        const file = path.join(dir, `${t.metadata.name}.yaml`);
        fs.writeFileSync(file, yaml.stringify(t));
        return { type: 'file', target: file, rules: [{ allow: ['Template'] }] };
      }),
      { type: 'file', target: ORG, rules: [{ allow: ['Group', 'User'] }] },
    ];
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCrossplane,
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleCrossplane,
        // The real scheduler: its global lock opens the catalog module's
        // writing windows (the mock runs each task once, at startup).
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory: dir },
            catalog: {
              processingInterval: { seconds: 1 },
              locations,
              providers: {
                crossplane: {
                  managedResources: false,
                  workloads: false,
                  templates: false,
                  debounceMs: 200,
                },
              },
            },
            kubernetes: {
              clusterLocatorMethods: [
                { type: 'config', clusters: [cp.backstageCluster] },
              ],
            },
          },
        }),
      ],
    });
    for (const ref of [
      ...TEMPLATES.map(t => `template/default/${t.metadata.name}`),
      'group/default/team-alpha',
    ]) {
      await waitFor(`${ref} in the catalog`, async () =>
        (
          await request('GET', `/api/catalog/entities/by-name/${ref}`)
        ).status === 200
          ? true
          : undefined,
      );
    }
  });

  afterAll(async () => {
    for (const { namespace, name } of created) {
      await client
        ?.delete({ ...APP_DATABASE, namespace, name })
        .catch(() => undefined);
    }
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renders, applies, waits for and deletes a namespaced AppDatabase', async () => {
    const name = `v2it-db-${suffix}`;
    created.push({ namespace: NAMESPACE, name });
    const task = await run('v2it-app-database-lifecycle', {
      name,
      namespace: NAMESPACE,
    });
    if (task.status !== 'completed') throw new Error(task.log);
    expect(task.log).toContain(`AppDatabase ${NAMESPACE}/${name} is Ready`);
    expect(task.log).toMatch(/NopResource \S+: Ready=True/);
    expect(await exists(NAMESPACE, name)).toBe(false);
  });

  it('writes the GitOps file of a namespaced AppDatabase at the layout', async () => {
    const name = `v2it-gitops-${suffix}`;
    const { status, body } = await request(
      'POST',
      '/api/scaffolder/v2/dry-run',
      {
        template: TEMPLATES[1],
        values: { name, namespace: NAMESPACE },
        directoryContents: [],
      },
    );
    expect(status).toBe(200);
    const files = (
      body.directoryContents as Array<{ path: string; base64Content: string }>
    ).map(f => ({
      path: f.path,
      content: yaml.parse(Buffer.from(f.base64Content, 'base64').toString()),
    }));
    expect(files).toEqual([
      {
        path: `${CLUSTER.name}/${NAMESPACE}/appdatabase/${name}.yaml`,
        content: expect.objectContaining({
          ...APP_DATABASE,
          metadata: expect.objectContaining({ name, namespace: NAMESPACE }),
          spec: { parameters: { engine: 'postgres', storageGB: 20 } },
        }),
      },
    ]);
    expect(await exists(NAMESPACE, name)).toBe(false);
  });

  it('refuses an AppDatabase in kube-system, naming the namespace policy', async () => {
    const name = `v2it-kube-${suffix}`;
    const task = await run('v2it-app-database-lifecycle', {
      name,
      namespace: 'kube-system',
    });
    expect(task.status).toBe('failed');
    expect(task.failed).toEqual(['render']);
    expect(task.log).toContain(
      `namespace: "kube-system" may not receive resources from the portal`,
    );
    expect(await exists('kube-system', name)).toBe(false);
  });

  it('refuses a .m. NopResource applied directly: not a kind the portal writes', async () => {
    const name = `v2it-nop-${suffix}`;
    const task = await run('v2it-apply-manifest', {
      manifest: {
        apiVersion: 'nop.m.crossplane.io/v1alpha1',
        kind: 'NopResource',
        metadata: { name, namespace: NAMESPACE },
        spec: { forProvider: {} },
      },
    });
    expect(task.status).toBe('failed');
    expect(task.failed).toEqual(['apply']);
    expect(task.log).toContain('NopResource');
    expect(
      await client.get({
        apiVersion: 'nop.m.crossplane.io/v1alpha1',
        kind: 'NopResource',
        namespace: NAMESPACE,
        name,
      }),
    ).toBeUndefined();
  });
});
