import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import {
  identityOf,
  KubernetesObject,
  objectEntityName,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterObjectCache,
  ClusterRequestError,
} from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import { claim, composite, managed, xrd } from '../__fixtures__/objects';
import { readProviderConfig } from './config';
import { CrossplaneEntityProvider } from './CrossplaneEntityProvider';
import { windowRunner } from '../__testUtils__/windowRunner';

const nameOf = (object: KubernetesObject) =>
  objectEntityName(identityOf(object, 'east'));

/** An established CRD of a kind the cache watches. */
function crd(
  group: string,
  kind: string,
  categories: string[],
  versions = [{ name: 'v1alpha1', served: true, storage: true }],
): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: { group, names: { kind, categories }, versions },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  };
}

/** A managed resource of a kind of its own, the one that breaks. */
function widget(name: string): KubernetesObject {
  return {
    apiVersion: 'widgets.example.org/v1alpha1',
    kind: 'Widget',
    metadata: { name, uid: `uid-${name}` },
    spec: { forProvider: {} },
  };
}

const conversionFailed = () =>
  new ClusterRequestError(
    'east',
    'cluster east: list Widget: conversion webhook for widgets.example.org/v1beta1, Kind=Widget failed: Post "https://127.0.0.1:1/convert": dial tcp 127.0.0.1:1: connect: connection refused',
    500,
  );

const WIDGET_CRD = crd('widgets.example.org', 'Widget', ['managed']);

