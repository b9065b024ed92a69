import { healthSeverity } from '../health/compare';
import { Health } from '../health/types';
import { XrdKindIndex } from '../model/classify';
import { objectRefToString } from '../model/objectRef';
import { KubernetesObject, ObjectRef } from '../model/types';
import { Xrd } from '../model/xrd';
import { ChildEntry, ResourceIndex, indexResources } from './resourceIndex';
import { ResourceTreeNode } from './types';

function isIndex(value: unknown): value is ResourceIndex {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as ResourceIndex).childrenOf === 'function'
  );
}

function toIndex(
  objects: readonly KubernetesObject[] | ResourceIndex,
  xrds?: readonly Xrd[] | XrdKindIndex,
): ResourceIndex {
  if (Array.isArray(objects)) return indexResources(objects, xrds);
  if (isIndex(objects)) return objects;
  return indexResources([], xrds);
}

function missingNode(index: ResourceIndex, ref: ObjectRef): ResourceTreeNode {
  const health: Health = {
    status: 'Unknown',
    reason: 'Missing',
    message: `${objectRefToString(ref)} is referenced but was not found`,
  };
  const stub: KubernetesObject = {
    apiVersion: ref.apiVersion ?? '',
    kind: ref.kind,
    metadata: ref.namespace
      ? { name: ref.name, namespace: ref.namespace }
      : { name: ref.name },
  };
  return {
    object: stub,
    ref,
    class: index.classOf(stub),
    health,
    rolledUpHealth: health,
    culpritPath: [ref],
    children: [],
    missing: true,
  };
}

/** Rolls the children's health up into a node: the worst wins, deepest cause first. */
function rollUp(node: ResourceTreeNode) {
  let worst: ResourceTreeNode | undefined;
  for (const child of node.children) {
    if (
      child.rolledUpHealth.status !== 'Healthy' &&
      (!worst ||
        healthSeverity(child.rolledUpHealth.status) >
          healthSeverity(worst.rolledUpHealth.status))
    ) {
      worst = child;
    }
  }
  if (
    worst &&
    healthSeverity(worst.rolledUpHealth.status) >=
      healthSeverity(node.health.status)
  ) {
    node.rolledUpHealth = worst.rolledUpHealth;
    node.culpritPath = [node.ref, ...(worst.culpritPath ?? [worst.ref])];
  } else {
    node.rolledUpHealth = node.health;
    if (node.health.status !== 'Healthy') node.culpritPath = [node.ref];
  }
}

interface Frame {
  node: ResourceTreeNode;
  entries: ChildEntry[];
  next: number;
}

function buildFrom(
  index: ResourceIndex,
  root: KubernetesObject,
): ResourceTreeNode {
  const visited = new Set<KubernetesObject>([root]);
  const makeNode = (
    obj: KubernetesObject,
    ref: ObjectRef,
  ): ResourceTreeNode => {
    const health = index.healthOf(obj);
    return {
      object: obj,
      ref,
      class: index.classOf(obj),
      health,
      rolledUpHealth: health,
      children: [],
    };
  };
  const rootNode = makeNode(root, refOfObject(root));
  // Iterative depth-first walk: deep chains cannot overflow the stack.
  const stack: Frame[] = [
    { node: rootNode, entries: index.childrenOf(root), next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.entries.length) {
      const entry = top.entries[top.next++];
      if (!entry.object) {
        top.node.children.push(missingNode(index, entry.ref));
        continue;
      }
      if (visited.has(entry.object)) continue; // cycles and shared children
      visited.add(entry.object);
      const child = makeNode(entry.object, entry.ref);
      top.node.children.push(child);
      stack.push({
        node: child,
        entries: index.childrenOf(entry.object),
        next: 0,
      });
    } else {
      rollUp(top.node);
      stack.pop();
    }
  }
  return rootNode;
}

function refOfObject(obj: KubernetesObject): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
  };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/**
 * Assembles the resource tree under an object from a flat list of objects
 * (Crossplane v1 and v2): claim → composite → composed resources (nested
 * composites, managed resources, provider-kubernetes Objects, anything
 * composed) and connection Secrets, by references (`spec.resourceRef`,
 * `spec.resourceRefs`, `spec.crossplane.resourceRefs`, `spec.claimRef`),
 * controller owner references and Crossplane's labels
 * (`crossplane.io/claim-name`, `crossplane.io/claim-namespace`,
 * `crossplane.io/composite`). Every node carries its own health and the
 * health rolled up from its subtree: the worst wins, and `culpritPath`
 * leads to the node that causes it (the deepest one on a tie).
 *
 * References to objects not in the list become `missing` nodes (health
 * `Unknown`); cycles and duplicates are cut, each object appearing once.
 * Returns undefined when the root is not among the objects. Pass the
 * result of {@link indexResources} instead of the list to build many
 * trees over the same objects.
 *
 * @public
 */
export function buildResourceTree(
  objects: readonly KubernetesObject[] | ResourceIndex,
  root: ObjectRef,
  xrds?: readonly Xrd[] | XrdKindIndex,
): ResourceTreeNode | undefined {
  const index = toIndex(objects, xrds);
  const rootObject = index.resolve(root);
  return rootObject ? buildFrom(index, rootObject) : undefined;
}

/**
 * Every resource tree in a list of objects: one per claim, and one per
 * composite that belongs to no claim or other composite, in the order of
 * the list. The objects are indexed once.
 *
 * @public
 */
export function buildResourceTrees(
  objects: readonly KubernetesObject[] | ResourceIndex,
  xrds?: readonly Xrd[] | XrdKindIndex,
): ResourceTreeNode[] {
  const index = toIndex(objects, xrds);
  const trees: ResourceTreeNode[] = [];
  for (const obj of index.objects) {
    const cls = index.classOf(obj);
    if (cls === 'claim') {
      trees.push(buildFrom(index, obj));
    } else if (cls === 'composite') {
      const parent = index.parentOf(obj);
      const parentClass = parent ? index.classOf(parent) : undefined;
      if (parentClass !== 'claim' && parentClass !== 'composite') {
        trees.push(buildFrom(index, obj));
      }
    }
  }
  return trees;
}
