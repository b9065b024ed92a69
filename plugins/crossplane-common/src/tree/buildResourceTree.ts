import { KubernetesObject, ObjectRef } from '../model/types';
import { ResourceIndex } from './resourceIndex';
import { ResourceTreeNode, ResourceTreeOptions } from './types';

function indexOf(
  objects: readonly KubernetesObject[] | ResourceIndex,
  options?: ResourceTreeOptions,
): ResourceIndex {
  if (objects instanceof ResourceIndex) return objects;
  return new ResourceIndex(
    Array.isArray(objects) ? objects : [],
    options?.xrds,
  );
}

/**
 * Assembles the resource tree under `root` (a claim, a composite, or any
 * object) from a flat list of objects of one cluster, with each node's
 * health and the rolled-up health of its subtree (the worst wins, with the
 * path to the culprit). Dangling references become `missing` nodes; cycles
 * and duplicates are survived. Undefined when `root` is not in the list.
 * Pass a {@link ResourceIndex} instead of the list to build several trees
 * from one index.
 *
 * @public
 */
export function buildResourceTree(
  objects: readonly KubernetesObject[] | ResourceIndex,
  root: ObjectRef,
  options?: ResourceTreeOptions,
): ResourceTreeNode | undefined {
  return indexOf(objects, options).tree(root);
}

/**
 * Every tree in a list of objects of one cluster: one per claim, and one per
 * composite that has no claim and no parent composite.
 *
 * @public
 */
export function buildResourceTrees(
  objects: readonly KubernetesObject[] | ResourceIndex,
  xrds?: ResourceTreeOptions['xrds'],
): ResourceTreeNode[] {
  return indexOf(objects, { xrds }).trees();
}

/**
 * Visits every node of a tree, depth first, parents before children.
 *
 * @public
 */
export function walkResourceTree(
  root: ResourceTreeNode,
  visit: (node: ResourceTreeNode, depth: number) => void,
): void {
  const stack: [ResourceTreeNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    visit(node, depth);
    for (let i = node.children.length - 1; i >= 0; i--)
      stack.push([node.children[i], depth + 1]);
  }
}
