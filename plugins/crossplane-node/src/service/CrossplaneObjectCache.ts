import { unknownClusterError } from './CrossplaneClusters';
import { ClusterObjectCache } from '../cache/ClusterObjectCache';

/**
 * One {@link ClusterObjectCache} per configured cluster, shared by every
 * PlatformOps backend package in the process.
 *
 * @public
 */
export interface CrossplaneObjectCache {
  /** Starts watching every cluster; later calls do nothing. */
  start(): void;
  caches(): ClusterObjectCache[];
  /** Throws NotFoundError naming the known clusters. */
  cache(cluster: string): ClusterObjectCache;
}

/**
 * The default {@link CrossplaneObjectCache}.
 *
 * @public
 */
export class DefaultCrossplaneObjectCache implements CrossplaneObjectCache {
  readonly #caches: ClusterObjectCache[];
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
}