function setup(
  options: {
    holdWindow?: boolean;
    /** The catalog as it shows the provider's entities: those written, or more. */
    catalogShows?: 'written' | 'more';
  } = {},
) {
  let now = 1_000_000;
  const client = new InMemoryClusterClient('east', [
    crd('apiextensions.crossplane.io', 'CompositeResourceDefinition', []),
    crd('database.example.org', 'PostgreSQLInstance', ['claim']),
    crd('database.example.org', 'XPostgreSQLInstance', ['composite']),
    crd('nop.crossplane.io', 'NopResource', ['managed']),
    WIDGET_CRD,
    xrd,
    claim,
    composite,
    managed,
    widget('w1'),
  ]);
  const cache = new ClusterObjectCache({
    client,
    logger: mockServices.logger.mock(),
    includeWorkloads: false,
    retryDelayMs: 20,
    maxRetryDelayMs: 40,
  });
  const writer = windowRunner();
  // What the catalog holds from the provider after its mutations.
  const catalog = new Map<string, Entity>();
  const provider = new CrossplaneEntityProvider({
    cluster: {
      name: 'east',
      url: 'https://east.example.org',
      authProvider: 'serviceAccount',
      skipTLSVerify: false,
    },
    cache,
    config: readProviderConfig(
      new ConfigReader({
        catalog: { providers: { crossplane: { debounceMs: 10 } } },
      }),
    ),
    logger: mockServices.logger.mock(),
    taskRunner: writer.taskRunner,
    now: () => now,
    catalog: options.catalogShows
      ? {
          countFrom: async () =>
            catalog.size + (options.catalogShows === 'more' ? 1_000 : 0),
          holdsAny: async refs =>
            options.catalogShows === 'more' ||
            refs.some(ref => catalog.has(ref.split('/').at(-1)!)),
        }
      : undefined,
    bulkHold: { intervalMs: 10, stallMs: 1_000, maxMs: 5_000 },
  });

  const mutations: EntityProviderMutation[] = [];
  const connection = {
    applyMutation: async (mutation: EntityProviderMutation) => {
      mutations.push(mutation);
      if (mutation.type === 'full') catalog.clear();
      const added =
        mutation.type === 'full' ? mutation.entities : mutation.added;
      for (const { entity } of added) catalog.set(entity.metadata.name, entity);
      if (mutation.type === 'delta') {
        for (const removed of mutation.removed) {
          const name =
            'entityRef' in removed
              ? removed.entityRef.split('/').at(-1)!
              : removed.entity.metadata.name;
          catalog.delete(name);
        }
      }
    },
    refresh: async () => undefined,
  };
  const has = (name: string) => async () => catalog.has(name) || undefined;
  const lacks = (name: string) => async () => !catalog.has(name) || undefined;
  const failingKinds = () =>
    catalog.get('cluster-east')?.metadata.annotations?.[
      'platformops.io/failing-kinds'
    ];
  const connect = async () => {
    await provider.connect(connection);
    if (options.holdWindow ?? true) writer.hold();
  };
  return {
    client,
    cache,
    provider,
    connect,
    writer,
    mutations,
    catalog,
    has,
    lacks,
    failingKinds,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('CrossplaneEntityProvider', () => {
  // The mutations from the first that writes the claim (before it, the
  // window may have opened before the cache synced: the cluster alone).
  const fromClaims = (mutations: EntityProviderMutation[]) =>
    mutations.slice(
      mutations.findIndex(
        m =>
          m.type === 'delta' &&
          m.added.some(d => d.entity.metadata.name === nameOf(claim)),
      ),
    );
  const claimIn = (mutation: EntityProviderMutation) =>
    (mutation.type === 'delta' ? mutation.added : mutation.entities).find(
      d => d.entity.metadata.name === nameOf(claim),
    )?.entity;

  it('writes a new catalog its claims first and without dependencies, the rest once the claims are in', async () => {
    const { cache, connect, writer, mutations, catalog, has } = setup({
      catalogShows: 'written',
    });
    await connect();
    try {
      await waitFor('the managed resource', has(nameOf(managed)), 5000);
      const [first, ...later] = fromClaims(mutations);
      expect(first.type).toBe('delta');
      expect(claimIn(first)?.spec?.dependsOn).toBeUndefined();
      expect(
        first.type === 'delta' &&
          first.added.some(d => d.entity.metadata.name === nameOf(managed)),
      ).toBe(false);
      // The rest once the catalog shows them, claims whole again.
      expect(later.map(m => m.type)).toEqual(['full']);
      expect(catalog.get(nameOf(claim))?.spec?.dependsOn).toEqual([
        expect.stringContaining(nameOf(composite)),
      ]);
    } finally {
      await writer.release();
      cache.stop();
    }
  });

  it('writes a catalog that holds the cluster already its claims as they are', async () => {
    const { cache, connect, writer, mutations, has } = setup({
      catalogShows: 'more',
    });
    await connect();
    try {
      await waitFor('the managed resource', has(nameOf(managed)), 5000);
      const [first] = fromClaims(mutations);
      expect(claimIn(first)?.spec?.dependsOn).toEqual([
        expect.stringContaining(nameOf(composite)),
      ]);
    } finally {
      await writer.release();
      cache.stop();
    }
  });

  it('rewrites the cluster whole every tenth window it holds in a row', async () => {
    const { cache, connect, writer, mutations, has } = setup({
      holdWindow: false,
    });
    await connect();
    try {
      const types: string[] = [];
      for (let window = 1; window <= 11; window++) {
        const before = mutations.length;
        writer.hold();
        if (window === 1) await waitFor('the claim', has(nameOf(claim)), 5000);
        await new Promise(r => setTimeout(r, 50));
        types.push(
          mutations.slice(before).some(m => m.type === 'full') ? 'full' : '-',
        );
        await writer.release();
      }
      expect(types).toEqual([
        'full',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        'full',
      ]);
    } finally {
      await writer.release();
      cache.stop();
    }
  });

  it('ingests the rest of a cluster while one kind fails to list, and the kind once it lists', async () => {
    const {
      client,
      cache,
      provider,
      connect,
      writer,
      catalog,
      has,
      failingKinds,
    } = setup();
    client.failLists('Widget', conversionFailed());
    await connect();
    try {
      await waitFor('the claim', has(nameOf(claim)), 5000);
      expect(catalog.has(nameOf(widget('w1')))).toBe(false);
      expect(failingKinds()).toBe('Widget.widgets.example.org');
      expect(await provider.fullMutation()).toBe(true);

      // A new claim while the kind is still broken.
      client.put({
        ...claim,
        metadata: { ...claim.metadata, name: 'billing-db', uid: 'c-2' },
      });
      await waitFor(
        'the new claim',
        has(
          nameOf({
            ...claim,
            metadata: { ...claim.metadata, name: 'billing-db' },
          }),
        ),
        5000,
      );

      // Repaired: the kind flows at its next retry, no restart.
      client.failLists('Widget');
      await waitFor('the repaired kind', has(nameOf(widget('w1'))), 5000);
      await waitFor(
        'no failing kinds',
        async () => (failingKinds() === undefined ? true : undefined),
        5000,
      );
    } finally {
      await writer.release();
      cache.stop();
    }
  });

  it('keeps the entities of a kind that fails after it was listed, through full mutations', async () => {
    const {
      client,
      cache,
      provider,
      connect,
      writer,
      catalog,
      has,
      lacks,
      failingKinds,
    } = setup();
    await connect();
    try {
      await waitFor('the widget', has(nameOf(widget('w1'))), 5000);

      // Its storage version becomes one that is served through a broken
      // conversion webhook: every list of the kind fails.
      client.failLists('Widget', conversionFailed());
      client.put(
        crd(
          'widgets.example.org',
          'Widget',
          ['managed'],
          [
            { name: 'v1alpha1', served: true, storage: false },
            { name: 'v1beta1', served: true, storage: true },
          ],
        ),
      );
      await waitFor(
        'the failing kind on the cluster',
        async () =>
          failingKinds() === 'Widget.widgets.example.org' ? true : undefined,
        5000,
      );
      expect(await provider.fullMutation()).toBe(true);
      expect(catalog.has(nameOf(widget('w1')))).toBe(true);

      // The rest still flows, deletions included.
      client.remove({
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
      });
      await waitFor('the deleted claim to go', lacks(nameOf(claim)), 5000);
      expect(catalog.has(nameOf(widget('w1')))).toBe(true);
    } finally {
      await writer.release();
      cache.stop();
    }
  });

  it('writes only while it holds the writing window: its own next window writes the changes since, one after another replica a full mutation', async () => {
    const { client, cache, connect, writer, mutations, catalog, has, advance } =
      setup({ holdWindow: false });
    await connect();
    try {
      // Another replica writes: this one watches and writes nothing.
      await waitFor('the cache to sync', async () =>
        cache.status().synced ? true : undefined,
      );
      await new Promise(r => setTimeout(r, 100));
      expect(mutations).toEqual([]);

      writer.hold();
      await waitFor('the claim', has(nameOf(claim)), 5000);
      const extra = {
        ...claim,
        metadata: { ...claim.metadata, name: 'window-db', uid: 'c-3' },
      };
      client.put(extra);
      await waitFor('the new claim', has(nameOf(extra)), 5000);

      // The window ends: changes are no longer written from here.
      await writer.release();
      const written = mutations.length;
      client.remove({
        apiVersion: extra.apiVersion,
        kind: extra.kind,
        namespace: extra.metadata.namespace,
        name: extra.metadata.name,
      });
      await new Promise(r => setTimeout(r, 200));
      expect(mutations.length).toBe(written);
      expect(catalog.has(nameOf(extra))).toBe(true);

      // This replica holds the next window at once: nobody else wrote in
      // between, so it writes what changed meanwhile, not the whole cluster.
      writer.hold();
      await waitFor(
        'the changes since the last window',
        async () => (mutations.length > written ? true : undefined),
        5000,
      );
      expect(mutations.slice(written).map(m => m.type)).toEqual(['delta']);
      expect(catalog.has(nameOf(extra))).toBe(false);

      // A window after a whole window's time may follow another replica's:
      // it starts with a full mutation of the cluster as it is.
      await writer.release();
      const before = mutations.length;
      client.put(extra);
      advance(120_001);
      writer.hold();
      await waitFor(
        'the full mutation',
        async () => (mutations.length > before ? true : undefined),
        5000,
      );
      expect(mutations[before].type).toBe('full');
      expect(catalog.has(nameOf(extra))).toBe(true);
    } finally {
      await writer.release();
      cache.stop();
    }
  });
});
