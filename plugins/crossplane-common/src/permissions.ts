import { createPermission } from '@backstage/plugin-permission-common';

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
 * cluster-scoped objects). Policies decide on the cluster, kind and
 * namespace through the status backend's rules.
 *
 * @public
 */
export function crossplaneResourceRef(object: {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return `${object.cluster}:${object.apiVersion}/${object.kind}/${
    object.namespace ?? ''
  }/${object.name}`;
}

/**
 * Reads a ref made by {@link crossplaneResourceRef}; undefined when it is not
 * one.
 *
 * @public
 */
export function parseCrossplaneResourceRef(ref: string):
  | {
      cluster: string;
      apiVersion: string;
      kind: string;
      namespace?: string;
      name: string;
    }
  | undefined {
  const match = /^([^:]+):(.+)\/([^/]+)\/([^/]*)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  const [, cluster, apiVersion, kind, namespace, name] = match;
  return { cluster, apiVersion, kind, namespace: namespace || undefined, name };
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
 * Every permission PlatformOps defines, for registration with the
 * permission framework.
 *
 * @public
 */
export const crossplanePermissions = [
  crossplaneClustersReadPermission,
  crossplaneReadPermission,
  crossplaneViewYamlPermission,
  crossplaneViewEventsPermission,
  crossplaneCreatePermission,
  crossplaneDeletePermission,
];
