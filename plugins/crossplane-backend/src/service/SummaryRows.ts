import {
  compareHealth,
  CrossplanePermissionSubject,
  KubernetesObject,
  ResourceTreeNode,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';

/** A tree the summary lists, with what its order is decided on. */
export interface SummaryRow {
  tree: ResourceTreeNode;
  namespace?: string;
  name: string;
  kind: string;
  group: string;
}

/** As `localeCompare` orders names, built once. */
const collator = new Intl.Collator();

function binary(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The summary's order within a cluster: worst rolled-up health first, then
 * namespace and name; kind and group make it total, so that an order kept
 * row by row is the order a sort would give.
 */
export function compareRows(a: SummaryRow, b: SummaryRow): number {
  const an = a.namespace ?? '';
  const bn = b.namespace ?? '';
  return (
    compareHealth(b.tree.rolledUpHealth, a.tree.rolledUpHealth) ||
    collator.compare(an, bn) ||
    collator.compare(a.name, b.name) ||
    binary(a.kind, b.kind) ||
    binary(a.group, b.group) ||
    binary(an, bn) ||
    binary(a.name, b.name)
  );
}

export function rowOf(tree: ResourceTreeNode): SummaryRow {
  const object = tree.object as KubernetesObject;
  return {
    tree,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    kind: object.kind,
    group: splitApiVersion(object.apiVersion).group,
  };
}

/** What the summary decides on about a listed tree besides its health. */
export interface RowFacts {
  /** The permission subject of the tree's object. */
  subject: CrossplanePermissionSubject;
  xrd?: string;
  owner: string;
}

/** A count per value, for the summary's filter options. */
class Counted {
  readonly #counts = new Map<string, number>();

  add(value: string | undefined) {
    if (value !== undefined)
      this.#counts.set(value, (this.#counts.get(value) ?? 0) + 1);
  }

  remove(value: string | undefined) {
    if (value === undefined) return;
    const count = (this.#counts.get(value) ?? 0) - 1;
    if (count > 0) this.#counts.set(value, count);
    else this.#counts.delete(value);
  }

  values(): IterableIterator<string> {
    return this.#counts.keys();
  }
}

/**
 * The rows' facts, and their counts by health and values of the filters:
 * what a summary of every row needs besides its page.
 */
export class RowsTally {
  /** Each row's facts, and its health as counted. */
  readonly #rows = new Map<SummaryRow, { facts: RowFacts; status: string }>();
  readonly counts: Record<string, number> = {};
  readonly owners = new Counted();
  readonly namespaces = new Counted();
  readonly xrds = new Counted();

  /** The facts of a row tallied. */
  factsOf(row: SummaryRow): RowFacts | undefined {
    return this.#rows.get(row)?.facts;
  }

  add(row: SummaryRow, facts: RowFacts) {
    const status = row.tree.rolledUpHealth.status;
    this.#rows.set(row, { facts, status });
    this.counts[status] = (this.counts[status] ?? 0) + 1;
    this.owners.add(facts.owner);
    this.namespaces.add(row.namespace);
    this.xrds.add(facts.xrd);
  }

  remove(row: SummaryRow) {
    const tallied = this.#rows.get(row);
    if (!tallied) return;
    const { facts, status } = tallied;
    this.#rows.delete(row);
    this.counts[status] -= 1;
    this.owners.remove(facts.owner);
    this.namespaces.remove(row.namespace);
    this.xrds.remove(facts.xrd);
  }
}

/**
 * One cluster's summary rows, kept in the summary's order as trees change:
 * a changed tree's row is taken out and put back in its place (a binary
 * search), instead of every row being sorted for every request. Their
 * tally follows them, brought up to date when asked for: a row's facts are
 * read from the view, which is only whole between two changes.
 */
export class SummaryRows {
  #rows: SummaryRow[] = [];
  readonly #byTree = new Map<ResourceTreeNode, SummaryRow>();
  #tally?: RowsTally;
  /** Rows added and removed since the tally was last brought up to date. */
  readonly #added = new Set<SummaryRow>();
  #removed: SummaryRow[] = [];

  /** The rows, in order. */
  get rows(): readonly SummaryRow[] {
    return this.#rows;
  }

  /** Rows of these trees, sorted once (a full build). */
  reset(trees: readonly ResourceTreeNode[]) {
    this.#tally = undefined;
    this.#added.clear();
    this.#removed = [];
    this.#byTree.clear();
    this.#rows = trees.map(tree => {
      const row = rowOf(tree);
      this.#byTree.set(tree, row);
      return row;
    });
    this.#rows.sort(compareRows);
  }

  remove(tree: ResourceTreeNode) {
    const row = this.#byTree.get(tree);
    if (!row) return;
    this.#byTree.delete(tree);
    const at = this.#position(row);
    if (this.#rows[at] === row) this.#rows.splice(at, 1);
    if (this.#tally && !this.#added.delete(row)) this.#removed.push(row);
  }

  add(tree: ResourceTreeNode) {
    const row = rowOf(tree);
    this.#byTree.set(tree, row);
    this.#rows.splice(this.#position(row), 0, row);
    if (this.#tally) this.#added.add(row);
  }

  /** The rows' tally, brought up to date with `factsOf` for new rows. */
  tally(factsOf: (row: SummaryRow) => RowFacts): RowsTally {
    if (!this.#tally) {
      this.#tally = new RowsTally();
      for (const row of this.#rows) this.#tally.add(row, factsOf(row));
      return this.#tally;
    }
    for (const row of this.#removed) this.#tally.remove(row);
    for (const row of this.#added) this.#tally.add(row, factsOf(row));
    this.#removed = [];
    this.#added.clear();
    return this.#tally;
  }

  #position(row: SummaryRow): number {
    let lo = 0;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRows(this.#rows[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The items at positions `from` to `to` (exclusive) of the lists merged in
 * order, the lists being each in order already (each cluster's rows, in
 * the summary's order): a page costs the positions up to its end, not a
 * merge of every row.
 */
export function mergedPage<T>(
  lists: readonly (readonly T[])[],
  compare: (a: T, b: T) => number,
  from: number,
  to: number,
): { list: number; item: T }[] {
  const heads = lists.map(() => 0);
  const page: { list: number; item: T }[] = [];
  for (let at = 0; at < to; at++) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      if (heads[l] >= lists[l].length) continue;
      if (
        best < 0 ||
        compare(lists[l][heads[l]], lists[best][heads[best]]) < 0
      ) {
        best = l;
      }
    }
    if (best < 0) break;
    const item = lists[best][heads[best]++];
    if (at >= from) page.push({ list: best, item });
  }
  return page;
}
