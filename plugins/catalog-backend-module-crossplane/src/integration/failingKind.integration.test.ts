/*
 * One kind whose list fails on the real local control plane (itest): a
 * managed-resource kind whose storage version is served through a
 * conversion webhook that nothing listens on. The rest of the cluster keeps
 * flowing into the catalog, of a backend that was running when the kind
 * broke and of one started during the break, and the kind flows again once
 * repaired, without a restart. Its own API group, CRD and namespace; all
 * removed afterwards.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  objectEntityName,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const EAST = { name: 'itest', port: 6643 };
const FIELD_MANAGER = 'itest-failing-kind';
const NAMESPACE = 'itest-failing-kind';
const GROUP = 'failingkind.itest.platformops.io';
const CRD_NAME = `widgets.${GROUP}`;
const READ_ROLE = 'itest-failing-kind-read';
const CLAIM = 'failing-kind-bucket';
const CLAIM_REF = `component:default/${objectEntityName({
  cluster: 'itest',
  group: 'storage.platformops.io',
  kind: 'ObjectBucket',
  namespace: NAMESPACE,
  name: CLAIM,
})}`;
const FAILING_KINDS = 'platformops.io/failing-kinds';

/**
 * Widgets: cluster-scoped managed resources, in v1alpha1 (stored) and
 * v1beta1. Broken: v1beta1 becomes the storage version, so the object cache
 * reads widgets in v1beta1, and conversion goes through a webhook at a
 * closed port; the widgets stored in v1alpha1 cannot be listed any more.
 */
function widgetCrd(broken: boolean): KubernetesObject {
  // Declared fields only: the client's apply of built-in kinds drops
  // x-kubernetes-preserve-unknown-fields.
  const object = (properties: object) => ({ type: 'object', properties });
  const schema = {
    openAPIV3Schema: object({
      spec: object({ forProvider: object({ size: { type: 'string' } }) }),
    }),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME },
    spec: {
      group: GROUP,
      scope: 'Cluster',
      names: {
        kind: 'Widget',
        listKind: 'WidgetList',
        plural: 'widgets',
        singular: 'widget',
        categories: ['managed'],
      },
      versions: [
        { name: 'v1alpha1', served: true, storage: !broken, schema },
        { name: 'v1beta1', served: true, storage: broken, schema },
      ],
      conversion: broken
        ? {
            strategy: 'Webhook',
            webhook: {
              conversionReviewVersions: ['v1'],
              clientConfig: { url: 'https://127.0.0.1:1/convert' },
            },
          }
        : { strategy: 'None' },
    },
  };
}

const widget = (name: string): KubernetesObject => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'Widget',
  metadata: { name },
  spec: { forProvider: { size: 'small' } },
});

const claim: KubernetesObject = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
  metadata: {
    name: CLAIM,
    namespace: NAMESPACE,
    labels: { 'platformops.io/owner': 'team-alpha' },
  },
  spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
};

/** The portal may read widgets: what fails is the conversion, not RBAC. */
const readRole: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: {
    name: READ_ROLE,
    labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
  },
  rules: [
    {
      apiGroups: [GROUP],
      resources: ['widgets'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
};

type Backend = Awaited<ReturnType<typeof startTestBackend>>;

/** Figures printed at the end. */
const measured: string[] = [];

async function startBackend(east: { backstageCluster: object }) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleCrossplane,
      // The real scheduler: its global lock gives the module its writing windows.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: 1 },
            providers: { crossplane: { debounceMs: 200 } },
          },
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [east.backstageCluster] },
            ],
          },
        },
      }),
    ],
  });
}

async function catalogGet(backend: Backend, path: string) {
  const res = await fetch(
    `http://localhost:${backend.server.port()}/api/catalog${path}`,
    { headers: { Authorization: mockCredentials.user.header() } },
  );
  return res.ok ? res.json() : undefined;
}

