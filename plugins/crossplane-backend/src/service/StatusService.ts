import { NotFoundError } from '@backstage/errors';
import {
  buildResourceTree,
  compareHealth,
  CrossplaneObjectId,
  describeObjectId,
  EntityMappingConfig,
  entityRefOf,
  objectRefKey,
  sameObjectRef,
  getConditions,
  Health,
  ownerOf,
  HEALTH_STATUSES,
  KubernetesObject,
  ObjectClass,
  ObjectRef,
  redactObject,
  refOf,
  ResourceTreeNode,
  toYaml,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterObjectCache,
  CrossplaneClusters,
  CrossplaneObjectCache,
  unknownClusterError,
} from '@platformops/plugin-crossplane-node';
import { ClusterVersions } from './ClusterVersions';
import { ClusterView } from './ClusterView';
import { PermissionSubjects } from './PermissionSubjects';
import { StampedJson } from './StampedJson';
import { everyObject, Visibility } from './Visibility';
import { mergedPage, RowFacts, RowsTally, SummaryRow } from './SummaryRows';
import type {
  CrossplaneClusterStatus,
  CrossplaneEvent,
  CrossplanePermissionSubject,
  CrossplaneResourceSummary,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneTreeNode,
} from '@platformops/plugin-crossplane-common';

/** A summary shared by callers who see every object, and its JSON text. */
interface SharedSummary {
  summary: CrossplaneSummary;
  /** Made when first sent; stamped with the time of each answer. */
  json?: StampedJson;
}

/** How long a cluster's cache is quiet after a (re-)list before its view is built ahead. */
const DEFAULT_WARM_UP_QUIET_MS = 2_000;

/** Distinct filter and page combinations kept between two changes. */
const MAX_SHARED_SUMMARIES = 32;

function emptyCounts(): Record<string, number> {
  return Object.fromEntries(HEALTH_STATUSES.map(s => [s, 0]));
}

/**
 * Live status of every cluster, read from the shared watch cache; only YAML
 * and events go to the cluster itself.
 */
export class StatusService {
  readonly #cache: CrossplaneObjectCache;
  /** Each cache's view, made when first seen: clusters come and go. */
  readonly #viewOf = new WeakMap<ClusterObjectCache, ClusterView>();
  readonly #clusters: CrossplaneClusters;
  readonly #versions: ClusterVersions;
  readonly #mapping: EntityMappingConfig;
  /** What permission rules decide on, worked out from these clusters. */
  readonly subjects: PermissionSubjects;
  /** Summaries for callers who see every object, at the views' generations. */
  readonly #sharedSummaries = new Map<string, SharedSummary>();
  #sharedSummariesAt = '';

