import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ClusterObjectCache,
  readEntityMapping,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import {
  claim,
  composite,
  demoCluster,
  nop,
  ready,
  synced,
} from '../__fixtures__/demoCluster';
import { StatusService } from './StatusService';
import { everyObject } from './Visibility';

const failing = {
  type: 'Ready',
  status: 'False',
  reason: 'ReconcileError',
  message: 'quota exceeded',
};

/** A claim with its composite and one managed resource, named by `i`. */
function unit(i: number, namespace: string, owner: string, healthy: boolean) {
  const conditions = [synced, healthy ? ready() : failing];
  return [
    claim(`db-${i}`, namespace, `xdb-${i}`, owner, [synced, ready()]),
    composite(`xdb-${i}`, `db-${i}`, namespace, [`mr-${i}`], [synced, ready()]),
    nop(`mr-${i}`, `xdb-${i}`, conditions),
  ];
}

async function startService() {
  const definitions = demoCluster.filter(o =>
    ['CustomResourceDefinition', 'CompositeResourceDefinition'].includes(
      o.kind,
    ),
  );
  const clients = ['west', 'east'].map(
    name => new InMemoryClusterClient(name, definitions),
  );
  const caches = clients.map(
    client =>
      new ClusterObjectCache({
        client,
        logger: mockServices.logger.mock(),
        includeWorkloads: false,
      }),
  );
  caches.forEach(c => c.start());
  for (const cache of caches) {
    await waitFor(
      'the cache to sync',
      async () => cache.status().synced || undefined,
      5_000,
    );
  }
  const status = new StatusService({
    cache: {
      start() {},
      caches: () => caches,
      cache: (name: string) => caches.find(c => c.cluster === name)!,
    } as any,
    clusters: new StaticCrossplaneClusters(clients),
    mapping: readEntityMapping(new ConfigReader({})),
  });
  return { clients, caches, status };
}

