import {
  CrossplaneObjectId,
  KubernetesObject,
  objectIdKey,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';

/** How long a deleted object is remembered: a deletion's following. */
export const DEPARTED_TTL_MS = 15 * 60_000;

/** Most deleted objects remembered per cluster; the oldest go first. */
export const MAX_DEPARTED = 5_000;

/**
 * The objects a cluster's cache saw deleted lately, as they were when they
 * went: what permissions decided on them then still decides who may be
 * told they are gone, once the cluster no longer holds them. Only delete
 * events are seen: an object that went while its kind was being listed
 * again is not remembered.
 */
export class DepartedObjects {
  readonly #cluster: string;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #max: number;
  /** By identity key, oldest first (a Map keeps insertion order). */
  readonly #departed = new Map<
    string,
    { object: KubernetesObject; at: number }
  >();

  constructor(options: {
    cache: ClusterObjectCache;
    now?: () => number;
    ttlMs?: number;
    max?: number;
  }) {
    this.#cluster = options.cache.cluster;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? DEPARTED_TTL_MS;
    this.#max = options.max ?? MAX_DEPARTED;
    options.cache.subscribe(event => {
      if (event.type === 'delete') this.#record(event.object);
    });
  }

  /** The deleted object of exactly this identity, if it went lately. */
  find(id: CrossplaneObjectId): KubernetesObject | undefined {
    this.#expire();
    return this.#departed.get(objectIdKey(id))?.object;
  }

  #record(object: KubernetesObject) {
    const key = objectIdKey({
      cluster: this.#cluster,
      group: splitApiVersion(object.apiVersion).group,
      kind: object.kind,
      namespace: object.metadata.namespace || undefined,
      name: object.metadata.name,
    });
    this.#departed.delete(key);
    this.#departed.set(key, { object, at: this.#now() });
    if (this.#departed.size > this.#max) {
      this.#departed.delete(this.#departed.keys().next().value!);
    }
  }

  #expire() {
    const oldest = this.#now() - this.#ttlMs;
    for (const [key, { at }] of this.#departed) {
      if (at > oldest) break;
      this.#departed.delete(key);
    }
  }
}
