/*
 * The example templates on the real local control plane: the real scaffolder
 * and catalog backends, the templates ingested from files, driven through the
 * scaffolder's HTTP API.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
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
const EXAMPLES = path.resolve(__dirname, '../../../../examples/templates');
const NAMESPACE = 'team-alpha';
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
    parameters: Array<{ properties: Record<string, any> }>;
    steps: Array<{ id: string; input: Record<string, unknown> }>;
    [key: string]: unknown;
  };
};

type TaskEvent = {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
};

/** An example template, pointed at the test cluster instead of `local`. */
function exampleTemplate(file: string): Template {
  const template = yaml.parse(
    fs.readFileSync(path.join(EXAMPLES, file), 'utf8'),
  ) as Template;
  for (const step of template.spec.steps) {
    if (step.input.cluster === 'local') step.input.cluster = CLUSTER.name;
  }
  return template;
}

/**
 * The object bucket template without the form's constraint on the storage
 * class, so that a wrong value reaches the steps, as it would from a form
 * that offers free text.
 */
function looseBucketTemplate(): Template {
  const template = exampleTemplate('object-bucket.yaml');
  template.metadata.name = 'itest-object-bucket-free-text';
  for (const page of template.spec.parameters) {
    if (page.properties.storageClass) {
      delete page.properties.storageClass.enum;
      delete page.properties.storageClass.default;
    }
  }
  return template;
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
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let dir: string;
  const created: Array<{ apiVersion: string; kind: string; name: string }> = [];

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

  const getClaim = (type: { apiVersion: string; kind: string }, name: string) =>
    client.get({ ...type, namespace: NAMESPACE, name });

  beforeAll(async () => {
    cp = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    });
    client = KubernetesClusterClient.fromConfig(cp.backstageCluster);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-templates-'));
    const templates = [
      exampleTemplate('object-bucket.yaml'),
      exampleTemplate('postgresql.yaml'),
      exampleTemplate('object-bucket-gitops.yaml'),
      looseBucketTemplate(),
    ];
    const locations = templates.map(template => {
      const file = path.join(dir, `${template.metadata.name}.yaml`);
      fs.writeFileSync(file, yaml.stringify(template));
      return { type: 'file', target: file, rules: [{ allow: ['Template'] }] };
    });

    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCrossplane,
        catalogPlugin,
        catalogModuleTemplateKind,
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory: dir },
            catalog: {
              processingInterval: { seconds: 1 },
              locations,
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

    for (const template of templates) {
      await waitFor(
        `template ${template.metadata.name} in the catalog`,
        async () => {
          const res = await request(
            'GET',
            `/api/catalog/entities/by-name/template/default/${template.metadata.name}`,
          );
          return res.status === 200 ? true : undefined;
        },
      );
    }
  });

  afterAll(async () => {
    for (const object of created) {
      await client
        ?.delete({ ...object, namespace: NAMESPACE })
        .catch(() => undefined);
    }
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
      `Dry-run applied ObjectBucket ${NAMESPACE}/${name} in cluster itest`,
    );
    expect(log).toContain('Dry run: would wait for Ready, Synced');
    expect(body.output.links).toEqual([
      expect.objectContaining({
        entityRef: expect.stringContaining(name),
      }),
    ]);
    expect(body.output.text[0].content).toContain(`name: ${name}`);

    expect(await getClaim(BUCKET, name)).toBeUndefined();
  });

  it('fails a run with a wrong value, naming the field', async () => {
    const name = `itest-wrong-${suffix}`;
    created.push({ ...BUCKET, name });
    const { task, events, log } = await runTemplate(
      'itest-object-bucket-free-text',
      { ...bucketValues, name, storageClass: 'GLACIER' },
    );
    expect(task.status).toBe('failed');
    expect(log).toContain('spec.parameters.storageClass: must be one of');
    const failedSteps = events
      .filter(e => e.body.status === 'failed')
      .map(e => e.body.stepId);
    expect(failedSteps).toContain('render');
    expect(await getClaim(BUCKET, name)).toBeUndefined();
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
});
