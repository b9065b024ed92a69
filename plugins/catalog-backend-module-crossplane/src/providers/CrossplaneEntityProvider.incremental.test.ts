import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import type {
  ClusterCacheEvent,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import {
  bucketXrd,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { claim, composite, managed } from '../__fixtures__/objects';
import { snapshotKey } from './ClusterSnapshot';
import { readProviderConfig } from './config';
import { CrossplaneEntityProvider } from './CrossplaneEntityProvider';
import { windowRunner } from '../__testUtils__/windowRunner';

/*
 * A delta remaps only the objects a change can alter. Whatever the changes,
 * the entities the catalog holds after each delta are those a full
 * recomputation of the cluster gives (same refs, same content), and a delta
 * carries only entities whose content changed.
 */

/** A small deterministic random source (mulberry32), so a failure replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T =>
      items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

/** The watch cache as the provider sees it: a map of objects and its events. */
class StandInCache {
  readonly cluster = 'east';
  readonly byKey = new Map<string, KubernetesObject>();
  failingKinds: string[] = [];
  readonly #listeners = new Set<(event: ClusterCacheEvent) => void>();

  subscribe(listener: (event: ClusterCacheEvent) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  start() {}
  stop() {}
  objects() {
    return [...this.byKey.values()].filter(
      o => o.kind !== 'CustomResourceDefinition',
    );
  }
  status() {
    return {
      cluster: 'east',
      synced: true,
      reachable: true,
      objectCount: this.byKey.size,
      truncated: false,
      failingKinds: this.failingKinds,
      kinds: [],
    };
  }
  emit(event: ClusterCacheEvent) {
    for (const listener of this.#listeners) listener(event);
  }
  upsert(object: KubernetesObject) {
    this.byKey.set(snapshotKey(object), object);
    this.emit({ type: 'upsert', cluster: 'east', object });
  }
  delete(object: KubernetesObject) {
    this.byKey.delete(snapshotKey(object));
    this.emit({ type: 'delete', cluster: 'east', object });
  }
  /** A relist: the objects as given, announced only as a sync of the kind. */
  relist(objects: KubernetesObject[]) {
    for (const object of objects) this.byKey.set(snapshotKey(object), object);
    this.emit({ type: 'sync', cluster: 'east', kind: 'Any', objects });
  }
}

/** A v2 XRD: namespaced XRs, no claims. */
const appXrd: KubernetesObject = {
  apiVersion: 'apiextensions.crossplane.io/v2',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xapps.platform.example.org', uid: 'xrd-app' },
  spec: {
    scope: 'Namespaced',
    group: 'platform.example.org',
    names: { kind: 'XApp', plural: 'xapps' },
    versions: [{ name: 'v1alpha1', served: true, referenceable: true }],
  },
};

const NAMESPACES = ['team-a', 'team-b'];
const CLAIM_NAMES = ['db-1', 'db-2'];
const CLAIM_KINDS = [
  { apiVersion: claim.apiVersion, kind: claim.kind },
  { apiVersion: 'storage.example.org/v1alpha1', kind: 'Bucket' },
];
const COMPOSITE_NAMES = ['x-1', 'x-2', 'x-3'];
const MANAGED_NAMES = ['m-1', 'm-2', 'm-3', 'm-4'];
const APP_NAMES = ['app-1', 'app-2'];
const V2_MANAGED = 'nop.m.crossplane.io/v1alpha1';

/** Random objects of both Crossplane lines, from a small set of identities. */
class World {
  #version = 0;
  constructor(readonly r: Random) {}

  #meta(name: string, namespace?: string) {
    const { r } = this;
    const labels: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    const owner = r.pick([undefined, 'team-a', 'group.default.team-b', 'no!']);
    if (owner) labels['platformops.io/owner'] = owner;
    const system = r.pick([undefined, 'payments', 'system:shop/orders']);
    if (system) annotations['platformops.io/system'] = system;
    this.#version += 1;
    return {
      name,
      ...(namespace ? { namespace } : {}),
      uid: `uid-${namespace ?? ''}-${name}`,
      resourceVersion: String(this.#version),
      labels,
      annotations,
    };
  }

  #claimLabels(meta: { labels: Record<string, string> }) {
    if (this.r.chance(0.2)) return;
    meta.labels['crossplane.io/claim-name'] = this.r.pick(CLAIM_NAMES);
    meta.labels['crossplane.io/claim-namespace'] = this.r.pick(NAMESPACES);
  }

  #status() {
    const ready = this.r.pick(['True', 'False', undefined]);
    return ready
      ? { conditions: [{ type: 'Ready', status: ready, reason: `R${ready}` }] }
      : {};
  }

  xrd() {
    return this.r.pick([postgresXrd, bucketXrd, appXrd]);
  }

  object(): KubernetesObject {
    const { r } = this;
    switch (r.int(6)) {
      case 0: {
        const kind = r.pick(CLAIM_KINDS);
        return {
          ...kind,
          metadata: this.#meta(r.pick(CLAIM_NAMES), r.pick(NAMESPACES)),
          spec: {
            compositionRef: { name: 'c' },
            ...(r.chance(0.8)
              ? {
                  resourceRef: {
                    apiVersion: composite.apiVersion,
                    kind: composite.kind,
                    name: r.pick(COMPOSITE_NAMES),
                  },
                }
              : {}),
          },
          status: this.#status(),
        };
      }
      case 1: {
        const meta = this.#meta(r.pick(COMPOSITE_NAMES));
        this.#claimLabels(meta);
        return {
          apiVersion: composite.apiVersion,
          kind: composite.kind,
          metadata: meta,
          spec: {
            compositionRef: { name: 'c' },
            resourceRefs: [
              ...MANAGED_NAMES.filter(() => r.chance(0.5)).map(name => ({
                apiVersion: managed.apiVersion,
                kind: managed.kind,
                name,
              })),
              // A composed workload: its claim's entity gets a Kubernetes tab.
              ...(r.chance(0.3)
                ? [
                    {
                      apiVersion: 'apps/v1',
                      kind: 'Deployment',
                      name: 'web',
                      namespace: r.pick(NAMESPACES),
                    },
                  ]
                : []),
            ],
          },
          status: this.#status(),
        };
      }
      case 2: {
        const meta = this.#meta(r.pick(MANAGED_NAMES));
        this.#claimLabels(meta);
        return {
          apiVersion: managed.apiVersion,
          kind: managed.kind,
          metadata: meta,
          spec: { forProvider: {}, providerConfigRef: { name: 'default' } },
          status: this.#status(),
        };
      }
      case 3: {
        const namespace = r.pick(NAMESPACES);
        return {
          apiVersion: 'platform.example.org/v1alpha1',
          kind: 'XApp',
          metadata: {
            ...this.#meta(r.pick(APP_NAMES), namespace),
          },
          spec: {
            crossplane: {
              compositionRef: { name: 'apps' },
              resourceRefs: MANAGED_NAMES.filter(() => r.chance(0.5)).map(
                name => ({ apiVersion: V2_MANAGED, kind: 'NopResource', name }),
              ),
            },
          },
          status: this.#status(),
        };
      }
      case 4:
        return {
          apiVersion: V2_MANAGED,
          kind: 'NopResource',
          metadata: this.#meta(r.pick(MANAGED_NAMES), r.pick(NAMESPACES)),
          spec: { forProvider: {}, providerConfigRef: { name: 'default' } },
          status: this.#status(),
        };
      default:
        return {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: this.#meta('web', r.pick(NAMESPACES)),
          spec: { selector: { matchLabels: { app: r.pick(['a', 'b']) } } },
          status: this.#status(),
        };
    }
  }

  /**
   * The object as a relist brings it: the same version anew, or a newer
   * one whose change no event announced.
   */
  relisted(object: KubernetesObject): KubernetesObject {
    if (this.r.chance(0.6) || object.kind === 'CompositeResourceDefinition')
      // A copy as the API server's JSON gives it.
      return JSON.parse(JSON.stringify(object));
    const { labels, annotations } = this.#meta(object.metadata.name);
    return {
      ...object,
      metadata: {
        ...object.metadata,
        resourceVersion: `relisted-${this.#version}`,
        labels: { ...object.metadata.labels, ...labels },
        annotations,
      },
      status: this.#status(),
    };
  }
}

function logger(debug?: string[]): LoggerService {
  const log: LoggerService = {
    debug: message => {
      debug?.push(message);
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => log,
  };
  return log;
}

const writers: ReturnType<typeof windowRunner>[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.release();
});

/** A provider on the cache, holding the writing window, and what it wrote. */
async function connected(cache: StandInCache, debug?: string[]) {
  const writer = windowRunner();
  writers.push(writer);
  const provider = new CrossplaneEntityProvider({
    cluster: {
      name: 'east',
      url: 'https://east.example.org',
      authProvider: 'serviceAccount',
      skipTLSVerify: false,
    },
    cache: cache as unknown as ClusterObjectCache,
    config: readProviderConfig(
      new ConfigReader({
        catalog: { providers: { crossplane: { debounceMs: 0 } } },
      }),
    ),
    logger: logger(debug),
    taskRunner: writer.taskRunner,
  });
  const catalog = new Map<string, string>();
  const deltas: EntityProviderMutation[] = [];
  /** Entities a delta wrote that the catalog held as they were. */
  const unchangedWrites: string[] = [];
  await provider.connect({
    applyMutation: async mutation => {
      if (mutation.type === 'full') {
        catalog.clear();
        for (const { entity } of mutation.entities)
          catalog.set(stringifyEntityRef(entity), JSON.stringify(entity));
        return;
      }
      deltas.push(mutation);
      for (const { entity } of mutation.added) {
        const ref = stringifyEntityRef(entity);
        const json = JSON.stringify(entity);
        if (catalog.get(ref) === json) unchangedWrites.push(ref);
        catalog.set(ref, json);
      }
      for (const removed of mutation.removed)
        catalog.delete('entityRef' in removed ? removed.entityRef : '');
    },
    refresh: async () => undefined,
  });
  writer.hold();
  // After the window's first write.
  await provider.fullMutation();
  return { provider, catalog, deltas, unchangedWrites };
}

/** The refs whose entities differ between two catalogs, and how. */
function differences(
  actual: Map<string, string>,
  expected: Map<string, string>,
) {
  const result: string[] = [];
  for (const [ref, json] of expected) {
    if (!actual.has(ref)) result.push(`missing ${ref}`);
    else if (actual.get(ref) !== json) result.push(`stale ${ref}`);
  }
  for (const ref of actual.keys())
    if (!expected.has(ref)) result.push(`extra ${ref}`);
  return result;
}

describe('CrossplaneEntityProvider deltas', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'equal a full recomputation after every step of random changes (seed %i)',
    async seed => {
      const r = random(seed);
      const world = new World(r);
      const cache = new StandInCache();
      for (let i = 0; i < 25; i++) {
        const object = i < 3 ? world.xrd() : world.object();
        cache.byKey.set(snapshotKey(object), object);
      }
      const incremental = await connected(cache);
      const full = await connected(cache);
      for (let step = 0; step < 150; step++) {
        for (let n = 1 + r.int(4); n > 0; n--) {
          const what = r.next();
          const present = [...cache.byKey.values()];
          if (what < 0.55) {
            cache.upsert(world.object());
          } else if (what < 0.75 && present.length > 0) {
            cache.delete(r.pick(present));
          } else if (what < 0.83) {
            // XRDs come and go: kinds are classified anew.
            const xrd = world.xrd();
            if (cache.byKey.has(snapshotKey(xrd))) cache.delete(xrd);
            else cache.upsert(xrd);
          } else if (what < 0.9) {
            // A relist, which also brings changes missed while not watching.
            cache.relist(present.map(o => world.relisted(o)));
          } else if (what < 0.95) {
            cache.failingKinds = r.chance(0.5) ? ['Widget.example.org'] : [];
            cache.emit({
              type: 'error',
              cluster: 'east',
              kind: 'Widget',
              error: new Error('conversion webhook down'),
            });
          } else {
            // The cache's CRDs are not among its objects: no entity.
            cache.upsert({
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              metadata: { name: `things${r.int(3)}.example.org` },
            });
          }
        }
        expect(await incremental.provider.deltaMutation()).toBe(true);
        expect(await full.provider.fullMutation()).toBe(true);
        expect(differences(incremental.catalog, full.catalog)).toEqual([]);
      }
      expect(incremental.unchangedWrites).toEqual([]);
      // The sequences exercised what they are meant to.
      expect(incremental.deltas.length).toBeGreaterThan(50);
      expect(
        incremental.deltas.some(
          d => d.type === 'delta' && d.removed.length > 0,
        ),
      ).toBe(true);
    },
  );

  it('remaps the changed object and those that read it, not the cluster', async () => {
    const cache = new StandInCache();
    const debug: string[] = [];
    // 100 claims, each with its composite and managed resource.
    for (let i = 0; i < 100; i++) {
      const labels = {
        'crossplane.io/claim-name': `db-${i}`,
        'crossplane.io/claim-namespace': 'team-alpha',
      };
      const objects: KubernetesObject[] = [
        {
          ...claim,
          metadata: { ...claim.metadata, name: `db-${i}`, uid: `c-${i}` },
          spec: {
            ...(claim.spec as object),
            resourceRef: { ...(claim.spec as any).resourceRef, name: `x-${i}` },
          },
        },
        {
          ...composite,
          metadata: { ...composite.metadata, name: `x-${i}`, labels },
          spec: {
            ...(composite.spec as object),
            resourceRefs: [
              {
                apiVersion: managed.apiVersion,
                kind: managed.kind,
                name: `m-${i}`,
              },
            ],
          },
        },
        {
          ...managed,
          metadata: { ...managed.metadata, name: `m-${i}`, labels },
        },
      ];
      for (const object of objects)
        cache.byKey.set(snapshotKey(object), object);
    }
    cache.byKey.set(snapshotKey(postgresXrd), postgresXrd);
    const { provider, deltas } = await connected(cache, debug);
    const remapped = () =>
      Number(/(\d+) objects remapped/.exec(debug.at(-1) ?? '')?.[1]);

    // A managed resource's status: itself, and the composite that lists it.
    const m7 = cache.byKey.get(
      snapshotKey({ ...managed, metadata: { name: 'm-7' } }),
    )!;
    cache.upsert({ ...m7, status: { conditions: [] } });
    await provider.deltaMutation();
    expect(remapped()).toBe(2);
    const written = deltas.at(-1)! as Extract<
      EntityProviderMutation,
      { type: 'delta' }
    >;
    expect(written.added.map(e => e.entity.metadata.title)).toEqual(['m-7']);

    // A claim's owner: itself, and what was composed for it (owner).
    const c3 = cache.byKey.get(
      snapshotKey({ ...claim, metadata: { ...claim.metadata, name: 'db-3' } }),
    )!;
    cache.upsert({
      ...c3,
      metadata: {
        ...c3.metadata,
        labels: { 'platformops.io/owner': 'team-b' },
      },
    });
    await provider.deltaMutation();
    expect(remapped()).toBe(3);
    const owners = (deltas.at(-1) as any).added.map(
      (e: any) => `${e.entity.metadata.title} ${e.entity.spec.owner}`,
    );
    expect(owners.sort()).toEqual([
      'db-3 group:default/team-b',
      'm-3 group:default/team-b',
      'x-3 group:default/team-b',
    ]);
  });
});
