import { mockServices } from '@backstage/backend-test-utils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { ClusterObjectCache } from './ClusterObjectCache';
import { WORKLOAD_KINDS } from './watchedKinds';
import {
  FakeClusterClient,
  flush,
  object,
} from './FakeClusterClient.test-helper';

function crd(
  kind: string,
  group: string,
  categories: string[],
  established = true,
): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      names: { kind, categories },
      versions: [{ name: 'v1alpha1', served: true, storage: true }],
    },
    status: {
      conditions: [
        { type: 'Established', status: established ? 'True' : 'False' },
      ],
    },
  };
}

describe('ClusterObjectCache', () => {
  it('watches the claim, composite and managed kinds that the CRDs define', async () => {
    const client = new FakeClusterClient();
    client.objects.set('CustomResourceDefinition', [
      crd('PostgreSQLInstance', 'database.example.org', ['claim']),
      crd('XPostgreSQLInstance', 'database.example.org', ['composite']),
      crd('NopResource', 'nop.crossplane.io', ['crossplane', 'managed']),
      crd('Certificate', 'cert-manager.io', ['cert-manager']),
      crd('Pending', 'database.example.org', ['claim'], false),
    ]);
    client.objects.set('PostgreSQLInstance', [
      object('PostgreSQLInstance', 'orders-db'),
    ]);
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
      includeWorkloads: false,
    });
    cache.start();
    await flush();

    expect([...new Set(client.listCalls)].sort()).toEqual([
      'CustomResourceDefinition',
      'NopResource',
      'PostgreSQLInstance',
      'XPostgreSQLInstance',
    ]);
    expect(cache.objects().map(o => o.metadata.name)).toEqual(['orders-db']);
    // By the group of the CRD, in whichever version it is served.
    expect(
      cache
        .objectsOfKind('database.example.org', 'PostgreSQLInstance')
        .map(o => o.metadata.name),
    ).toEqual(['orders-db']);
    expect(
      cache.objectsOfKind('nop.crossplane.io', 'PostgreSQLInstance'),
    ).toEqual([]);
    expect(cache.status()).toMatchObject({
      synced: true,
      reachable: true,
      objectCount: 1,
    });
    cache.stop();
  });

  it('keeps every object when the cluster becomes unreachable, and reports the error', async () => {
    const client = new FakeClusterClient();
    client.objects.set('CustomResourceDefinition', [
      crd('NopResource', 'nop.crossplane.io', ['managed']),
    ]);
    client.objects.set('NopResource', [
      object('NopResource', 'a'),
      object('NopResource', 'b'),
    ]);
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
      includeWorkloads: false,
    });
    const deletions: string[] = [];
    cache.subscribe(
      e => e.type === 'delete' && deletions.push(e.object.metadata.name),
    );
    cache.start();
    await flush();

    client.listError = new Error('connect ECONNREFUSED');
    client.versionError = new Error('connect ECONNREFUSED');
    client.activeWatch('NopResource').onDone(new Error('socket hang up'));
    await flush();

    expect(cache.objects()).toHaveLength(2);
    expect(deletions).toEqual([]);
    expect(cache.status()).toMatchObject({
      reachable: false,
      objectCount: 2,
      failingKinds: ['NopResource.nop.crossplane.io'],
      lastError: 'connect ECONNREFUSED',
    });
    cache.stop();
  });

  it('stops at its bound and says so', async () => {
    const client = new FakeClusterClient();
    client.objects.set('CustomResourceDefinition', [
      crd('NopResource', 'nop.crossplane.io', ['managed']),
    ]);
    client.objects.set('NopResource', [
      object('NopResource', 'a'),
      object('NopResource', 'b'),
      object('NopResource', 'c'),
    ]);
    const logger = mockServices.logger.mock();
    const cache = new ClusterObjectCache({
      client,
      logger,
      includeWorkloads: false,
      maxObjects: 2,
    });
    cache.start();
    await flush();
    expect(cache.status()).toMatchObject({ objectCount: 2, truncated: true });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('is full (2 objects)'),
    );
    cache.stop();
  });

  /** A CRD error for one kind as the API server reports it. */
  const conversionFailed = () =>
    new ClusterRequestError(
      'fake',
      'conversion webhook for example.org/v2, Kind=Broken failed: Post "https://127.0.0.1:1/convert": connect: connection refused',
      500,
    );

  function brokenKindCluster() {
    const client = new FakeClusterClient();
    client.objects.set('CustomResourceDefinition', [
      crd('NopResource', 'nop.crossplane.io', ['managed']),
      crd('Broken', 'example.org', ['managed']),
    ]);
    client.objects.set('NopResource', [object('NopResource', 'a')]);
    client.objects.set('Broken', [object('Broken', 'b')]);
    client.kindErrors.set('Broken', conversionFailed());
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
      includeWorkloads: false,
      retryDelayMs: 1000,
    });
    return { client, cache };
  }

  it('keeps the rest of the cluster current while one kind fails, and takes the kind in once repaired', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { client, cache } = brokenKindCluster();
      cache.start();
      await flush();

      expect(cache.status()).toMatchObject({
        reachable: true,
        synced: true,
        failingKinds: ['Broken.example.org'],
        lastError: expect.stringContaining('conversion webhook'),
      });
      expect(cache.kindStatus('nop.crossplane.io', 'NopResource')).toEqual({
        name: 'NopResource.nop.crossplane.io',
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        synced: true,
        failing: false,
        objectCount: 1,
      });
      expect(cache.kindStatus('example.org', 'Broken')).toMatchObject({
        synced: false,
        failing: true,
      });
      // The server answered: no probe needed.
      expect(client.versionCalls).toBe(0);

      // The rest of the cluster keeps flowing.
      client
        .activeWatch('NopResource')
        .onEvent({ type: 'ADDED', object: object('NopResource', 'new') });
      expect(cache.objects().map(o => o.metadata.name)).toEqual(['a', 'new']);

      // Still failing: retried with backoff.
      jest.advanceTimersByTime(1000);
      await flush();
      expect(client.listCalls.filter(k => k === 'Broken')).toHaveLength(2);
      expect(cache.status().failingKinds).toEqual(['Broken.example.org']);

      // Repaired: in at the next retry, without a restart.
      client.kindErrors.clear();
      jest.advanceTimersByTime(2000);
      await flush();
      expect(cache.status()).toMatchObject({
        failingKinds: [],
        lastError: undefined,
      });
      expect(cache.kindStatus('example.org', 'Broken')?.synced).toBe(true);
      expect(
        cache
          .objects()
          .map(o => o.metadata.name)
          .sort(),
      ).toEqual(['a', 'b', 'new']);
      cache.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('retries a failing kind at once when its CRD changes', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { client, cache } = brokenKindCluster();
      cache.start();
      await flush();
      client.kindErrors.clear();
      const repaired = crd('Broken', 'example.org', ['managed']);
      repaired.metadata.resourceVersion = '2';
      client
        .activeWatch('CustomResourceDefinition')
        .onEvent({ type: 'MODIFIED', object: repaired });
      await flush();
      expect(cache.status().failingKinds).toEqual([]);
      expect(cache.objectsOfKind('example.org', 'Broken')).toHaveLength(1);
      cache.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the objects of a kind whose storage version changes until it lists in the new one', async () => {
    const client = new FakeClusterClient();
    client.objects.set('CustomResourceDefinition', [
      crd('Widget', 'example.org', ['managed']),
    ]);
    client.objects.set('Widget', [object('Widget', 'w')]);
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
      includeWorkloads: false,
    });
    const deletions: string[] = [];
    cache.subscribe(
      e => e.type === 'delete' && deletions.push(e.object.metadata.name),
    );
    cache.start();
    await flush();

    const v2 = crd('Widget', 'example.org', ['managed']);
    v2.spec!.versions = [
      { name: 'v1alpha1', served: true, storage: false },
      { name: 'v2', served: true, storage: true },
    ];
    client.kindErrors.set('Widget', conversionFailed());
    client
      .activeWatch('CustomResourceDefinition')
      .onEvent({ type: 'MODIFIED', object: v2 });
    await flush();

    expect(deletions).toEqual([]);
    expect(cache.objectsOfKind('example.org', 'Widget')).toHaveLength(1);
    expect(cache.kindStatus('example.org', 'Widget')).toMatchObject({
      apiVersion: 'example.org/v2',
      synced: true,
      failing: true,
    });
    cache.stop();
  });

  it('retries every failing kind at once when the cluster answers again after an outage', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const client = new FakeClusterClient();
      const kinds = ['A', 'B', 'C', 'D', 'E', 'F'];
      client.objects.set(
        'CustomResourceDefinition',
        kinds.map(k => crd(k, 'example.org', ['managed'])),
      );
      const cache = new ClusterObjectCache({
        client,
        logger: mockServices.logger.mock(),
        includeWorkloads: false,
        retryDelayMs: 1000,
        maxRetryDelayMs: 30_000,
        probeIntervalMs: 1000,
      });
      const reachability: boolean[] = [];
      cache.subscribe(
        e => e.type === 'reachability' && reachability.push(e.reachable),
      );
      cache.start();
      await flush();
      expect(cache.status()).toMatchObject({ synced: true, failingKinds: [] });

      // The API server goes down: every watch ends, every list fails.
      const down = new Error('connect ECONNREFUSED 127.0.0.1:6443');
      client.listError = down;
      client.versionError = down;
      for (const k of ['CustomResourceDefinition', ...kinds])
        client.activeWatch(k).onDone(new Error('socket hang up'));
      await flush();
      expect(cache.status()).toMatchObject({
        reachable: false,
        lastError: down.message,
      });
      expect(reachability).toEqual([false]);

      // Down for a minute: the kinds' backoff grows to 16 s and more.
      for (let s = 0; s < 60; s++) {
        jest.advanceTimersByTime(1000);
        await flush();
      }
      expect(cache.status().failingKinds).toHaveLength(kinds.length + 1);

      // Back: within one probe interval every kind lists again.
      client.listError = undefined;
      client.versionError = undefined;
      const listsBefore = client.listCalls.length;
      jest.advanceTimersByTime(1000);
      await flush();
      expect(reachability).toEqual([false, true]);
      expect(client.listCalls.length - listsBefore).toBe(kinds.length + 1);
      expect(cache.status()).toMatchObject({
        reachable: true,
        failingKinds: [],
      });
      expect(client.maxListsInFlight).toBeLessThanOrEqual(4);

      // Right after, a kind is not served yet (the API server warms up):
      // it is retried at the first delay, again and again.
      client.kindErrors.set('A', conversionFailed());
      client.activeWatch('A').onDone(new Error('socket hang up'));
      await flush();
      for (let i = 0; i < 4; i++) {
        const before = client.listCalls.length;
        jest.advanceTimersByTime(1000);
        await flush();
        expect(client.listCalls.length).toBe(before + 1);
      }
      cache.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('lists at most four kinds at once', async () => {
    const client = new FakeClusterClient();
    const kinds = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    client.objects.set(
      'CustomResourceDefinition',
      kinds.map(k => crd(k, 'example.org', ['managed'])),
    );
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
    });
    cache.start();
    await flush();
    expect(cache.status().synced).toBe(true);
    expect(client.listCalls).toHaveLength(
      1 + WORKLOAD_KINDS.length + kinds.length,
    );
    expect(client.maxListsInFlight).toBe(4);
    cache.stop();
  });

  it('caches CRDs without their schemas', async () => {
    const client = new FakeClusterClient();
    const full = crd('Widget', 'example.org', ['managed']);
    full.spec!.scope = 'Namespaced';
    full.spec!.versions[0].schema = { openAPIV3Schema: { type: 'object' } };
    full.spec!.conversion = { strategy: 'None' };
    client.objects.set('CustomResourceDefinition', [full]);
    const cache = new ClusterObjectCache({
      client,
      logger: mockServices.logger.mock(),
      includeWorkloads: false,
    });
    cache.start();
    await flush();
    expect(
      cache.objectsOfKind('apiextensions.k8s.io', 'CustomResourceDefinition'),
    ).toEqual([
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.org' },
        spec: {
          group: 'example.org',
          names: { kind: 'Widget', categories: ['managed'] },
          scope: 'Namespaced',
          versions: [{ name: 'v1alpha1', served: true, storage: true }],
        },
        status: full.status,
      },
    ]);
    cache.stop();
  });
});
