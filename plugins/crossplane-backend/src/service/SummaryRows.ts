import {
  compareHealth,
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
 * One cluster's summary rows, kept in the summary's order as trees change:
 * a changed tree's row is taken out and put back in its place (a binary
 * search), instead of every row being sorted for every request.
 */
export class SummaryRows {
  #rows: SummaryRow[] = [];
  readonly #byTree = new Map<ResourceTreeNode, SummaryRow>();

  /** The rows, in order. */
  get rows(): readonly SummaryRow[] {
    return this.#rows;
  }

  /** Rows of these trees, sorted once (a full build). */
  reset(trees: readonly ResourceTreeNode[]) {
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
  }

  add(tree: ResourceTreeNode) {
    const row = rowOf(tree);
    this.#byTree.set(tree, row);
    this.#rows.splice(this.#position(row), 0, row);
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
 * Merges lists that are each in order into one in order (each cluster's
 * rows into the summary's), without sorting them again.
 */
export function mergeSorted<T>(
  lists: readonly T[][],
  compare: (a: T, b: T) => number,
): T[] {
  let merged: T[] = [];
  for (const list of lists) {
    if (merged.length === 0) {
      merged = list;
      continue;
    }
    const out: T[] = [];
    let i = 0;
    let j = 0;
    while (i < merged.length && j < list.length) {
      out.push(compare(list[j], merged[i]) < 0 ? list[j++] : merged[i++]);
    }
    while (i < merged.length) out.push(merged[i++]);
    while (j < list.length) out.push(list[j++]);
    merged = out;
  }
  return merged;
}
