/**
 * An owner reference in `metadata.ownerReferences`.
 *
 * @public
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * The metadata of a Kubernetes object, as far as PlatformOps reads it.
 *
 * @public
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
  resourceVersion?: string;
  generation?: number;
  [key: string]: unknown;
}

/**
 * Any Kubernetes object: Crossplane's own kinds, claims, composites,
 * managed resources and plain Kubernetes resources alike.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, any>;
  status?: Record<string, any>;
  [key: string]: unknown;
}

/**
 * A status condition, as Crossplane and Kubernetes write them in
 * `status.conditions`.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * A reference to an object: kind and name, optionally the API version and
 * namespace. The version is not significant when matching references to
 * objects; the API group is.
 *
 * @public
 */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * What an object is, from Crossplane's point of view.
 *
 * @public
 */
export type ObjectClass =
  | 'xrd'
  | 'composition'
  | 'claim'
  | 'composite'
  | 'managed'
  | 'provider'
  | 'function'
  | 'configuration'
  | 'workload'
  | 'secret'
  | 'other';
