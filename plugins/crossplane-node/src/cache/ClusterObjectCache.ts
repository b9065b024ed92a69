import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';
import { KindWatcher, KindWatcherListener, WatchedKind } from './KindWatcher';
import {
  CRD_KIND,
  kindKey,
  watchedKindOfCrd,
  WORKLOAD_KINDS,
} from './watchedKinds';

/**
 * A change in a cluster's cache.
 *
 * @public
 */
export type ClusterCacheEvent =
  | { type: 'sync'; cluster: string; kind: string; objects: KubernetesObject[] }
  | { type: 'upsert'; cluster: string; object: KubernetesObject }
  | { type: 'delete'; cluster: string; object: KubernetesObject }
  | { type: 'error'; cluster: string; kind: string; error: Error };

/**
 * The state of one cluster's cache, for status pages and health checks.
 *
 * @public
 */
export interface ClusterCacheStatus {
  cluster: string;
  /** Every watched kind has been listed at least once. */
  synced: boolean;
  /** The last list or watch failed; cleared by the next success. */
  reachable: boolean;
  lastError?: string;
  lastErrorAt?: string;
  objectCount: number;
  /** Objects were dropped because the cache reached its bound. */
  truncated: boolean;
}

/**
 * Options of a {@link ClusterObjectCache}.
 *
 * @public
 */
export interface ClusterObjectCacheOptions {
  client: ClusterClient;
  logger: LoggerService;
  /** Also cache Deployments, StatefulSets and Services. */
  includeWorkloads?: boolean;
  /** Upper bound of cached objects; more are dropped and reported. */
  maxObjects?: number;
  pageSize?: number;
}

const DEFAULT_MAX_OBJECTS = 250_000;
const CRD_KEY = kindKey(CRD_KIND);

