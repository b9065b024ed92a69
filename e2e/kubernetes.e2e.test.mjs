// Backstage's Kubernetes tab on the running portal (scripts/start.sh): its
// backend (POST /api/kubernetes/services/<entity>, what the tab asks) and
// the annotations that offer the tab (the Kubernetes plugin shows it on
// entities with backstage.io/kubernetes-id or -label-selector). A workload
// shows its pods, of its own cluster only; the demo's claims and XRs,
// which compose managed resources only, get no tab (it was always empty);
// a v2 XR that composes a Deployment shows the Deployment and its pods.
// In Chromium: the claim's page has no Kubernetes tab, the workload's has
// one, with its pods and no warning. BACKEND_URL: the portal's backend.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CLUSTER,
  CLUSTER_V2,
  eventually,
  kubeRequest,
  launchBrowser,
  open,
  shot,
} from './lib/portal.mjs';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const SELECTOR = 'backstage.io/kubernetes-label-selector';
const TAB_ANNOTATIONS = ['backstage.io/kubernetes-id', SELECTOR];

/** This file's objects on the v2 cluster: an XRD, its Composition, one XR. */
const GROUP = 'kubetab.e2e.platformops.io';
const XRD = `webapps.${GROUP}`;
const COMPOSITION = `webapps.deployment.${GROUP}`;
const XR = 'kubetab-e2e';
const NAMESPACE = 'team-alpha';
/** Lets the portal's service account watch the XRD's kind. */
const READ_ROLE = 'platformops-portal-kubetab-e2e';

let token;
let browser;
let page;

