import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import type {
  ClusterCacheEvent,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { xrd } from '../__fixtures__/objects';
import { readProviderConfig } from './config';
import { CrossplaneTemplateProvider } from './CrossplaneTemplateProvider';
import { windowRunner } from '../__testUtils__/windowRunner';

/** The part of a cluster's cache the provider reads, set by the test. */
class StubCache {
  synced = true;
  reachable = true;
  /** The XRD kind's last list failed; the cluster answers. */
  xrdsFailing = false;
  xrds: KubernetesObject[] = [];
  listeners: ((event: ClusterCacheEvent) => void)[] = [];
  constructor(readonly cluster: string) {}
  status() {
    return { reachable: this.reachable };
  }
  kindStatus(group: string, kind: string) {
    return group === 'apiextensions.crossplane.io' &&
      kind === 'CompositeResourceDefinition'
      ? { synced: this.synced, failing: this.xrdsFailing }
      : undefined;
  }
  objectsOfKind(group: string, kind: string) {
    return group === 'apiextensions.crossplane.io' &&
      kind === 'CompositeResourceDefinition'
      ? this.xrds
      : [];
  }
  subscribe(listener: (event: ClusterCacheEvent) => void) {
    this.listeners.push(listener);
    return () => undefined;
  }
  start() {}
}

/** A second XRD, for a storage bucket. */
const bucketXrd: KubernetesObject = JSON.parse(
  JSON.stringify(xrd)
    .replace(/xpostgresqlinstances/g, 'xbuckets')
    .replace(/XPostgreSQLInstance/g, 'XBucket')
    .replace(/PostgreSQLInstance/g, 'Bucket')
    .replace(/postgresqlinstances/g, 'buckets')
    .replace(/database\.example\.org/g, 'storage.example.org'),
);

const writers: ReturnType<typeof windowRunner>[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.release();
});

const settle = () => new Promise(r => setTimeout(r, 50));

function setup(options: { holdWindow?: boolean } = {}) {
  const writer = windowRunner();
  writers.push(writer);
  const east = new StubCache('east');
  const west = new StubCache('west');
  const mutations: EntityProviderMutation[] = [];
  const provider = new CrossplaneTemplateProvider({
    caches: [east, west] as unknown as ClusterObjectCache[],
    config: readProviderConfig(
      new ConfigReader({
        catalog: { providers: { crossplane: { debounceMs: 10 } } },
      }),
    ),
    logger: mockServices.logger.mock(),
    taskRunner: writer.taskRunner,
  });
  const connect = async () => {
    await provider.connect({
      applyMutation: async mutation => {
        mutations.push(mutation);
      },
      refresh: async () => undefined,
    });
    if (options.holdWindow ?? true) writer.hold();
  };
  return { east, west, mutations, provider, connect, writer };
}

const names = (entities: { entity: Entity }[]) =>
  entities.map(e => e.entity.metadata.name).sort();
const clustersOf = (entity: Entity) =>
  entity.metadata.annotations?.['platformops.io/clusters'];

