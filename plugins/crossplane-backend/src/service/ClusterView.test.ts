import { mockServices } from '@backstage/backend-test-utils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import { demoCluster } from '../__fixtures__/demoCluster';
import { ClusterView } from './ClusterView';

const ordersDb = demoCluster.find(
  o => o.kind === 'PostgreSQLInstance' && o.metadata.name === 'orders-db',
)!;

/** Another claim like orders-db, as a change to the cluster. */
function newClaim(name: string): KubernetesObject {
  return {
    ...ordersDb,
    metadata: { ...ordersDb.metadata, name, uid: `claim-${name}` },
  };
}

async function setup() {
  const client = new InMemoryClusterClient('east', demoCluster);
  const cache = new ClusterObjectCache({
    client,
    logger: mockServices.logger.mock(),
  });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () => cache.status().synced || undefined,
    5_000,
  );
  let now = 1_000_000;
  const view = new ClusterView(cache, {
    maxStalenessMs: 500,
    now: () => now,
  });
  const names = () => view.trees().map(t => t.ref.name);
  return {
    client,
    view,
    names,
    stop: () => cache.stop(),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ClusterView', () => {
  it('reuses the view while nothing changes, and shows a lone change on the next request', async () => {
    const { client, view, names, advance, stop } = await setup();
    const first = view.trees();
    advance(60_000);
    expect(view.trees()).toBe(first);
    client.put(newClaim('cache-db'));
    expect(names()).toContain('cache-db');
    stop();
  });

  it('shows every change on the next read without reading the whole cache, and keeps the trees it does not touch', async () => {
    const { client, view, names, stop } = await setup();
    const before = view.trees();
    const fullReads = jest.spyOn(view.cache, 'objects');
    client.put(newClaim('a-db'));
    client.put(newClaim('b-db'));
    expect(names()).toEqual(expect.arrayContaining(['a-db', 'b-db']));
    client.remove({
      apiVersion: ordersDb.apiVersion,
      kind: ordersDb.kind,
      namespace: ordersDb.metadata.namespace,
      name: 'a-db',
    });
    expect(names()).not.toContain('a-db');
    expect(fullReads).not.toHaveBeenCalled();
    // The trees of the claims that did not change are the same objects.
    const untouched = before.filter(t => t.ref.name !== 'orders-db');
    for (const tree of untouched) expect(view.trees()).toContain(tree);
    stop();
  });

  it('rebuilds whole when an XRD changes, at most once per interval', async () => {
    const { client, view, names, advance, stop } = await setup();
    view.trees();
    const fullReads = jest.spyOn(view.cache, 'objects');
    advance(1_000);
    client.put(postgresXrd);
    expect(names()).toContain('orders-db');
    expect(fullReads).toHaveBeenCalledTimes(1);
    // Another XRD change at once: the view just built is served meanwhile.
    client.put(postgresXrd);
    advance(499);
    view.trees();
    expect(fullReads).toHaveBeenCalledTimes(1);
    advance(1);
    view.trees();
    expect(fullReads).toHaveBeenCalledTimes(2);
    stop();
  });
});