  constructor(options: {
    cache: CrossplaneObjectCache;
    clusters: CrossplaneClusters;
    /** Which objects the catalog ingests and how: links go to those only. */
    mapping: EntityMappingConfig;
  }) {
    this.#cache = options.cache;
    this.#clusters = options.clusters;
    this.#versions = new ClusterVersions({
      clients: cluster => options.clusters.get(cluster),
    });
    this.#mapping = options.mapping;
    this.subjects = new PermissionSubjects({
      view: cluster => this.#views.find(v => v.cluster === cluster),
      ownerOf: object => this.#ownerOf(object),
    });
  }

  /**
   * Builds each cluster's view, trees, summary rows and counts ahead of the
   * first request, once the cluster's cache is in sync and quiet for
   * `quietMs` after a (re-)list: otherwise the first visitor of the summary
   * waits for them, about a second per 30 000 objects. Returns the stop.
   */
  warmUp(options: { quietMs?: number } = {}): () => void {
    const quietMs = options.quietMs ?? DEFAULT_WARM_UP_QUIET_MS;
    const stops = new Map<ClusterObjectCache, () => void>();
    const follow = (cache: ClusterObjectCache) => {
      if (stops.has(cache)) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const warm = () => {
        timer = undefined;
        const view = this.#views.find(v => v.cache === cache);
        if (!view || !cache.status().synced) return;
        try {
          this.#tallyOf(view);
        } catch {
          // A request reading the view meets the same error and reports it.
        }
      };
      const unsubscribe = cache.subscribe(event => {
        if (event.type !== 'sync') return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(warm, quietMs);
        timer.unref?.();
      });
      stops.set(cache, () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
      });
      if (cache.status().synced) {
        timer = setTimeout(warm, quietMs);
        timer.unref?.();
      }
    };
    this.#cache.caches().forEach(follow);
    const unsubscribe = this.#cache.subscribe?.(({ added, removed }) => {
      for (const cache of removed) {
        stops.get(cache)?.();
        stops.delete(cache);
      }
      added.forEach(follow);
    });
    return () => {
      unsubscribe?.();
      stops.forEach(stop => stop());
      stops.clear();
    };
  }

  /** The view of each cluster known now. */
  get #views(): ClusterView[] {
    return this.#cache.caches().map(cache => {
      let view = this.#viewOf.get(cache);
      if (!view) {
        view = new ClusterView(cache);
        this.subjects.follow(view);
        this.#viewOf.set(cache, view);
        this.#versions.follow(cache);
      }
      return view;
    });
  }

  /**
   * Every cluster's state; object counts only for a caller who may read
   * every object (`withCounts`), since counts of hidden objects tell about
   * them.
   */
  async clusters(
    options: { withCounts?: boolean } = {},
  ): Promise<CrossplaneClusterStatus[]> {
    return Promise.all(
      this.#views.map(async ({ cache }) => {
        const status = cache.status();
        const item: CrossplaneClusterStatus = {
          name: cache.cluster,
          reachable: status.reachable,
          synced: status.synced,
          objectCount: options.withCounts ? status.objectCount : undefined,
          lastError: status.lastError,
          lastErrorAt: status.lastErrorAt,
        };
        if (status.failingKinds.length > 0) {
          item.failingKinds = status.failingKinds;
        }
        const version = await this.#versions.get(cache.cluster);
        if ('gitVersion' in version) {
          item.kubernetesVersion = version.gitVersion;
        } else {
          item.reachable = false;
          item.lastError = item.lastError ?? version.error;
        }
        return item;
      }),
    );
  }

  /**
   * Claims and composites of every cluster with their health, worst first,
   * the requested page of them in full. Objects the caller may not see are
   * left out entirely: from the list, the counts and the filter options,
   * which would otherwise name their owners and namespaces.
   */
  summary(
    filters: CrossplaneSummaryFilters,
    visible: Visibility,
    page: CrossplaneSummaryPage = {},
  ): CrossplaneSummary {
    if (visible !== everyObject) return this.#summary(filters, visible, page);
    const { summary } = this.#sharedSummary(filters, page);
    return { ...summary, generatedAt: new Date().toISOString() };
  }

  /**
   * The summary as JSON, as `GET /summary` answers it. For callers who see
   * every object it is kept with the shared summary (text and compressed),
   * as serializing and compressing a page of 500 rows costs more than
   * finding them; for others it is the text of their own summary.
   */
  summaryJson(
    filters: CrossplaneSummaryFilters,
    visible: Visibility,
    page: CrossplaneSummaryPage,
  ): string | StampedJson {
    if (visible !== everyObject) {
      return JSON.stringify(this.#summary(filters, visible, page));
    }
    const shared = this.#sharedSummary(filters, page);
    shared.json ??= new StampedJson('generatedAt', shared.summary);
    // A page of every row may be tens of megabytes: kept as text only, and
    // compressed as it is sent, not held compressed as well.
    return page.limit === undefined ? shared.json.text() : shared.json;
  }

  /**
   * The summary for callers who see every object, as any such caller got
   * it since the last change: a page polled by many, or asked again, is
   * worked out once per change instead of once per request.
   */
  #sharedSummary(
    filters: CrossplaneSummaryFilters,
    page: CrossplaneSummaryPage,
  ): SharedSummary {
    const views = this.#views;
    views.forEach(view => view.summaryRows());
    const at = views.map(v => `${v.cluster}@${v.generation}`).join(',');
    if (at !== this.#sharedSummariesAt) {
      this.#sharedSummaries.clear();
      this.#sharedSummariesAt = at;
    }
    const key = JSON.stringify([filters, page.offset, page.limit]);
    let shared = this.#sharedSummaries.get(key);
    if (!shared) {
      shared = { summary: this.#summary(filters, everyObject, page) };
      if (this.#sharedSummaries.size >= MAX_SHARED_SUMMARIES) {
        this.#sharedSummaries.clear();
      }
      this.#sharedSummaries.set(key, shared);
    }
    return shared;
  }

  /**
   * A listed tree's facts as its object decides them alone, worked out
   * once per row and kept with the cluster's rows and counts.
   */
  #ownFacts(view: ClusterView, row: SummaryRow): RowFacts {
    const object = row.tree.object as KubernetesObject;
    return this.#factsWith(view, object, this.subjects.ofRoot(view, object));
  }

  /**
   * A listed tree's facts with its ancestors: for most trees, the object
   * has none and they are its own; a tree whose object has a parent (a
   * claim composed by another XR) is judged by its topmost ancestor, as
   * every route judges it, and that may change without the tree changing.
   */
  #factsOf(view: ClusterView, row: SummaryRow, tally: RowsTally): RowFacts {
    const object = row.tree.object as KubernetesObject;
    if (view.index().parentOf(object) === undefined) return tally.factsOf(row)!;
    return this.#factsWith(view, object, this.subjects.ofObject(view, object));
  }

  #factsWith(
    view: ClusterView,
    object: KubernetesObject,
    subject: CrossplanePermissionSubject,
  ): RowFacts {
    return {
      subject,
      xrd: view.xrdOf(object)?.name,
      owner: subject.owner ?? this.#ownerOf(object),
    };
  }

  /** A cluster's summary rows with their facts and counts, up to date. */
  #tallyOf(view: ClusterView) {
    return view.summaryTally(row => this.#ownFacts(view, row));
  }

  #summary(
    filters: CrossplaneSummaryFilters,
    visible: Visibility,
    page: CrossplaneSummaryPage,
  ): CrossplaneSummary {
    // In the order of their names: among rows of equal health, the cluster
    // of the earlier name comes first. Each kept as it is while read.
    const views = this.#views.sort((a, b) =>
      a.cluster.localeCompare(b.cluster),
    );
    const unpins = views.map(view => view.pin());
    try {
      return this.#summaryOf(views, filters, visible, page);
    } finally {
      unpins.forEach(unpin => unpin());
    }
  }

  #summaryOf(
    views: ClusterView[],
    filters: CrossplaneSummaryFilters,
    visible: Visibility,
    page: CrossplaneSummaryPage,
  ): CrossplaneSummary {
    const totals = emptyCounts();
    const byCluster: { cluster: string; counts: Record<string, number> }[] = [];
    const options = {
      clusters: new Set<string>(),
      xrds: new Set<string>(),
      owners: new Set<string>(),
      namespaces: new Set<string>(),
    };
    // What counting and paging need; the full summary only for the page.
    // Each cluster's rows are kept in order, with their counts: a caller
    // who sees every row and filters none of them out by its facts takes
    // them as they are; others go through them one by one.
    const everyRow =
      visible === everyObject &&
      !filters.xrd?.length &&
      !filters.owner?.length &&
      !filters.namespace?.length &&
      !filters.health?.length;
    const matches = (list: string[] | undefined, value: string | undefined) =>
      !list ||
      list.length === 0 ||
      (value !== undefined && list.includes(value));
    const listedViews: ClusterView[] = [];
    const listedByCluster: (readonly SummaryRow[])[] = [];

    for (const view of views) {
      options.clusters.add(view.cluster);
      if (!matches(filters.cluster, view.cluster)) continue;
      const { rows, tally } = this.#tallyOf(view);
      let counts = emptyCounts();
      let listed: readonly SummaryRow[];
      if (everyRow) {
        counts = { ...counts, ...tally.counts };
        // The owners of trees judged by an ancestor: those, not their own.
        let owners = tally.owners;
        for (const row of rows) {
          const object = row.tree.object as KubernetesObject;
          if (view.index().parentOf(object) === undefined) continue;
          if (owners === tally.owners) owners = owners.copy();
          owners.remove(tally.factsOf(row)!.owner);
          owners.add(this.#factsOf(view, row, tally).owner);
        }
        for (const value of tally.xrds.values()) options.xrds.add(value);
        for (const value of owners.values()) options.owners.add(value);
        for (const value of tally.namespaces.values())
          options.namespaces.add(value);
        listed = rows;
      } else {
        const filtered: SummaryRow[] = [];
        for (const row of rows) {
          const { subject, xrd, owner } = this.#factsOf(view, row, tally);
          if (!visible(subject)) continue;
          if (xrd) options.xrds.add(xrd);
          options.owners.add(owner);
          if (row.namespace) options.namespaces.add(row.namespace);
          if (
            !matches(filters.xrd, xrd) ||
            !matches(filters.owner, owner) ||
            !matches(filters.namespace, row.namespace)
          ) {
            continue;
          }
          const status = row.tree.rolledUpHealth.status;
          counts[status] += 1;
          if (matches(filters.health, status)) filtered.push(row);
        }
        listed = filtered;
      }
      for (const status of HEALTH_STATUSES) totals[status] += counts[status];
      listedViews.push(view);
      listedByCluster.push(listed);
      byCluster.push({ cluster: view.cluster, counts });
    }

    const offset = page.offset ?? 0;
    const total = listedByCluster.reduce((sum, l) => sum + l.length, 0);
    // Within a cluster the rows are in order; across, health decides, then
    // the cluster (the earlier list among equals).
    const slice = mergedPage(
      listedByCluster,
      (a, b) => compareHealth(b.tree.rolledUpHealth, a.tree.rolledUpHealth),
      offset,
      page.limit === undefined ? total : offset + page.limit,
    );
    const sorted = (set: Set<string>) => [...set].sort();
    return {
      generatedAt: new Date().toISOString(),
      totals,
      byCluster,
      filters: {
        clusters: sorted(options.clusters),
        xrds: sorted(options.xrds),
        owners: sorted(options.owners),
        namespaces: sorted(options.namespaces),
      },
      resources: slice.map(({ list, item }) =>
        this.#summarize(listedViews[list], item.tree),
      ),
      page: { offset, limit: page.limit, total },
    };
  }

  /**
   * The claims and XRs at the roots of the resource trees (those the
   * summary lists) that the caller may see, of the clusters named (every
   * cluster when none is), with their rolled-up health.
   */
  roots(
    clusters: string[] | undefined,
    visible: Visibility,
  ): {
    cluster: string;
    object: KubernetesObject;
    objectClass: ObjectClass;
    health: Health;
  }[] {
    const roots = [];
    for (const view of this.#views) {
      if (clusters?.length && !clusters.includes(view.cluster)) continue;
      for (const tree of view.trees()) {
        const object = tree.object as KubernetesObject;
        if (!visible(this.subjects.ofObject(view, object))) continue;
        roots.push({
          cluster: view.cluster,
          object,
          objectClass: tree.class,
          health: tree.rolledUpHealth,
        });
      }
    }
    return roots;
  }

  /**
   * The resource tree of an object the cache holds: the whole tree for a
   * claim or XR, its own subtree for anything else.
   */
  tree(id: CrossplaneObjectId): CrossplaneTreeNode {
    const { view, object } = this.#find(id);
    const root =
      view.treeOf(object) ??
      (buildResourceTree(view.index(), refOf(object)) as ResourceTreeNode);
    return this.#wireNode(view, root);
  }

  /**
   * A cached object, what it is, and the objects below it in its resource
   * tree (those parent and child agree on); NotFoundError otherwise.
   */
  cached(id: CrossplaneObjectId): {
    object: KubernetesObject;
    objectClass: ObjectClass;
    composed: KubernetesObject[];
  } {
    const { view, object } = this.#find(id);
    const root =
      view.treeOf(object) ??
      (buildResourceTree(view.index(), refOf(object)) as ResourceTreeNode);
    const composed: KubernetesObject[] = [];
    const collect = (node: ResourceTreeNode) =>
      node.children.forEach(child => {
        if (child.object && !child.missing) composed.push(child.object);
        collect(child);
      });
    collect(root);
    return { object, objectClass: root.class, composed };
  }

  /** The live object, redacted, as YAML; only objects the cache holds. */
  async yaml(id: CrossplaneObjectId): Promise<string> {
    const { object: cached } = this.#find(id);
    const object = await this.#clusters.get(id.cluster).get({
      apiVersion: cached.apiVersion,
      kind: cached.kind,
      namespace: cached.metadata.namespace,
      name: cached.metadata.name,
    });
    if (!object) throw notFound(id);
    return toYaml(redactObject(object));
  }

  async events(
    id: CrossplaneObjectId,
    includeTree: boolean,
  ): Promise<CrossplaneEvent[]> {
    const client = this.#clusters.get(id.cluster);
    const wanted = new Set<string>();
    const namespaces = new Set<string>();
    const collect = (node: CrossplaneTreeNode) => {
      wanted.add(objectRefKey(node.ref));
      // Events of cluster-scoped objects are recorded in `default`.
      namespaces.add(node.ref.namespace ?? 'default');
      if (includeTree) node.children.forEach(collect);
    };
    collect(this.tree(id));
    const items: CrossplaneEvent[] = [];
    for (const namespace of namespaces) {
      const { items: events } = await client.list('v1', 'Event', { namespace });
      for (const event of events) {
        const involved = (
          event as {
            involvedObject?: {
              apiVersion?: string;
              kind?: string;
              namespace?: string;
              name?: string;
            };
          }
        ).involvedObject;
        if (!involved?.kind || !involved.name) continue;
        if (!wanted.has(objectRefKey(involved as ObjectRef))) continue;
        const e = event as Record<string, any>;
        items.push({
          involvedObject: {
            kind: involved.kind,
            namespace: involved.namespace,
            name: involved.name,
          },
          type: e.type ?? 'Normal',
          reason: e.reason,
          message: e.message,
          count: e.count ?? e.series?.count,
          firstTimestamp: e.firstTimestamp ?? e.eventTime,
          lastTimestamp:
            e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime,
          ...(e.source?.component || e.reportingController
            ? { source: e.source?.component || e.reportingController }
            : {}),
        });
      }
    }
    return items.sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    );
  }

  /** The cached object of an identity; NotFoundError when there is none. */
  #find(id: CrossplaneObjectId): {
    view: ClusterView;
    object: KubernetesObject;
  } {
    const view = this.#view(id.cluster);
    const object = view.find(id);
    if (!object) throw notFound(id);
    return { view, object };
  }

  #view(cluster: string): ClusterView {
    const view = this.#views.find(v => v.cluster === cluster);
    if (!view) {
      throw unknownClusterError(
        cluster,
        this.#views.map(v => v.cluster),
      );
    }
    return view;
  }

  /**
   * The owner of a claim or XR at the root of a tree, by the catalog's
   * rule; a root's claim, if it had one in the cache, would be the root.
   */
  #ownerOf(object: KubernetesObject): string {
    return ownerOf(object, {
      rules: this.#mapping.owner,
      entityNamespace: this.#mapping.entityNamespace,
    });
  }

  #summarize(
    view: ClusterView,
    tree: ResourceTreeNode,
  ): CrossplaneResourceSummary {
    const object = tree.object as KubernetesObject;
    const objectClass = tree.class === 'claim' ? 'claim' : 'composite';
    const culpritRef = tree.culpritPath?.[tree.culpritPath.length - 1];
    const culprit = culpritRef ? findNode(tree, culpritRef) : undefined;
    return {
      cluster: view.cluster,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      objectClass,
      xrd: view.xrdOf(object)?.name,
      owner: this.#ownerOf(object),
      entityRef: this.#entityRef(view.cluster, object, objectClass),
      health: tree.health,
      rolledUpHealth: tree.rolledUpHealth,
      culpritPath: tree.culpritPath,
      culprit:
        culprit && culprit !== tree
          ? { ref: culprit.ref, health: culprit.health }
          : undefined,
    };
  }

  #wireNode(view: ClusterView, node: ResourceTreeNode): CrossplaneTreeNode {
    const object = node.object;
    return {
      ref: object
        ? {
            apiVersion: object.apiVersion,
            kind: object.kind,
            namespace: object.metadata.namespace,
            name: object.metadata.name,
          }
        : node.ref,
      objectClass: node.class,
      health: node.health,
      rolledUpHealth: node.rolledUpHealth,
      conditions: object ? getConditions(object) : [],
      culpritPath: node.culpritPath,
      missing: node.missing,
      entityRef: object
        ? this.#entityRef(view.cluster, object, node.class)
        : undefined,
      children: node.children.map(child => this.#wireNode(view, child)),
    };
  }

  #entityRef(cluster: string, object: KubernetesObject, objectClass: string) {
    return entityRefOf(object, objectClass, cluster, this.#mapping);
  }
}

function findNode(
  tree: ResourceTreeNode,
  ref: ObjectRef,
): ResourceTreeNode | undefined {
  if (sameObjectRef(tree.ref, ref)) return tree;
  for (const child of tree.children) {
    const found = findNode(child, ref);
    if (found) return found;
  }
  return undefined;
}

function notFound(id: CrossplaneObjectId): NotFoundError {
  return new NotFoundError(`${describeObjectId(id)}: not found`);
}
