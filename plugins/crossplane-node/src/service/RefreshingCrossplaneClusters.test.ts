import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { InMemoryClusterClient } from '../testUtils/InMemoryClusterClient';
import { ClusterConfig } from '../config/readClusterConfigs';
import { CrossplaneClustersChange } from './CrossplaneClusters';
import { RefreshingCrossplaneClusters } from './RefreshingCrossplaneClusters';

/** A supplier whose answer the test sets. */
class SettableSupplier implements KubernetesClustersSupplier {
  answer: ClusterDetails[] | Error = [];
  calls: unknown[] = [];
  async getClusters(options: unknown) {
    this.calls.push(options);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

function cluster(
  name: string,
  url = `https://${name}.example.com`,
  token = 't',
): ClusterDetails {
  return {
    name,
    url,
    authMetadata: {
      'kubernetes.io/auth-provider': 'serviceAccount',
      serviceAccountToken: token,
    },
  };
}

function setup() {
  const first = new SettableSupplier();
  const second = new SettableSupplier();
  const built: ClusterConfig[] = [];
  const logger = mockServices.logger.mock();
  const clusters = new RefreshingCrossplaneClusters({
    suppliers: [
      { source: 'first', supplier: first },
      { source: 'second', supplier: second },
    ],
    logger,
    createClient: config => {
      built.push(config);
      return new InMemoryClusterClient(config.name, []);
    },
  });
  const changes: { added: string[]; removed: string[] }[] = [];
  clusters.subscribe((change: CrossplaneClustersChange) =>
    changes.push({
      added: change.added.map(c => c.name),
      removed: change.removed.map(c => c.name),
    }),
  );
  return { first, second, clusters, built, changes, logger };
}

describe('RefreshingCrossplaneClusters', () => {
  it('keeps the client of an unchanged cluster and tells subscribers of added and removed ones', async () => {
    const { first, clusters, built, changes } = setup();
    first.answer = [cluster('east'), cluster('west')];
    await clusters.refresh();
    const east = clusters.get('east');

    first.answer = [cluster('east'), cluster('north')];
    await clusters.refresh();
    expect(clusters.get('east')).toBe(east);
    expect(clusters.list().map(c => c.name)).toEqual(['east', 'north']);
    expect(built.map(c => c.name)).toEqual(['east', 'west', 'north']);
    expect(changes).toEqual([
      { added: ['east', 'west'], removed: [] },
      { added: ['north'], removed: ['west'] },
    ]);
    expect(() => clusters.get('west')).toThrow(
      'cluster: no cluster named "west" (known clusters: east, north)',
    );

    await clusters.refresh();
    expect(changes).toHaveLength(2);
  });

  it('builds a new client when the URL or the credentials change', async () => {
    const { first, clusters, changes } = setup();
    first.answer = [cluster('east')];
    await clusters.refresh();
    const old = clusters.get('east');

    first.answer = [cluster('east', 'https://east.example.com', 'rotated')];
    await clusters.refresh();
    expect(clusters.get('east')).not.toBe(old);
    first.answer = [cluster('east', 'https://moved.example.com', 'rotated')];
    await clusters.refresh();
    expect(clusters.describe('east')).toEqual(
      expect.objectContaining({
        url: 'https://moved.example.com',
        source: 'first',
      }),
    );
    expect(changes.slice(1)).toEqual([
      { added: ['east'], removed: ['east'] },
      { added: ['east'], removed: ['east'] },
    ]);
  });

  it('keeps the clusters of a supplier that fails, until it answers without them', async () => {
    const { first, clusters, changes, logger } = setup();
    first.answer = [cluster('east')];
    await clusters.refresh();
    first.answer = new Error('catalog unavailable');
    await clusters.refresh();
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['east']);
    // Once when it starts failing.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster locator first did not answer, its clusters are kept as last listed: Error: catalog unavailable',
    );
    first.answer = [];
    await clusters.refresh();
    expect(clusters.list()).toEqual([]);
    expect(changes.at(-1)).toEqual({ added: [], removed: ['east'] });
  });

  it('keeps the first cluster of a name and leaves out what it cannot authenticate to', async () => {
    const { first, second, clusters, logger } = setup();
    first.answer = [cluster('east', 'https://first.example.com')];
    second.answer = [
      cluster('east', 'https://second.example.com'),
      {
        name: 'eks',
        url: 'https://eks.example.com',
        authMetadata: {},
      },
      {
        name: 'proxy',
        url: 'http://127.0.0.1:8001',
        authMetadata: {
          'kubernetes.io/auth-provider': 'localKubectlProxy',
          serviceAccountToken: 'never-sent',
        },
      },
    ];
    await clusters.refresh();
    expect(clusters.list().map(c => c.name)).toEqual(['east', 'proxy']);
    expect(clusters.describe('east').url).toBe('https://first.example.com');
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster "east" of second is left out: a cluster of that name is already known',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster "eks" of second is left out: InputError: authMetadata.kubernetes.io/auth-provider: required, the cluster\'s authProvider',
    );
  });

  it('sends no token to a cluster that authenticates by kubectl proxy', async () => {
    const { second, clusters, built } = setup();
    second.answer = [
      {
        name: 'proxy',
        url: 'http://127.0.0.1:8001',
        authMetadata: {
          'kubernetes.io/auth-provider': 'localKubectlProxy',
          serviceAccountToken: 'never-sent',
        },
      },
    ];
    await clusters.refresh();
    expect(built[0].serviceAccountToken).toBeUndefined();
  });

  it('asks the suppliers with the credentials of the plugin that lent its catalog client', async () => {
    const { first, clusters } = setup();
    await clusters.refresh();
    expect(first.calls[0]).toEqual({
      credentials: expect.objectContaining({ principal: { type: 'none' } }),
    });
    const own = mockCredentials.service('plugin:crossplane');
    const lend = (credentials: typeof own) => ({
      catalog: { getEntities: async () => ({ items: [] }) },
      auth: { getOwnServiceCredentials: async () => credentials },
    });
    clusters.readCatalogWith(lend(own));
    // The first plugin's is kept.
    clusters.readCatalogWith(lend(mockCredentials.service('plugin:other')));
    await clusters.refresh();
    expect(first.calls[1]).toEqual({ credentials: own });
  });
});
