import { mockServices } from '@backstage/backend-test-utils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from './ClusterObjectCache';
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
    client.activeWatch('NopResource').onDone(new Error('socket hang up'));
    await flush();

    expect(cache.objects()).toHaveLength(2);
    expect(deletions).toEqual([]);
    expect(cache.status()).toMatchObject({ reachable: false, objectCount: 2 });
    expect(cache.status().lastError).toContain('socket hang up');
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
});
