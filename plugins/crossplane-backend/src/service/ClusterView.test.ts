import { mockServices } from '@backstage/backend-test-utils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
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

  it('under churn rebuilds at most once per interval and never hides a change longer', async () => {
    const { client, view, names, advance, stop } = await setup();
    view.trees();
    advance(1_000);
    client.put(newClaim('a-db'));
    const second = view.trees();
    expect(names()).toContain('a-db');
    // Changes keep coming: the view just built is served meanwhile.
    client.put(newClaim('b-db'));
    advance(250);
    client.put(newClaim('c-db'));
    advance(249);
    expect(view.trees()).toBe(second);
    expect(names()).not.toContain('b-db');
    // Once the view is as old as the bound, the next request rebuilds it.
    advance(1);
    expect(names()).toEqual(expect.arrayContaining(['b-db', 'c-db']));
    stop();
  });
});