const entity = (backend: Backend, ref: string): Promise<Entity | undefined> => {
  const [kind, rest] = ref.split(':');
  return catalogGet(backend, `/entities/by-name/${kind}/${rest}`);
};

const widgetEntities = async (backend: Backend): Promise<string[]> =>
  (
    ((await catalogGet(
      backend,
      `/entities?filter=${encodeURIComponent(
        `metadata.annotations.platformops.io/kind=Widget,metadata.annotations.platformops.io/cluster=itest`,
      )}`,
    )) ?? []) as Entity[]
  )
    .map(e => e.metadata.title ?? '')
    .sort();

const failingKinds = async (backend: Backend) =>
  (await entity(backend, 'resource:default/cluster-itest'))?.metadata
    .annotations?.[FAILING_KINDS];

/** Polls every 100 ms; returns the seconds it took. */
async function secondsUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('A kind whose list fails, on the local control plane', () => {
  let admin: KubernetesClusterClient;
  let portal: KubernetesClusterClient;
  let east: {
    backstageCluster: Parameters<typeof KubernetesClusterClient.fromConfig>[0];
    adminToken: string;
  };
  let running: Backend | undefined;
  let startedDuringBreak: Backend | undefined;

  const removeEverything = async () => {
    await admin
      .delete({
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        namespace: NAMESPACE,
        name: CLAIM,
      })
      .catch(() => undefined);
    // Repaired first: deleting the CRD deletes its widgets, which needs
    // their conversion.
    const crd = await admin.get({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: CRD_NAME,
    });
    if (crd) {
      await admin
        .apply(widgetCrd(false), { fieldManager: FIELD_MANAGER, force: true })
        .catch(() => undefined);
    }
    for (const locator of [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: CRD_NAME,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        name: READ_ROLE,
      },
      { apiVersion: 'v1', kind: 'Namespace', name: NAMESPACE },
    ]) {
      await admin
        .delete(locator, { propagationPolicy: 'Background' })
        .catch(() => undefined);
    }
  };

  /** Lists widgets as the object cache does: in the storage version. */
  const listWidgets = async (version: string) => {
    try {
      await portal.list(`${GROUP}/${version}`, 'Widget');
      return 'listed';
    } catch (error) {
      return (error as Error).message;
    }
  };

  beforeAll(async () => {
    east = controlPlane.ensureControlPlane({
      ...EAST,
      seed: true,
      waitReady: true,
    });
    portal = KubernetesClusterClient.fromConfig({
      ...east.backstageCluster,
      skipTLSVerify: false,
    });
    admin = KubernetesClusterClient.fromConfig({
      ...east.backstageCluster,
      serviceAccountToken: east.adminToken,
      skipTLSVerify: false,
    });
    // Left over from an interrupted run.
    await removeEverything();
    await waitFor('an earlier run to be cleaned up', async () =>
      (await admin.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: CRD_NAME,
      })) ||
      (await admin.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: NAMESPACE,
      }))
        ? undefined
        : true,
    );

    const apply = (object: KubernetesObject) =>
      admin.apply(object, { fieldManager: FIELD_MANAGER, force: true });
    await apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    });
    await apply(readRole);
    await apply(widgetCrd(false));
    await waitFor('the widget CRD to be established', async () => {
      const crd = await admin.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: CRD_NAME,
      });
      return (
        crd?.status?.conditions as { type: string; status: string }[]
      )?.some(c => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });
    await waitFor('the widget to be created', async () =>
      apply(widget('widget-one')).then(
        () => true,
        () => undefined,
      ),
    );
    await waitFor('the portal to read widgets', async () =>
      (await listWidgets('v1alpha1')) === 'listed' ? true : undefined,
    );

    running = await startBackend(east);
  });

  afterAll(async () => {
    await running?.stop();
    await startedDuringBreak?.stop();
    if (admin) await removeEverything();
    // eslint-disable-next-line no-console
    console.log(`Failing kind on itest:\n  ${measured.join('\n  ')}`);
  });

  it('keeps ingesting the rest of the cluster while the kind fails', async () => {
    const backend = running!;
    await waitFor('the widget in the catalog', async () =>
      (await widgetEntities(backend)).includes('widget-one') ? true : undefined,
    );

    await admin.apply(widgetCrd(true), {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    // What the API server does with it: listing widgets fails.
    await waitFor('listing widgets to fail', async () =>
      (await listWidgets('v1beta1')).includes('conversion webhook')
        ? true
        : undefined,
    );
    await waitFor('the failing kind on the cluster entity', async () =>
      (await failingKinds(backend)) === `Widget.${GROUP}` ? true : undefined,
    );

    await admin.apply(claim, { fieldManager: FIELD_MANAGER, force: true });
    const created = await secondsUntil(
      'the new claim in the catalog',
      async () => Boolean(await entity(backend, CLAIM_REF)),
    );
    measured.push(`new claim in the catalog, one kind failing: ${created} s`);
    expect(created).toBeLessThan(30);

    // The failing kind's entities stay as last listed.
    expect(await widgetEntities(backend)).toEqual(['widget-one']);
    expect(await listWidgets('v1beta1')).toContain('conversion webhook');
  });

  it('ingests the rest of the cluster in a backend started during the break', async () => {
    const started = Date.now();
    startedDuringBreak = await startBackend(east);
    const backend = startedDuringBreak;
    await waitFor('the new claim in the second catalog', async () =>
      (await entity(backend, CLAIM_REF)) ? true : undefined,
    );
    measured.push(
      `backend started during the break, new claim in its catalog after ${
        (Date.now() - started) / 1000
      } s`,
    );
    // Claims come first; the rest of the cluster follows.
    const itestEntities: Entity[] = await waitFor(
      'the rest of itest in the second catalog',
      async () => {
        const entities: Entity[] = await catalogGet(
          backend,
          `/entities?filter=${encodeURIComponent(
            'metadata.annotations.platformops.io/cluster=itest',
          )}`,
        );
        return entities.length > 20 ? entities : undefined;
      },
    );
    measured.push(`its entities of itest: ${itestEntities.length}`);
    expect(
      await entity(
        backend,
        `component:default/${objectEntityName({
          cluster: 'itest',
          group: 'database.platformops.io',
          kind: 'PostgreSQLInstance',
          namespace: 'team-alpha',
          name: 'payments-db',
        })}`,
      ),
    ).toBeDefined();
    // Never listed here: absent until it lists.
    expect(await widgetEntities(backend)).toEqual([]);
    await waitFor('the failing kind on its cluster entity', async () =>
      (await failingKinds(backend)) === `Widget.${GROUP}` ? true : undefined,
    );
  });

  it('takes the kind in again once repaired, without a restart', async () => {
    await admin.apply(widgetCrd(false), {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    // Back to v1alpha1 storage without a webhook: widgets list again.
    const repaired = await secondsUntil(
      'the widget in the catalog of the backend started during the break',
      async () =>
        (await widgetEntities(startedDuringBreak!)).includes('widget-one'),
    );
    measured.push(`repaired kind in the catalog: ${repaired} s`);
    // Its CRD changed: retried at once, not after its backoff.
    expect(repaired).toBeLessThan(30);
    for (const backend of [running!, startedDuringBreak!]) {
      await waitFor('no failing kinds on the cluster entity', async () =>
        (await failingKinds(backend)) === undefined ? true : undefined,
      );
    }

    await admin.delete({
      apiVersion: claim.apiVersion,
      kind: claim.kind,
      namespace: NAMESPACE,
      name: CLAIM,
    });
    const deleted = await secondsUntil(
      'the deleted claim to leave the catalog',
      async () => !(await entity(running!, CLAIM_REF)),
    );
    measured.push(`deleted claim out of the catalog: ${deleted} s`);
  });
});
