/*
 * The object cache on the real API server with a provider's worth of
 * managed-resource kinds installed (150 generated CRDs, v1 and `.m.`, all
 * empty): it holds a bounded number of connections to the API server however
 * many kinds it watches, the first object of an empty kind reaches it within
 * seconds, and watches the API server ends are resumed.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import {
  largeProviderCrds,
  largeProviderObject,
} from '../testUtils/largeProvider';
import { connectionsToPort } from '../testUtils/processSockets';
import { waitFor } from '../testUtils/waitFor';
import { ClusterObjectCache } from './ClusterObjectCache';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(300_000);

const PORT = 6643;
/** Unique to this test file: other suites share the instance. */
const BASE_GROUP = 'largeprovider.cachetest.platformops.io';
const NAMESPACE = 'cachetest-large-provider';
const ROLE = 'platformops-cachetest-large-provider';
const CRD_COUNT = 150;
const FIELD_MANAGER = 'platformops-cache-test';
/** kube-apiserver's SETTINGS_MAX_CONCURRENT_STREAMS unless configured. */
const STREAMS_PER_CONNECTION = 100;

const logger: LoggerService = {
  info: () => {},
  debug: () => {},
  warn: () => {},
  error: () => {},
  child: () => logger,
};

describe('the object cache with a large provider installed', () => {
  let admin: KubernetesClusterClient;
  let portal: KubernetesClusterClient;
  let cache: ClusterObjectCache;
  const crds = largeProviderCrds({ baseGroup: BASE_GROUP, count: CRD_COUNT });

  const groups = [
    ...new Set(crds.map(c => (c.spec as { group: string }).group)),
  ];

  beforeAll(async () => {
    const cp = controlPlane.controlPlaneInfo({ name: 'itest', port: PORT });
    admin = KubernetesClusterClient.fromConfig({
      ...cp.backstageCluster,
      serviceAccountToken: cp.adminToken,
    });
    await admin.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NAMESPACE },
      },
      { fieldManager: FIELD_MANAGER },
    );
    // The portal reads these kinds as it reads a provider's.
    await admin.apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: ROLE,
          labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
        },
        rules: [
          {
            apiGroups: groups,
            resources: ['*'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      } as KubernetesObject,
      { fieldManager: FIELD_MANAGER },
    );
    for (const crd of crds) {
      await admin.apply(crd, { fieldManager: FIELD_MANAGER, force: true });
    }
    await waitFor(
      'the generated CRDs to be established',
      async () => {
        const { items } = await admin.list(
          'apiextensions.k8s.io/v1',
          'CustomResourceDefinition',
          { labelSelector: `platformops.io/generated-by=${BASE_GROUP}` },
        );
        const established = items.filter(crd =>
          (
            crd.status as { conditions?: { type: string; status: string }[] }
          )?.conditions?.some(
            c => c.type === 'Established' && c.status === 'True',
          ),
        );
        return established.length === CRD_COUNT || undefined;
      },
      120_000,
    );

    // Watches the API server ends after 2 to 4 s, resumed by the watcher.
    portal = KubernetesClusterClient.fromConfig(cp.backstageCluster, {
      watchTimeoutSeconds: 2,
    });
    cache = new ClusterObjectCache({ client: portal, logger });
    cache.start();
    await waitFor(
      'the cache to sync every generated kind',
      async () => {
        const status = cache.status();
        const generated = status.kinds.filter(
          k => k.apiVersion.includes(BASE_GROUP) && k.synced && !k.failing,
        );
        return (status.synced && generated.length === CRD_COUNT) || undefined;
      },
      120_000,
    );
  });

  afterAll(async () => {
    cache?.stop();
    portal?.close();
    for (const crd of crds) {
      await admin
        .delete(
          {
            apiVersion: crd.apiVersion,
            kind: crd.kind,
            name: crd.metadata.name,
          },
          { propagationPolicy: 'Background' },
        )
        .catch(() => {});
    }
    await admin
      .delete({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        name: ROLE,
      })
      .catch(() => {});
    await admin
      .delete({ apiVersion: 'v1', kind: 'Namespace', name: NAMESPACE })
      .catch(() => {});
    admin?.close();
  });

  it('holds ceil(kinds / 100) connections to the API server, not one per kind', async () => {
    const kinds = cache.status().kinds.length;
    expect(kinds).toBeGreaterThan(CRD_COUNT);
    // Settled: no list or discovery request in flight.
    await new Promise(r => setTimeout(r, 1000));
    const connections = connectionsToPort(PORT);
    // 150 generated kinds plus Crossplane's and the workloads: 2 connections
    // (and at most one more for a request of the admin client of this test).
    expect(connections).toBeLessThanOrEqual(
      Math.ceil(kinds / STREAMS_PER_CONNECTION) + 1,
    );
    expect(connections).toBeLessThan(kinds / 20);
  });

  it.each([
    ['a cluster-scoped v1 kind', crds[CRD_COUNT - 2]],
    ['a namespaced .m. kind', crds[CRD_COUNT - 1]],
  ])(
    'has the first object of %s within seconds, also after the server ended its watches',
    async (_what, crd) => {
      const spec = crd.spec as { group: string; names: { kind: string } };
      expect(cache.objectsOfKind(spec.group, spec.names.kind)).toEqual([]);
      // Every watch has been ended by the server at least once by now.
      await new Promise(r => setTimeout(r, 4500));
      const object = largeProviderObject(crd, 'first-object', NAMESPACE);
      const written = Date.now();
      await admin.apply(object, { fieldManager: FIELD_MANAGER });
      const names = () =>
        cache
          .objectsOfKind(spec.group, spec.names.kind)
          .map(o => o.metadata.name);
      await waitFor(
        'the first object in the cache',
        async () => names().includes('first-object') || undefined,
        3000,
      );
      expect(Date.now() - written).toBeLessThan(3000);
      expect(names()).toEqual(['first-object']);
      expect(cache.status().failingKinds).toEqual([]);
      await admin.delete(
        {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
        },
        // Gone at once, not after the garbage collector's foreground pass.
        { propagationPolicy: 'Background' },
      );
      await waitFor(
        'the deletion in the cache',
        async () => names().length === 0 || undefined,
        3000,
      );
    },
  );
});
