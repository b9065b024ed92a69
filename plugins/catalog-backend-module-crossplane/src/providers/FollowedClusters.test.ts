import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  ClusterObjectCache,
  CrossplaneObjectCache,
  CrossplaneObjectCacheChange,
} from '@platformops/plugin-crossplane-node';
import { FollowedClusters } from './FollowedClusters';

/** A cache of a cluster, as far as the providers' routing goes. */
const cacheOf = (cluster: string) =>
  ({ cluster } as unknown as ClusterObjectCache);

function objectCache(initial: ClusterObjectCache[]) {
  let caches = initial;
  const listeners: ((change: CrossplaneObjectCacheChange) => void)[] = [];
  const cache: CrossplaneObjectCache = {
    start() {},
    caches: () => caches,
    cache: name => caches.find(c => c.cluster === name)!,
    subscribe(listener) {
      listeners.push(listener);
      return () => {};
    },
  };
  const change = (added: ClusterObjectCache[], removed: string[]) => {
    const gone = caches.filter(c => removed.includes(c.cluster));
    caches = [...caches.filter(c => !gone.includes(c)), ...added];
    listeners.forEach(l => l({ added, removed: gone }));
  };
  return { cache, change };
}

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
});

function recordingConnection() {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      mutations.push(mutation);
    },
    async refresh() {},
  };
  return { connection, mutations };
}

/**
 * Per cluster, a provider that writes `<cluster>-claim` in full when it
 * connects, and its writing windows' runs and their signals.
 */
function setup(initial: string[], heldByCatalog: Record<string, string[]>) {
  const { cache, change } = objectCache(initial.map(cacheOf));
  const signals = new Map<string, AbortSignal>();
  const followed = new FollowedClusters({
    cache,
    ingested: name => name !== 'ignored',
    create: ({ cluster, taskRunner }) => ({
      getProviderName: () => `inner:${cluster}`,
      async connect(connection) {
        await taskRunner.run({ id: `${cluster}:writer`, fn: async () => {} });
        await connection.applyMutation({
          type: 'full',
          entities: [
            {
              entity: entity(`${cluster}-claim`),
              locationKey: `crossplane:cluster/${cluster}`,
            },
          ],
        });
      },
    }),
    taskRunner: () => ({
      async run(task) {
        signals.set(task.id, task.signal!);
      },
    }),
    catalog: {
      async refsFrom(locationKey) {
        const location = locationKey.replace('crossplane:cluster/', '');
        return (heldByCatalog[location] ?? []).map(name =>
          stringifyEntityRef(entity(name)),
        );
      },
    },
    logger: mockServices.logger.mock(),
  });
  return { followed, change, signals };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise(r => setTimeout(r, 10));
  }
};

describe('FollowedClusters', () => {
  it('gives each cluster known at startup its own provider, and one provider to those found later', async () => {
    const { followed } = setup(['east', 'ignored'], {});
    expect(
      followed.providers().map((p: EntityProvider) => p.getProviderName()),
    ).toEqual([
      'CrossplaneEntityProvider:east',
      'CrossplaneFoundClustersProvider',
    ]);
  });

  it('writes a cluster found later as its own entities only, and removes them when it leaves', async () => {
    const { followed, change, signals } = setup(['east'], {
      // Left from another replica's older view.
      west: ['west-stale'],
      north: ['north-claim'],
    });
    const [, foundLater] = followed.providers();
    const { connection, mutations } = recordingConnection();
    await foundLater.connect(connection);

    change([cacheOf('west'), cacheOf('north')], []);
    await until(() => mutations.length === 2);
    // A full write of west is a delta of west's entities: north's stay.
    expect(mutations).toContainEqual({
      type: 'delta',
      added: [
        {
          entity: entity('west-claim'),
          locationKey: 'crossplane:cluster/west',
        },
      ],
      removed: [
        {
          entityRef: 'component:default/west-stale',
          locationKey: 'crossplane:cluster/west',
        },
      ],
    });

    mutations.length = 0;
    change([], ['west']);
    await until(() => mutations.length === 1);
    expect(signals.get('west:writer')?.aborted).toBe(true);
    expect(signals.get('north:writer')?.aborted).toBe(false);
    expect(mutations).toEqual([
      {
        type: 'delta',
        added: [],
        removed: [
          {
            entityRef: 'component:default/west-claim',
            locationKey: 'crossplane:cluster/west',
          },
          {
            entityRef: 'component:default/west-stale',
            locationKey: 'crossplane:cluster/west',
          },
        ],
      },
    ]);
  });

  it('goes on with a changed cluster’s new cache, and empties a startup cluster’s provider when it leaves', async () => {
    const { followed, change, signals } = setup(['east'], {});
    const [east] = followed.providers();
    const { connection, mutations } = recordingConnection();
    await east.connect(connection);
    const firstSignal = signals.get('east:writer');

    // New URL or credentials: removed and added at once.
    change([cacheOf('east')], ['east']);
    await until(() => mutations.length === 2);
    expect(firstSignal?.aborted).toBe(true);
    expect(signals.get('east:writer')?.aborted).toBe(false);

    change([], ['east']);
    await until(() => mutations.length === 3);
    expect(signals.get('east:writer')?.aborted).toBe(true);
    expect(mutations.at(-1)).toEqual({ type: 'full', entities: [] });
  });
});