describe('CrossplaneTemplateProvider', () => {
  it('writes one template per XRD offering the clusters that serve it', async () => {
    const { east, west, mutations, provider, connect } = setup();
    east.xrds = [xrd, bucketXrd];
    west.xrds = [xrd];
    await connect();

    expect(await provider.refresh()).toBe(true);
    const mutation = mutations.at(-1)!;
    expect(mutation.type).toBe('full');
    const entities = mutation.type === 'full' ? mutation.entities : [];
    expect(names(entities)).toEqual([
      'bucket.storage.example.org',
      'postgresqlinstance.database.example.org',
    ]);
    expect(
      entities.map(e => [e.entity.metadata.name, clustersOf(e.entity)]),
    ).toEqual(
      expect.arrayContaining([
        ['postgresqlinstance.database.example.org', 'east,west'],
        ['bucket.storage.example.org', 'east'],
      ]),
    );
    expect(entities.every(e => e.locationKey === 'crossplane:templates')).toBe(
      true,
    );
  });

  it('keeps the templates of a cluster whose XRDs fail to list while it answers', async () => {
    const { east, west, mutations, provider, connect } = setup();
    east.xrds = [xrd];
    west.xrds = [bucketXrd];
    await connect();
    expect(await provider.refresh()).toBe(true);

    west.xrdsFailing = true;
    west.xrds = [];
    expect(await provider.refresh()).toBe(true);
    const last = mutations.at(-1)!;
    expect(last.type === 'full' && names(last.entities)).toEqual([
      'bucket.storage.example.org',
      'postgresqlinstance.database.example.org',
    ]);
  });

  it('removes nothing while a cluster has not been seen, and keeps a cluster that became unreachable', async () => {
    const { east, west, mutations, provider, connect } = setup();
    east.xrds = [xrd];
    west.xrds = [bucketXrd];
    west.reachable = false;
    await connect();

    // West never seen: only additions.
    expect(await provider.refresh()).toBe(false);
    expect(mutations.at(-1)).toMatchObject({ type: 'delta', removed: [] });

    // West seen once, then unreachable with its XRD deleted meanwhile: its
    // template stays as last seen.
    west.reachable = true;
    expect(await provider.refresh()).toBe(true);
    west.reachable = false;
    west.xrds = [];
    expect(await provider.refresh()).toBe(true);
    const last = mutations.at(-1)!;
    expect(last.type === 'full' && names(last.entities)).toEqual([
      'bucket.storage.example.org',
      'postgresqlinstance.database.example.org',
    ]);

    // Back and in sync: the deleted XRD's template goes.
    west.reachable = true;
    await provider.refresh();
    const back = mutations.at(-1)!;
    expect(back.type === 'full' && names(back.entities)).toEqual([
      'postgresqlinstance.database.example.org',
    ]);
  });

  it('writes again when an XRD changes, and not for other objects', async () => {
    const { east, west, mutations, connect } = setup();
    east.xrds = [xrd];
    west.xrds = [];
    await connect();
    await settle();
    // The window's first write.
    expect(mutations).toHaveLength(1);
    const emit = (event: ClusterCacheEvent) =>
      east.listeners.forEach(listener => listener(event));

    emit({
      type: 'upsert',
      cluster: 'east',
      object: { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'a' } },
    });
    await settle();
    expect(mutations).toHaveLength(1);

    east.xrds = [xrd, bucketXrd];
    emit({ type: 'upsert', cluster: 'east', object: bucketXrd });
    await settle();
    expect(mutations).toHaveLength(2);
    const mutation = mutations[1];
    expect(mutation.type === 'full' && names(mutation.entities)).toEqual([
      'bucket.storage.example.org',
      'postgresqlinstance.database.example.org',
    ]);
  });

  it('writes only while it holds the writing window, each window starting with every template', async () => {
    const { east, west, mutations, provider, connect, writer } = setup({
      holdWindow: false,
    });
    east.xrds = [xrd];
    west.xrds = [bucketXrd];
    await connect();
    const emit = () =>
      east.listeners.forEach(listener =>
        listener({ type: 'upsert', cluster: 'east', object: xrd }),
      );

    // Another replica writes: this one keeps the XRDs and writes nothing.
    expect(await provider.refresh()).toBe(false);
    emit();
    await settle();
    expect(mutations).toEqual([]);

    writer.hold();
    await settle();
    expect(mutations).toHaveLength(1);
    expect(
      mutations[0].type === 'full' && names(mutations[0].entities),
    ).toEqual([
      'bucket.storage.example.org',
      'postgresqlinstance.database.example.org',
    ]);

    // The window ends: nothing more from here, until the next one.
    await writer.release();
    emit();
    await settle();
    expect(mutations).toHaveLength(1);
    writer.hold();
    await settle();
    expect(mutations).toHaveLength(2);
    expect(mutations[1].type).toBe('full');
  });
});
