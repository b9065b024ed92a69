import {
  apiVersionOf,
  buildResourceTrees,
  CrossplaneObjectId,
  indexResources,
  KubernetesObject,
  parseXrd,
  ResourceIndex,
  ResourceTreeNode,
  splitApiVersion,
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
    clusterScoped: Map<string, boolean>;
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

  /**
   * The cached object of exactly this identity (group, kind, namespace and
   * name; any version), or undefined. Unlike the index's lenient reference
   * lookup, a namespace never finds a cluster-scoped object.
   */
  find(id: CrossplaneObjectId): KubernetesObject | undefined {
    const object = this.index().resolve({
      apiVersion: apiVersionOf(id),
      kind: id.kind,
      namespace: id.namespace,
      name: id.name,
    });
    if (!object) return undefined;
    const same =
      splitApiVersion(object.apiVersion).group === id.group &&
      object.kind === id.kind &&
      (object.metadata.namespace ?? undefined) === id.namespace &&
      object.metadata.name === id.name;
    return same ? object : undefined;
  }

  /** The root of an object's resource tree: its claim or XR, or itself. */
  rootOf(object: KubernetesObject): KubernetesObject {
    const index = this.index();
    let root = object;
    const seen = new Set<KubernetesObject>([object]);
    for (
      let parent = index.parentOf(root);
      parent && !seen.has(parent);
      parent = index.parentOf(root)
    ) {
      seen.add(parent);
      root = parent;
    }
    return root;
  }

  /**
   * Whether the cluster's objects of a kind are cluster-scoped, as far as
   * the cached objects of that kind tell; undefined when none is cached.
   */
  isClusterScoped(group: string, kind: string): boolean | undefined {
    return this.#compute().clusterScoped.get(`${group}|${kind}`);
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
    const clusterScoped = new Map<string, boolean>();
    for (const object of objects) {
      const key = `${splitApiVersion(object.apiVersion).group}|${object.kind}`;
      if (!clusterScoped.has(key))
        clusterScoped.set(key, !object.metadata.namespace);
    }
    const index = indexResources(objects, xrds, {
      // What the cache does not watch (e.g. a composed ConfigMap) is not
      // missing, only not followed.
      follows: ref =>
        this.cache.kindStatus(
          splitApiVersion(ref.apiVersion).group,
          ref.kind,
        ) !== undefined,
    });
    this.#computed = {
      generation,
      takenAt: now,
      index,
      trees: buildResourceTrees(index),
      xrdByKind,
      clusterScoped,
    };
    return this.#computed;
  }
}
