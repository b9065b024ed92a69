import {
  apiVersionOf,
  CrossplaneObjectId,
  IncrementalResourceIndex,
  indexXrdKinds,
  KubernetesObject,
  parseXrd,
  ResourceIndex,
  ResourceTreeNode,
  splitApiVersion,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterCacheEvent,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { RowFacts, RowsTally, SummaryRow, SummaryRows } from './SummaryRows';

/**
 * How long a view may be served after a re-list of the cache. Under a burst
 * of re-lists (a cluster's kinds listed one by one at start) the view is
 * rebuilt at most once per this interval; a re-list shows within it.
 */
const DEFAULT_MAX_STALENESS_MS = 500;

const XRD_GROUP = 'apiextensions.crossplane.io';
const CRD_GROUP = 'apiextensions.k8s.io';

/** What is built from the whole cache at once, on a re-list. */
interface Built {
  builtAt: number;
  index: IncrementalResourceIndex;
  xrdByKind: Map<string, Xrd>;
  /** Per `group|kind`: how many are cached, and whether cluster-scoped. */
  kinds: Map<string, { count: number; clusterScoped: boolean }>;
}

/**
 * The indexed objects, resource trees and summary rows of one cluster,
 * kept current by the cache's events: an upserted or deleted object
 * updates the index, and the trees holding it (it and its ancestors) are
 * rebuilt when next read; nothing else is. The view is built whole only
 * on a re-list, and when XRDs or CRDs change (they decide what every
 * object of their kinds is, and which kinds are followed).
 */
export class ClusterView {
  readonly #maxStalenessMs: number;
  readonly #now: () => number;
  readonly #rows = new SummaryRows();
  #built?: Built;
  /** A re-list (or a change of kinds) the view has not been rebuilt for. */
  #stale = true;
  #generation = 0;
  /** Not rebuilt while pinned (see pin()). */
  #pins = 0;

  constructor(
    readonly cache: ClusterObjectCache,
    options: { maxStalenessMs?: number; now?: () => number } = {},
  ) {
    this.#maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
    this.#now = options.now ?? Date.now;
    cache.subscribe(event => this.#apply(event));
  }

  get cluster(): string {
    return this.cache.cluster;
  }

  /**
   * Grows with every change the view has taken in, and with every rebuild:
   * what is derived from the view at one generation holds until the next.
   * Read it after reading the view (which may rebuild it).
   */
  get generation(): number {
    return this.#generation;
  }

  index(): ResourceIndex {
    return this.#current().index;
  }

  /** One tree per claim and per composite of no claim or composite. */
  trees(): ResourceTreeNode[] {
    return this.#current().index.trees();
  }

  /** The tree of a claim or XR at a root (as `trees()` has it), if it is one. */
  treeOf(object: KubernetesObject): ResourceTreeNode | undefined {
    return this.#current().index.treeOf(object);
  }

  /** The trees the summary lists, worst health first (see compareRows). */
  summaryRows(): readonly SummaryRow[] {
    this.#current().index.trees();
    return this.#rows.rows;
  }

  /** The summary rows, in order, and their facts and counts, together. */
  summaryTally(factsOf: (row: SummaryRow) => RowFacts): {
    rows: readonly SummaryRow[];
    tally: RowsTally;
  } {
    const rows = this.summaryRows();
    const unpin = this.pin();
    try {
      return { rows, tally: this.#rows.tally(factsOf) };
    } finally {
      unpin();
    }
  }

  /**
   * Keeps the view as it is now, even past its staleness bound, until the
   * function returned is called: what is read of it meanwhile (rows, their
   * facts, trees) belongs together.
   */
  pin(): () => void {
    this.#current();
    this.#pins += 1;
    let pinned = true;
    return () => {
      if (pinned) this.#pins -= 1;
      pinned = false;
    };
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
    return this.#current().kinds.get(`${group}|${kind}`)?.clusterScoped;
  }

  /** The XRD that defines a claim or composite kind (`group|kind`). */
  xrdOf(object: KubernetesObject): Xrd | undefined {
    const group = object.apiVersion.split('/')[0];
    return this.#current().xrdByKind.get(`${group}|${object.kind}`);
  }

  #apply(event: ClusterCacheEvent) {
    // A failed watch keeps the last known objects: nothing changes.
    if (event.type === 'error' || event.type === 'reachability') return;
    this.#generation += 1;
    const built = this.#built;
    if (event.type === 'sync' || !built || this.#stale) {
      // The rebuild will read the cache as it is then.
      this.#stale = true;
      return;
    }
    const { object } = event;
    const group = splitApiVersion(object.apiVersion).group;
    if (
      (group === XRD_GROUP && object.kind === 'CompositeResourceDefinition') ||
      (group === CRD_GROUP && object.kind === 'CustomResourceDefinition')
    ) {
      this.#stale = true;
      return;
    }
    const key = `${group}|${object.kind}`;
    if (event.type === 'upsert') {
      if (!built.index.upsert(object)) return;
      const kind = built.kinds.get(key);
      if (kind) kind.count += 1;
      else
        built.kinds.set(key, {
          count: 1,
          clusterScoped: !object.metadata.namespace,
        });
    } else if (built.index.remove(object)) {
      const kind = built.kinds.get(key);
      if (kind && --kind.count === 0) built.kinds.delete(key);
    }
  }

  #current(): Built {
    const built = this.#built;
    // A view younger than the bound hides a re-list for no longer than it.
    if (
      built &&
      (this.#pins > 0 ||
        !this.#stale ||
        this.#now() - built.builtAt < this.#maxStalenessMs)
    ) {
      return built;
    }
    this.#built = this.#build();
    this.#stale = false;
    this.#generation += 1;
    return this.#built;
  }

  #build(): Built {
    const objects = this.cache.objects();
    const xrds: Xrd[] = [];
    const xrdByKind = new Map<string, Xrd>();
    const kinds = new Map<string, { count: number; clusterScoped: boolean }>();
    for (const object of objects) {
      const key = `${splitApiVersion(object.apiVersion).group}|${object.kind}`;
      const kind = kinds.get(key);
      if (kind) kind.count += 1;
      else
        kinds.set(key, { count: 1, clusterScoped: !object.metadata.namespace });
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
    // Kinds in the cache's order, so that first-wins choices and the order
    // of trees are those of a build from its list.
    const ranks = new Map<string, number>();
    this.cache.status().kinds.forEach((kind, rank) => {
      ranks.set(`${splitApiVersion(kind.apiVersion).group}|${kind.kind}`, rank);
    });
    const index = IncrementalResourceIndex.build(objects, {
      xrdKinds: indexXrdKinds(xrds),
      // What the cache does not watch (e.g. a composed ConfigMap) is not
      // missing, only not followed.
      follows: ref =>
        this.cache.kindStatus(
          splitApiVersion(ref.apiVersion).group,
          ref.kind,
        ) !== undefined,
      kindRank: (group, kind) => ranks.get(`${group}|${kind}`),
      onTreeChange: ({ removed, added }) => {
        if (this.#built?.index !== index) return;
        if (removed) this.#rows.remove(removed);
        if (added) this.#rows.add(added);
      },
    });
    this.#rows.reset(index.trees());
    return { builtAt: this.#now(), index, xrdByKind, kinds };
  }
}
