import { DependencyGraphTypes } from '@backstage/core-components';
import { objectRefKey } from '@platformops/plugin-crossplane-common';
import { CrossplaneTreeNode } from '../../api/types';

/** Data of one graph node: the tree node and whether it is on the culprit path. */
export interface TreeGraphNodeData {
  node: CrossplaneTreeNode;
  isRoot: boolean;
  onCulpritPath: boolean;
}

/** Data of one graph edge. */
export interface TreeGraphEdgeData {
  onCulpritPath: boolean;
}

/**
 * The nodes and edges of a resource tree for DependencyGraph. A node's id is
 * its position in the tree, so that an object referenced twice is drawn
 * twice rather than folding the tree into a graph with cycles.
 */
export function toGraph(root: CrossplaneTreeNode): {
  nodes: DependencyGraphTypes.DependencyNode<TreeGraphNodeData>[];
  edges: DependencyGraphTypes.DependencyEdge<TreeGraphEdgeData>[];
} {
  const nodes: DependencyGraphTypes.DependencyNode<TreeGraphNodeData>[] = [];
  const edges: DependencyGraphTypes.DependencyEdge<TreeGraphEdgeData>[] = [];
  const culpritKeys = (root.culpritPath ?? []).map(objectRefKey);

  const visit = (
    node: CrossplaneTreeNode,
    id: string,
    depth: number,
    parentOnPath: boolean,
  ) => {
    // The culprit path is a chain from the root; a node is on it when its
    // parent is and it is the next reference of the chain.
    const onCulpritPath =
      parentOnPath && culpritKeys[depth] === objectRefKey(node.ref);
    nodes.push({ id, node, isRoot: depth === 0, onCulpritPath });
    node.children.forEach((child, index) => {
      const childId = `${id}.${index}`;
      const childOnPath =
        onCulpritPath && culpritKeys[depth + 1] === objectRefKey(child.ref);
      edges.push({ from: id, to: childId, onCulpritPath: childOnPath });
      visit(child, childId, depth + 1, onCulpritPath);
    });
  };
  visit(root, '0', 0, true);
  return { nodes, edges };
}