function objectKey(object: KubernetesObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * Every Crossplane object of one cluster, and optionally its workloads, kept
 * current by list + watch. Kinds follow the cluster's CRDs: a new XRD's claim
 * and composite kinds are watched as soon as their CRDs are established.
 *
 * @public
 */
export class ClusterObjectCache {
  readonly cluster: string;
  readonly #options: ClusterObjectCacheOptions;
  readonly #watchers = new Map<
    string,
    { kind: WatchedKind; watcher: KindWatcher }
  >();
  readonly #objects = new Map<string, Map<string, KubernetesObject>>();
  readonly #synced = new Set<string>();
  readonly #listeners = new Set<(event: ClusterCacheEvent) => void>();
  #count = 0;
  #truncated = false;
  #lastError?: { message: string; at: string; kind: string };
  #started = false;

  constructor(options: ClusterObjectCacheOptions) {
    this.cluster = options.client.name;
    this.#options = options;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#watch(CRD_KIND);
    if (this.#options.includeWorkloads ?? true) {
      WORKLOAD_KINDS.forEach(kind => this.#watch(kind));
    }
  }

  stop(): void {
    this.#started = false;
    for (const { watcher } of this.#watchers.values()) watcher.stop();
    this.#watchers.clear();
  }

  subscribe(listener: (event: ClusterCacheEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every cached object except CRDs. */
  objects(): KubernetesObject[] {
    const result: KubernetesObject[] = [];
    for (const [key, objects] of this.#objects) {
      if (key === CRD_KEY) continue;
      for (const object of objects.values()) result.push(object);
    }
    return result;
  }

  /** Cached objects of one kind of an API group, in whichever version. */
  objectsOfKind(group: string, kind: string): KubernetesObject[] {
    const result: KubernetesObject[] = [];
    for (const [key, objects] of this.#objects) {
      const parts = key.split('/');
      if (parts.length !== 3 || parts[0] !== group || parts[2] !== kind)
        continue;
      for (const object of objects.values()) result.push(object);
    }
    return result;
  }

  status(): ClusterCacheStatus {
    const watched = [...this.#watchers.keys()];
    return {
      cluster: this.cluster,
      synced: watched.length > 0 && watched.every(k => this.#synced.has(k)),
      reachable: !this.#lastError,
      lastError: this.#lastError?.message,
      lastErrorAt: this.#lastError?.at,
      objectCount: this.#count,
      truncated: this.#truncated,
    };
  }

  #watch(kind: WatchedKind) {
    const key = kindKey(kind);
    if (this.#watchers.has(key)) return;
    const watcher = new KindWatcher({
      client: this.#options.client,
      kind,
      listener: this.#listener,
      pageSize: this.#options.pageSize,
    });
    this.#watchers.set(key, { kind, watcher });
    watcher.start();
  }

  #unwatch(kind: WatchedKind) {
    const key = kindKey(kind);
    this.#watchers.get(key)?.watcher.stop();
    this.#watchers.delete(key);
    this.#synced.delete(key);
    const objects = this.#objects.get(key);
    if (objects) {
      // The kind no longer exists in the cluster (its CRD was deleted).
      this.#count -= objects.size;
      this.#objects.delete(key);
      for (const object of objects.values()) {
        this.#emit({ type: 'delete', cluster: this.cluster, object });
      }
    }
  }

  #followCrds(crds: Iterable<KubernetesObject>) {
    const wanted = new Map<string, WatchedKind>();
    for (const crd of crds) {
      const kind = watchedKindOfCrd(crd);
      if (kind) wanted.set(kindKey(kind), kind);
    }
    for (const [key, kind] of wanted) {
      if (!this.#watchers.has(key)) this.#watch(kind);
    }
    const fixed = new Set([CRD_KIND, ...WORKLOAD_KINDS].map(kindKey));
    for (const [key, { kind }] of [...this.#watchers]) {
      if (!fixed.has(key) && !wanted.has(key)) this.#unwatch(kind);
    }
  }

  readonly #listener: KindWatcherListener = {
    onSync: (kind, objects) => {
      const key = kindKey(kind);
      const previous = this.#objects.get(key) ?? new Map();
      const next = new Map<string, KubernetesObject>();
      // CRDs are bounded by the cluster itself and not counted.
      const counted = key !== CRD_KEY;
      for (const object of objects) {
        if (
          counted &&
          this.#count - previous.size + next.size >= this.#maxObjects()
        ) {
          this.#markTruncated(kind);
          break;
        }
        next.set(objectKey(object), object);
      }
      if (counted) this.#count += next.size - previous.size;
      this.#objects.set(key, next);
      this.#synced.add(key);
      this.#lastError =
        this.#lastError?.kind === key ? undefined : this.#lastError;
      if (key === CRD_KEY) this.#followCrds(next.values());
      this.#emit({
        type: 'sync',
        cluster: this.cluster,
        kind: kind.kind,
        objects: [...next.values()],
      });
    },
    onUpsert: (kind, object) => {
      const key = kindKey(kind);
      let objects = this.#objects.get(key);
      if (!objects) {
        objects = new Map();
        this.#objects.set(key, objects);
      }
      const id = objectKey(object);
      if (!objects.has(id) && key !== CRD_KEY) {
        if (this.#count >= this.#maxObjects()) {
          this.#markTruncated(kind);
          return;
        }
        this.#count += 1;
      }
      objects.set(id, object);
      if (key === CRD_KEY) this.#followCrds(objects.values());
      this.#emit({ type: 'upsert', cluster: this.cluster, object });
    },
    onDelete: (kind, object) => {
      const key = kindKey(kind);
      const objects = this.#objects.get(key);
      if (objects?.delete(objectKey(object)) && key !== CRD_KEY)
        this.#count -= 1;
      if (key === CRD_KEY && objects) this.#followCrds(objects.values());
      this.#emit({ type: 'delete', cluster: this.cluster, object });
    },
    onError: (kind, error) => {
      this.#lastError = {
        message: error.message,
        at: new Date().toISOString(),
        kind: kindKey(kind),
      };
      this.#options.logger.warn(
        `Watching ${kind.kind} failed, keeping the last known state: ${error.message}`,
      );
      this.#emit({
        type: 'error',
        cluster: this.cluster,
        kind: kind.kind,
        error,
      });
    },
  };

  #maxObjects() {
    return this.#options.maxObjects ?? DEFAULT_MAX_OBJECTS;
  }

  #markTruncated(kind: WatchedKind) {
    if (!this.#truncated) {
      this.#options.logger.warn(
        `Cache of cluster ${
          this.cluster
        } is full (${this.#maxObjects()} objects); ${
          kind.kind
        } objects are dropped`,
      );
    }
    this.#truncated = true;
  }

  #emit(event: ClusterCacheEvent) {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#options.logger.error(`Cache listener failed: ${error}`);
      }
    }
  }
}
