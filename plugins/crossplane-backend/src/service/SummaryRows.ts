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

/**
 * What the summary decides on about a listed tree besides its health, as
 * its object decides it alone, without its ancestors (for the many trees
 * whose object has none, what it is).
 */
export interface RowFacts {
  /** The permission subject of the tree's object, as its own root. */
  subject: CrossplanePermissionSubject;
  xrd?: string;
  owner: string;
}

/** A count per value, for the summary's filter options. */
export class Counted {
  readonly #counts = new Map<string, number>();

  /** Counts a value; an empty one is no option. */
  add(value: string | undefined, by = 1) {
    if (!value) return;
    const count = (this.#counts.get(value) ?? 0) + by;
    if (count > 0) this.#counts.set(value, count);
    else this.#counts.delete(value);
  }

  remove(value: string | undefined) {
    this.add(value, -1);
  }

  values(): IterableIterator<string> {
    return this.#counts.keys();
  }

  copy(): Counted {
    const copy = new Counted();
    for (const [value, count] of this.#counts) copy.add(value, count);
    return copy;
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
    if (this.#rows.has(row)) return;
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
  /** Rows added since the tally was last brought up to date. */
  readonly #added = new Set<SummaryRow>();

  /** The rows, in order. */
  get rows(): readonly SummaryRow[] {
    return this.#rows;
  }

  /** Rows of these trees, sorted once (a full build). */
  reset(trees: readonly ResourceTreeNode[]) {
    this.#tally = undefined;
    this.#added.clear();
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
    // Counted out at once: nothing of a gone row waits for a read.
    if (this.#tally && !this.#added.delete(row)) this.#tally.remove(row);
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
      // Kept only once whole: a throw leaves no half-counted tally.
      const tally = new RowsTally();
      for (const row of this.#rows) tally.add(row, factsOf(row));
      this.#tally = tally;
      this.#added.clear();
      return tally;
    }
    for (const row of this.#added) {
      this.#tally.add(row, factsOf(row));
      this.#added.delete(row);
    }
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
