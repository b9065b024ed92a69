import { Health } from '../health/types';
import { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';

/**
 * A node of a resource tree: a claim, composite, composed resource or
 * connection Secret, with its own health and the health rolled up from
 * its descendants.
 *
 * @public
 */
export interface ResourceTreeNode {
  /**
   * The object; for a `missing` node (referenced but not found), a stub with
   * just apiVersion, kind, name and namespace. Optional in the type, as the
   * API contract has it, so that nodes can be built without one.
   */
  object?: KubernetesObject;
  ref: ObjectRef;
  class: ObjectClass;
  /** The object's own health. */
  health: Health;
  /** The worst health in this subtree. */
  rolledUpHealth: Health;
  /**
   * When the subtree is not healthy: the references from this node down to
   * the node whose own health is the rolled-up one (both included).
   */
  culpritPath?: ObjectRef[];
  children: ResourceTreeNode[];
  /** Referenced (e.g. in `spec.resourceRefs`) but not among the objects. */
  missing?: boolean;
}
