import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of PlatformOps permissions: a Kubernetes object in a
 * cluster, identified by cluster, namespace, kind and name.
 *
 * @public
 */
export const CROSSPLANE_RESOURCE_TYPE = 'crossplane-resource';

/**
 * Read the status and resource tree of Crossplane objects.
 *
 * @public
 */
export const crossplaneReadPermission = createPermission({
  name: 'crossplane.resource.read',
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
});

/**
 * View the Kubernetes events of an object and its tree.
 *
 * @public
 */
export const crossplaneViewEventsPermission = createPermission({
  name: 'crossplane.resource.events.read',
  attributes: { action: 'read' },
});

/**
 * Create or update a Crossplane claim or composite in a cluster and namespace.
 *
 * @public
 */
export const crossplaneCreatePermission = createPermission({
  name: 'crossplane.resource.create',
  attributes: { action: 'create' },
});

/**
 * Delete a Crossplane claim or composite.
 *
 * @public
 */
export const crossplaneDeletePermission = createPermission({
  name: 'crossplane.resource.delete',
  attributes: { action: 'delete' },
});

/**
 * Every permission PlatformOps defines, for registration with the
 * permission framework.
 *
 * @public
 */
export const crossplanePermissions = [
  crossplaneReadPermission,
  crossplaneViewYamlPermission,
  crossplaneViewEventsPermission,
  crossplaneCreatePermission,
  crossplaneDeletePermission,
];
