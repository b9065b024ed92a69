import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  apiVersionOf,
  CrossplaneObjectId,
  objectIdProblems,
  parseObjectId,
} from './identity/objectId';

/**
 * The resource type of PlatformOps permissions: a Kubernetes object in a
 * cluster, identified by cluster, namespace, kind and name.
 *
 * @public
 */
export const CROSSPLANE_RESOURCE_TYPE = 'crossplane-resource';

/**
 * The resource ref of an object in a permission request:
 * `<cluster>:<apiVersion>/<kind>/<namespace>/<name>` (empty namespace for
 * cluster-scoped objects). It names the object only: what the rules decide
 * on (e.g. the namespace of the claim that owns a cluster-scoped composite)
 * is looked up from the cluster by the status backend, never read from the
 * ref.
 *
 * @public
 */
export function crossplaneResourceRef(
  object:
    | CrossplaneObjectId
    | {
        cluster: string;
        apiVersion: string;
        kind: string;
        namespace?: string;
        name: string;
      },
): string {
  const apiVersion =
    'apiVersion' in object ? object.apiVersion : apiVersionOf(object);
  return `${object.cluster}:${apiVersion}/${object.kind}/${
    object.namespace ?? ''
  }/${object.name}`;
}

/**
 * Reads a ref made by {@link crossplaneResourceRef}, exactly (the same
 * checks as {@link parseObjectId}); undefined when it is not one.
 *
 * @public
 */
export function parseCrossplaneResourceRef(
  ref: string,
): CrossplaneObjectId | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^([^:]+):(.+)\/([^/]+)\/([^/]*)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  const [, cluster, apiVersion, kind, namespace, name] = match;
  const input = { cluster, apiVersion, kind, namespace, name };
  if (objectIdProblems(input).length > 0) return undefined;
  return parseObjectId(input);
}

/**
 * What the permission rules of PlatformOps decide on: the object, and who it
 * belongs to. A cluster-scoped composite or managed resource belongs to the
 * claim or XR at the root of its resource tree, so it is judged by that
 * root's namespace and owner, on Crossplane v1 and v2 alike.
 *
 * @public
 */
export interface CrossplanePermissionSubject {
  cluster: string;
  apiVersion: string;
  kind: string;
  /** The object's own namespace; absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
  /**
   * The namespace namespace rules apply to: the object's own, or for a
   * cluster-scoped object the namespace of the claim or XR that owns it
   * (through its composite); absent when no namespaced object owns it.
   */
  governingNamespace?: string;
  /** The owner entity of the root of its tree, as the catalog maps it. */
  owner?: string;
}

/**
 * Read the status and resource tree of Crossplane objects.
 *
 * @public
 */
export const crossplaneReadPermission = createPermission({
  name: 'crossplane.resource.read',
  attributes: { action: 'read' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * See the configured clusters: reachable or not, versions, last error.
 *
 * @public
 */
export const crossplaneClustersReadPermission = createPermission({
  name: 'crossplane.clusters.read',
  attributes: { action: 'read' },
});

/**
 * View the (redacted) YAML of an object.
 *
 * @public
 */
export const crossplaneViewYamlPermission = createPermission({
  name: 'crossplane.resource.yaml.read',
  attributes: { action: 'read' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * View the Kubernetes events of an object and its tree.
 *
 * @public
 */
export const crossplaneViewEventsPermission = createPermission({
  name: 'crossplane.resource.events.read',
  attributes: { action: 'read' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Create or update a Crossplane claim or composite in a cluster and namespace.
 *
 * @public
 */
export const crossplaneCreatePermission = createPermission({
  name: 'crossplane.resource.create',
  attributes: { action: 'create' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Delete a Crossplane claim or composite.
 *
 * @public
 */
export const crossplaneDeletePermission = createPermission({
  name: 'crossplane.resource.delete',
  attributes: { action: 'delete' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Pause or resume the reconciliation of a claim, composite or managed
 * resource (Crossplane's `crossplane.io/paused` annotation).
 *
 * @public
 */
export const crossplanePausePermission = createPermission({
  name: 'crossplane.resource.pause',
  attributes: { action: 'update' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Make Crossplane and the provider reconcile a claim, composite or managed
 * resource (and what it composes) at once.
 *
 * @public
 */
export const crossplaneReconcilePermission = createPermission({
  name: 'crossplane.resource.reconcile',
  attributes: { action: 'update' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Change the spec of a claim or XR in place (the edit form's fields).
 *
 * @public
 */
export const crossplaneUpdatePermission = createPermission({
  name: 'crossplane.resource.update',
  attributes: { action: 'update' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Move a claim or XR to the latest revision of its Composition.
 *
 * @public
 */
export const crossplaneUpgradePermission = createPermission({
  name: 'crossplane.resource.upgrade',
  attributes: { action: 'update' },
  resourceType: CROSSPLANE_RESOURCE_TYPE,
});

/**
 * Every permission PlatformOps defines, for registration with the
 * permission framework.
 *
 * @public
 */
export const crossplanePermissions: Permission[] = [
  crossplaneClustersReadPermission,
  crossplaneReadPermission,
  crossplaneViewYamlPermission,
  crossplaneViewEventsPermission,
  crossplaneCreatePermission,
  crossplaneDeletePermission,
  crossplanePausePermission,
  crossplaneReconcilePermission,
  crossplaneUpdatePermission,
  crossplaneUpgradePermission,
];
