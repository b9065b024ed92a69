import { unknownClusterError } from './CrossplaneClusters';
import { ClusterObjectCache } from '../cache/ClusterObjectCache';

/**
 * Caches added and removed at once, as their clusters were; a cluster whose
 * URL or credentials changed has its old cache removed and a new one added.
 *
 * @public
 */
export interface CrossplaneObjectCacheChange {
  added: ClusterObjectCache[];
  removed: ClusterObjectCache[];
}

/**
 * One {@link ClusterObjectCache} per known cluster, shared by every
 * PlatformOps backend package in the process; it follows the clusters as
 * they are added and removed.
 *
 * @public
 */
export interface CrossplaneObjectCache {
  /** Starts watching every cluster; later calls do nothing. */
  start(): void;
  caches(): ClusterObjectCache[];
  /** Throws NotFoundError naming the known clusters. */
  cache(cluster: string): ClusterObjectCache;
  /**
   * Calls `listener` when caches are added or removed (a removed one is
   * stopped); returns the unsubscribe function.
   */
  subscribe?(
    listener: (change: CrossplaneObjectCacheChange) => void,
  ): () => void;
}

/**
 * The default {@link CrossplaneObjectCache}.
 *
 * @public
 */
export class DefaultCrossplaneObjectCache implements CrossplaneObjectCache {
  #caches: ClusterObjectCache[];
  readonly #listeners = new Set<
    (change: CrossplaneObjectCacheChange) => void
  >();
  #started = false;

  constructor(caches: ClusterObjectCache[]) {
    this.#caches = caches;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#caches.forEach(cache => cache.start());
  }

  stop(): void {
    this.#started = false;
    this.#caches.forEach(cache => cache.stop());
  }

  caches(): ClusterObjectCache[] {
    return [...this.#caches];
  }

  cache(cluster: string): ClusterObjectCache {
    const cache = this.#caches.find(c => c.cluster === cluster);
    if (!cache) {
      throw unknownClusterError(
        cluster,
        this.#caches.map(c => c.cluster),
      );
    }
    return cache;
  }

  subscribe(
    listener: (change: CrossplaneObjectCacheChange) => void,
  ): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Stops and drops the caches of `removed` clusters, then adds `added`
   * (started if this cache is), and tells the subscribers.
   */
  update(change: {
    added: ClusterObjectCache[];
    removed: readonly string[];
  }): void {
    const removed = this.#caches.filter(c =>
      change.removed.includes(c.cluster),
    );
    removed.forEach(cache => cache.stop());
    this.#caches = [
      ...this.#caches.filter(c => !removed.includes(c)),
      ...change.added,
    ];
    if (this.#started) change.added.forEach(cache => cache.start());
    const event = { added: change.added, removed };
    this.#listeners.forEach(listener => listener(event));
  }
}