async function backend(method, path, body) {
  const res = await fetch(`${BACKEND}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(
    res.status,
    200,
    `${method} ${path}: ${await res.clone().text()}`,
  );
  return res.json();
}

/** The entity of an object by its cluster, kind and name. */
async function entityOf(cluster, kind, name) {
  const filter = [
    `metadata.annotations.platformops.io/cluster=${cluster}`,
    `metadata.annotations.platformops.io/kind=${kind}`,
    `metadata.annotations.platformops.io/name=${name}`,
  ].join(',');
  const [entity] = await backend(
    'GET',
    `/api/catalog/entities?filter=${encodeURIComponent(filter)}`,
  );
  return entity;
}

/** What the entity's Kubernetes tab shows: per cluster, names by type. */
async function kubernetesTab(entity) {
  const { items } = await backend(
    'POST',
    `/api/kubernetes/services/${encodeURIComponent(entity.metadata.name)}`,
    { entity },
  );
  return items.map(item => ({
    cluster: item.cluster.name,
    objects: Object.fromEntries(
      item.resources
        .filter(r => r.resources.length > 0)
        .map(r => [
          r.type,
          r.resources.map(o =>
            r.type === 'pods'
              ? `${o.metadata.name} ${o.status?.phase}`
              : o.metadata.name,
          ),
        ]),
    ),
  }));
}

const offersTab = entity =>
  TAB_ANNOTATIONS.some(key => entity.metadata.annotations?.[key]);

const admin = (method, path, body) =>
  kubeRequest(CLUSTER_V2, method, path, body);

async function deleteOwnObjects() {
  await admin(
    'DELETE',
    `/apis/${GROUP}/v1alpha1/namespaces/${NAMESPACE}/webapps/${XR}`,
  ).catch(() => undefined);
  await eventually(
    async () =>
      (
        await admin(
          'GET',
          `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${XR}-web`,
        )
      )?.status !== 200,
    120_000,
    'the composed Deployment gone',
  ).catch(() => undefined);
  for (const path of [
    `/apis/apiextensions.crossplane.io/v1/compositions/${COMPOSITION}`,
    `/apis/apiextensions.crossplane.io/v2/compositeresourcedefinitions/${XRD}`,
    `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${READ_ROLE}`,
    `/apis/rbac.authorization.k8s.io/v1/clusterroles/${READ_ROLE}`,
  ]) {
    await admin('DELETE', path).catch(() => undefined);
  }
}

before(async () => {
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
    method: 'POST',
  });
  token = (await res.json()).backstageIdentity.token;
  await deleteOwnObjects();
  ({ browser, page } = await launchBrowser());
});

after(async () => {
  await browser?.close();
  await deleteOwnObjects();
});

/** Whether the entity page offers the Kubernetes tab (in its "Deployment" group). */
async function offersKubernetesTab(entityName) {
  await open(page, `/catalog/default/component/${entityName}`);
  await page
    .getByText('Deployment', { exact: true })
    .first()
    .click({ timeout: 60_000 });
  // The Crossplane tabs are in the group on every ingested entity.
  await page.getByText('Resources', { exact: true }).first().waitFor();
  const offered =
    (await page.getByText('Kubernetes', { exact: true }).count()) > 0;
  await page.keyboard.press('Escape');
  return offered;
}

test("a workload's Kubernetes tab shows its Deployment and running pods, of its own cluster only", async () => {
  const api = await eventually(
    () => entityOf(CLUSTER, 'Deployment', 'payments-api'),
    120_000,
    'the payments-api workload in the catalog',
  );
  assert.equal(
    api.metadata.annotations['backstage.io/kubernetes-cluster'],
    CLUSTER,
  );
  const tab = await eventually(
    async () => {
      const shown = await kubernetesTab(api);
      return shown[0]?.objects.pods?.length > 0 ? shown : undefined;
    },
    120_000,
    'the payments-api pods on its tab',
  );
  // The v2 cluster runs a payments-api of its own: not on this tab.
  assert.deepEqual(
    tab.map(c => c.cluster),
    [CLUSTER],
  );
  assert.deepEqual(tab[0].objects.deployments, ['payments-api']);
  for (const pod of tab[0].objects.pods)
    assert.match(pod, /^payments-api-[0-9a-f]+-\w+ Running$/);
});

test("the payments-api service's Kubernetes tab (examples/services.yaml: its kubernetes-id) shows its Deployment, canary and running pods", async () => {
  const [service] = await backend(
    'GET',
    `/api/catalog/entities?filter=${encodeURIComponent(
      'kind=component,metadata.name=payments-api',
    )}`,
  );
  assert.ok(service, 'the payments-api service in the catalog');
  const tab = await eventually(
    async () => {
      const shown = await kubernetesTab(service);
      return shown.some(c => c.cluster === CLUSTER && c.objects.pods)
        ? shown
        : undefined;
    },
    120_000,
    'the payments-api pods on its tab',
  );
  // Every cluster that runs the demo's workloads (the entity names none).
  for (const { objects } of tab) {
    assert.deepEqual(objects.deployments.sort(), [
      'payments-api',
      'payments-api-canary',
    ]);
    assert.ok(
      objects.pods.some(pod =>
        /^payments-api-[0-9a-f]+-\w+ Running$/.test(pod),
      ),
    );
  }
});

test('the demo claim and XR, which compose managed resources only, offer no Kubernetes tab', async () => {
  const claim = await eventually(
    () => entityOf(CLUSTER, 'PostgreSQLInstance', 'payments-db'),
    120_000,
    'the v1 payments-db claim',
  );
  const xr = await eventually(
    () => entityOf(CLUSTER_V2, 'AppDatabase', 'payments-db'),
    120_000,
    'the v2 payments-db XR',
  );
  for (const entity of [claim, xr]) {
    assert.equal(offersTab(entity), false, entity.metadata.name);
  }
});

test('a v2 XR that composes a Deployment shows it and its pods on its Kubernetes tab', async () => {
  const created = async (path, body) => {
    const res = await admin('POST', path, body);
    assert.ok(
      [201, 409].includes(res?.status),
      `POST ${path}: ${JSON.stringify(res?.body)}`,
    );
  };
  await created('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: READ_ROLE },
    rules: [
      {
        apiGroups: [GROUP],
        resources: ['webapps'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  });
  await created('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: READ_ROLE },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: READ_ROLE,
    },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: 'platformops-portal',
        namespace: 'platformops',
      },
    ],
  });
  await created(
    '/apis/apiextensions.crossplane.io/v2/compositeresourcedefinitions',
    {
      apiVersion: 'apiextensions.crossplane.io/v2',
      kind: 'CompositeResourceDefinition',
      metadata: { name: XRD },
      spec: {
        group: GROUP,
        names: { kind: 'WebApp', plural: 'webapps' },
        scope: 'Namespaced',
        defaultCompositionRef: { name: COMPOSITION },
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            referenceable: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: { replicas: { type: 'integer', default: 2 } },
                  },
                },
              },
            },
          },
        ],
      },
    },
  );
  // Crossplane labels the Deployment with crossplane.io/composite; the pod
  // template carries it too, so the tab finds the pods.
  await created('/apis/apiextensions.crossplane.io/v1/compositions', {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name: COMPOSITION },
    spec: {
      compositeTypeRef: { apiVersion: `${GROUP}/v1alpha1`, kind: 'WebApp' },
      mode: 'Pipeline',
      pipeline: [
        {
          step: 'render',
          functionRef: { name: 'function-template' },
          input: {
            apiVersion: 'template.fn.platformops.dev/v1alpha1',
            kind: 'Input',
            resources: [
              {
                name: 'web',
                template: [
                  'apiVersion: apps/v1',
                  'kind: Deployment',
                  'metadata:',
                  '  name: {{ .xr.metadata.name }}-web',
                  'spec:',
                  '  replicas: {{ .xr.spec.replicas }}',
                  '  selector:',
                  '    matchLabels:',
                  '      app: {{ .xr.metadata.name }}-web',
                  '  template:',
                  '    metadata:',
                  '      labels:',
                  '        app: {{ .xr.metadata.name }}-web',
                  '        crossplane.io/composite: {{ .xr.metadata.name }}',
                  '    spec:',
                  '      containers:',
                  '        - name: web',
                  '          image: registry.example.com/kubetab/web:1.0.0',
                ].join('\n'),
              },
            ],
          },
        },
        { step: 'auto-ready', functionRef: { name: 'function-auto-ready' } },
      ],
    },
  });
  await eventually(
    async () => {
      const res = await admin(
        'POST',
        `/apis/${GROUP}/v1alpha1/namespaces/${NAMESPACE}/webapps`,
        {
          apiVersion: `${GROUP}/v1alpha1`,
          kind: 'WebApp',
          metadata: { name: XR, namespace: NAMESPACE },
          spec: { replicas: 2 },
        },
      );
      return [201, 409].includes(res?.status);
    },
    120_000,
    'the XR created once its XRD is established',
  );

  const entity = await eventually(
    async () => {
      const found = await entityOf(CLUSTER_V2, 'WebApp', XR);
      return found && offersTab(found) ? found : undefined;
    },
    240_000,
    'the XR in the catalog with its Kubernetes tab',
  );
  assert.equal(
    entity.metadata.annotations[SELECTOR],
    `crossplane.io/composite=${XR}`,
  );
  assert.equal(
    entity.metadata.annotations['backstage.io/kubernetes-namespace'],
    NAMESPACE,
  );
  const tab = await eventually(
    async () => {
      const shown = await kubernetesTab(entity);
      const pods = shown[0]?.objects.pods ?? [];
      return pods.length === 2 && pods.every(p => p.endsWith(' Running'))
        ? shown
        : undefined;
    },
    180_000,
    'its two pods running on its tab',
  );
  assert.deepEqual(
    tab.map(c => c.cluster),
    [CLUSTER_V2],
  );
  assert.deepEqual(tab[0].objects.deployments, [`${XR}-web`]);
});

test('in Chromium: the demo claim has no Kubernetes tab; the workload has one with its cluster, its pods and no warning', async () => {
  const claim = await entityOf(CLUSTER, 'PostgreSQLInstance', 'payments-db');
  const api = await entityOf(CLUSTER, 'Deployment', 'payments-api');
  assert.equal(await offersKubernetesTab(claim.metadata.name), false);
  assert.equal(await offersKubernetesTab(api.metadata.name), true);

  await open(
    page,
    `/catalog/default/component/${api.metadata.name}/kubernetes`,
  );
  await page.getByText('Your Clusters').waitFor({ timeout: 60_000 });
  await page.getByText(CLUSTER, { exact: true }).first().waitFor();
  await page
    .getByText(/^\d+ pods$/)
    .first()
    .waitFor({ timeout: 60_000 });
  await shot(page, 'kubernetes-tab');
  // No metrics-server on the local control planes: none is asked for.
  assert.equal(
    await page
      .getByText('There was a problem retrieving Kubernetes objects')
      .count(),
    0,
  );
});
