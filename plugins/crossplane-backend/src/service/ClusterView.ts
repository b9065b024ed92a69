import {
  buildResourceTrees,
  indexResources,
  KubernetesObject,
  parseXrd,
  ResourceIndex,
  ResourceTreeNode,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';

/**
 * How long a computed view may be served after the cache changed. Under
 * constant churn the view is rebuilt at most once per this interval instead
 * of on every request; a change shows within it.
 */
const DEFAULT_MAX_STALENESS_MS = 500;

/**
 * The indexed objects and resource trees of one cluster, computed on demand
 * and reused while the cache is unchanged, or changed but the view is younger
 * than `maxStalenessMs`.
 */
export class ClusterView {
  readonly #maxStalenessMs: number;
  readonly #now: () => number;
  #generation = 0;
  #computed?: {
    generation: number;
    /** When the snapshot of the cache was taken. */
    takenAt: number;
    index: ResourceIndex;
    trees: ResourceTreeNode[];
    xrdByKind: Map<string, Xrd>;
  };

  constructor(
    readonly cache: ClusterObjectCache,
    options: { maxStalenessMs?: number; now?: () => number } = {},
  ) {
    this.#maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    this.#now = options.now ?? Date.now;
    cache.subscribe(event => {
      // A failed watch keeps the last known objects: nothing to recompute.
      if (event.type !== 'error') this.#generation += 1;
    });
  }

  get cluster(): string {
    return this.cache.cluster;
  }

  index(): ResourceIndex {
    return this.#compute().index;
  }

  trees(): ResourceTreeNode[] {
    return this.#compute().trees;
  }

  /** The XRD that defines a claim or composite kind (`group|kind`). */
  xrdOf(object: KubernetesObject): Xrd | undefined {
    const group = object.apiVersion.split('/')[0];
    return this.#compute().xrdByKind.get(`${group}|${object.kind}`);
  }

  #compute() {
    const computed = this.#computed;
    const now = this.#now();
    // A snapshot misses only changes made after it was taken, so serving it
    // while it is young enough hides no change for longer than the bound.
    if (
      computed &&
      (computed.generation === this.#generation ||
        now - computed.takenAt < this.#maxStalenessMs)
    ) {
      return computed;
    }
    const generation = this.#generation;
    const objects = this.cache.objects();
    const xrds: Xrd[] = [];
    const xrdByKind = new Map<string, Xrd>();
    for (const object of objects) {
      if (object.kind !== 'CompositeResourceDefinition') continue;
      try {
        const xrd = parseXrd(object);
        xrds.push(xrd);
        xrdByKind.set(`${xrd.group}|${xrd.names.kind}`, xrd);
        if (xrd.claimNames)
          xrdByKind.set(`${xrd.group}|${xrd.claimNames.kind}`, xrd);
      } catch {
        // A malformed XRD defines no kinds.
      }
    }
    const index = indexResources(objects, xrds);
    this.#computed = {
      generation,
      takenAt: now,
      index,
      trees: buildResourceTrees(index),
      xrdByKind,
    };
    return this.#computed;
  }
}
