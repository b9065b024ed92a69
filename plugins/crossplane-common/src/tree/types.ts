import { Health } from '../health/types';
import { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';

/**
 * A node of a resource tree: a claim, a composite, or a composed resource.
 *
 * @public
 */
export interface ResourceTreeNode {
  object: KubernetesObject;
  ref: ObjectRef;
  class: ObjectClass;
  /** The object's own health. */
  health: Health;
  /** The worst health in this subtree (the node's own or a descendant's). */
  rolledUpHealth: Health;
  /**
   * When the subtree is not healthy: the references from this node down to
   * the object whose health is {@link ResourceTreeNode.rolledUpHealth}
   * (this node first, the culprit last).
   */
  culpritPath?: ObjectRef[];
  children: ResourceTreeNode[];
  /** A referenced object that is not in the list (dangling reference). */
  missing?: boolean;
}

/**
 * Options of the tree builders.
 *
 * @public
 */
export interface ResourceTreeOptions {
  /** XRDs, to recognise claims and composites by kind (shape is used otherwise). */
  xrds?: readonly import('../model/xrd').Xrd[];
}