describe('StatusService summary', () => {
  it('answers a caller allowed everything from the kept counts as going through every row would', async () => {
    const { clients, caches, status } = await startService();
    try {
      const objectCount = () =>
        caches.reduce((n, c) => n + c.status().objectCount, 0);
      const expectSame = async (expected: number) => {
        await waitFor(
          'the caches to hold every object',
          async () => objectCount() === expected || undefined,
          5_000,
        );
        // `() => true` is not `everyObject`: it goes through every row.
        const rowByRow = () => true;
        for (const page of [
          {},
          { limit: 2 },
          { offset: 1, limit: 3 },
          { offset: 50, limit: 5 },
        ]) {
          const kept = status.summary({}, everyObject, page);
          const walked = status.summary({}, rowByRow, page);
          expect({ ...kept, generatedAt: 0 }).toEqual({
            ...walked,
            generatedAt: 0,
          });
        }
        return status.summary({}, everyObject, {});
      };

      let expected = caches.reduce((n, c) => n + c.status().objectCount, 0);
      // Units spread over both clusters, some failing, several owners.
      for (let i = 0; i < 12; i++) {
        const client = clients[i % 2];
        for (const object of unit(
          i,
          i % 3 ? 'team-a' : 'team-b',
          i === 3 ? 'team-solo' : `team-${i % 3}`,
          i % 5 !== 0,
        )) {
          client.put(object);
          expected += 1;
        }
      }
      const first = await expectSame(expected);
      expect(first.page.total).toBe(12);
      expect(first.totals).toMatchObject({ Healthy: 9, Degraded: 3 });
      expect(first.resources[0].rolledUpHealth.status).toBe('Degraded');
      expect(first.filters.owners).toEqual([
        'group:default/team-0',
        'group:default/team-1',
        'group:default/team-2',
        'group:default/team-solo',
      ]);

      // A unit turns healthy, another fails, one goes, one owner with it.
      clients[0].put(unit(0, 'team-b', 'team-0', true)[2]);
      clients[1].put(unit(1, 'team-a', 'team-1', false)[2]);
      for (const object of unit(3, 'team-b', 'team-solo', true)) {
        const { apiVersion, kind, metadata } = object;
        clients[1].remove({
          apiVersion,
          kind,
          namespace: metadata.namespace,
          name: metadata.name,
        });
      }
      expected -= 3;
      await waitFor(
        'the failing unit to be seen',
        async () =>
          status
            .summary({}, everyObject, {})
            .resources.some(
              r => r.name === 'db-1' && r.rolledUpHealth.status !== 'Healthy',
            ) || undefined,
        5_000,
      );
      const after = await expectSame(expected);
      expect(after.page.total).toBe(11);
      expect(after.totals).toMatchObject({ Healthy: 8, Degraded: 3 });
      expect(after.filters.owners).not.toContain('group:default/team-solo');
      expect(after.byCluster.map(c => c.cluster)).toEqual(['east', 'west']);
    } finally {
      caches.forEach(c => c.stop());
    }
  });

  it('judges a claim composed by another XR by its topmost ancestor, as it is now', async () => {
    const { clients, caches, status } = await startService();
    const [client] = clients;
    try {
      const ok = [synced, ready()];
      const outer = claim('outer', 'team-a', 'xouter', 'team-x', ok);
      const xouter = composite('xouter', 'outer', 'team-a', [], ok);
      (xouter.spec as any).resourceRefs = [
        {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          name: 'inner',
          namespace: 'team-b',
        },
      ];
      const inner = claim('inner', 'team-b', 'xinner', 'team-b', ok);
      inner.metadata.labels = {};
      inner.metadata.ownerReferences = [
        {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'XPostgreSQLInstance',
          name: 'xouter',
          uid: 'xr-xouter',
          controller: true,
        },
      ];
      const xinner = composite('xinner', 'inner', 'team-b', [], ok);
      for (const object of [outer, xouter, inner, xinner]) client.put(object);
      await waitFor(
        'both claims',
        async () =>
          status.summary({}, everyObject, {}).page.total === 2 || undefined,
        5_000,
      );
      const ownedBy = (team: string) => (subject: { owner?: string }) =>
        subject.owner === `group:default/${team}`;
      const names = (visible: (s: { owner?: string }) => boolean) =>
        status
          .summary({}, visible, {})
          .resources.map(r => r.name)
          .sort();
      expect(names(ownedBy('team-x'))).toEqual(['inner', 'outer']);
      expect(status.summary({}, everyObject, {}).filters.owners).toEqual([
        'group:default/team-x',
      ]);

      // The outer claim changes hands: the inner one goes with it.
      client.put({
        ...outer,
        metadata: {
          ...outer.metadata,
          labels: { 'platformops.io/owner': 'team-y' },
        },
      });
      await waitFor(
        'the new owner',
        async () => names(ownedBy('team-y')).length === 2 || undefined,
        5_000,
      );
      expect(names(ownedBy('team-x'))).toEqual([]);
      const kept = status.summary({}, everyObject, {});
      expect(kept.filters.owners).toEqual(['group:default/team-y']);
      expect({ ...kept, generatedAt: 0 }).toEqual({
        ...status.summary({}, () => true, {}),
        generatedAt: 0,
      });
    } finally {
      caches.forEach(c => c.stop());
    }
  });

  it("builds each synced cluster's view ahead of the first summary", async () => {
    const { clients, caches, status } = await startService();
    const fullReads = caches.map(cache => jest.spyOn(cache, 'objects'));
    const stop = status.warmUp({ quietMs: 10 });
    try {
      for (let i = 0; i < 4; i++)
        for (const object of unit(i, 'team-a', 'team-a', true))
          clients[i % 2].put(object);
      await waitFor(
        'both views built ahead',
        async () =>
          fullReads.every(read => read.mock.calls.length > 0) || undefined,
        5_000,
      );
      const built = fullReads.map(read => read.mock.calls.length);
      // The first summary finds them built: no cluster is read whole again.
      await waitFor(
        'the units in the view',
        async () =>
          status.summary({}, everyObject, {}).page.total === 4 || undefined,
        5_000,
      );
      expect(fullReads.map(read => read.mock.calls.length)).toEqual(built);
    } finally {
      stop();
      caches.forEach(c => c.stop());
    }
  });
});
