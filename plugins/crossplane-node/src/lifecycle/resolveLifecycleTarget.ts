import { InputError, NotFoundError } from '@backstage/errors';
import {
  apiVersionOf,
  buildResourceTree,
  CrossplaneObjectId,
  describeObjectId,
  getCompositeRef,
  getResourceRefs,
  KubernetesObject,
  ObjectClass,
  ObjectIdInput,
  ObjectRef,
  parseXrd,
  refOf,
  ResourceTreeNode,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient, ObjectLocator } from '../client/types';
import {
  crossplaneRoleOf,
  resolveServedObject,
  WriteRole,
  XRD_API_VERSION,
  XRD_KIND,
} from '../guard/writeTargets';
import { isForbidden } from './lifecycleOperations';

/**
 * Composed objects one reconcile annotates, or one deletion lists, at most.
 *
 * @internal
 */
export const MAX_COMPOSED = 200;

/**
 * The object of a lifecycle operation, as its cluster says it is.
 *
 * @internal
 */
export interface LifecycleTarget {
  id: CrossplaneObjectId;
  role: Exclude<WriteRole, 'configured'>;
  locator: ObjectLocator;
  object: KubernetesObject;
  warnings: string[];
}

/**
 * Resolves the object of a pause, resume or reconcile from the cluster,
 * never from the input: the kind must be served and be a claim, XR,
 * composite or managed resource kind (see {@link crossplaneRoleOf}), and the
 * object must exist. Throws `InputError` naming the field, or
 * `NotFoundError`.
 *
 * @internal
 */
export async function resolveLifecycleTarget(
  client: ClusterClient,
  input: Omit<ObjectIdInput, 'cluster'>,
): Promise<LifecycleTarget> {
  const { id, warnings } = await resolveServedObject(client, input);
  const role = await crossplaneRoleOf(client, id);
  if (!role) {
    const kindName = id.group ? `${id.kind}.${id.group}` : id.kind;
    throw new InputError(
      `kind: ${kindName} is not a claim, composite resource or managed resource kind in cluster ${client.name}`,
    );
  }
  const locator = {
    apiVersion: apiVersionOf(id),
    kind: id.kind,
    namespace: id.namespace,
    name: id.name,
  };
  const object = await client.get(locator);
  if (!object) throw new NotFoundError(`${describeObjectId(id)}: not found`);
  return { id, role, locator, object, warnings };
}

/**
 * An object composed under a claim or composite, and what it is.
 *
 * @internal
 */
export interface ComposedObject {
  object: KubernetesObject;
  objectClass: ObjectClass;
}

/**
 * The objects composed under a claim or composite, read from the cluster
 * and kept only where parent and child agree, by the same rules as the
 * resource tree (`buildResourceTree`): a claim's composite must name the
 * claim, a composed resource's controller must be its composite.
 *
 * @internal
 */
export async function composedObjects(
  client: ClusterClient,
  root: KubernetesObject,
): Promise<ObjectLocator[]> {
  return (await composedTree(client, root)).map(({ object }) => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  }));
}

/**
 * The objects of {@link composedObjects}, as the cluster holds them, each
 * with its class in the tree, parents before their children.
 *
 * @public
 */
export async function composedTree(
  client: ClusterClient,
  root: KubernetesObject,
): Promise<ComposedObject[]> {
  const { items } = await client.list(XRD_API_VERSION, XRD_KIND);
  const xrds: Xrd[] = [];
  for (const item of items) {
    try {
      xrds.push(parseXrd(item));
    } catch {
      // A malformed XRD defines no kinds.
    }
  }
  const objects: KubernetesObject[] = [root];
  const queue: KubernetesObject[] = [root];
  while (queue.length > 0 && objects.length <= MAX_COMPOSED) {
    const parent = queue.shift()!;
    const composite = getCompositeRef(parent);
    const refs: ObjectRef[] = composite ? [composite] : getResourceRefs(parent);
    for (const ref of refs) {
      if (!ref.apiVersion) continue;
      let child: KubernetesObject | undefined;
      try {
        child = await client.get({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          namespace: ref.namespace,
          name: ref.name,
        });
      } catch (error) {
        // A kind PlatformOps may not read (a ConfigMap a v2 XR composes)
        // is left out, as the resource tree leaves it out.
        if (isForbidden(error)) continue;
        throw error;
      }
      if (!child || objects.some(o => o.metadata.uid === child.metadata.uid))
        continue;
      objects.push(child);
      queue.push(child);
    }
  }
  const tree = buildResourceTree(objects, refOf(root), xrds);
  const found: ComposedObject[] = [];
  const collect = (node: ResourceTreeNode) => {
    for (const child of node.children) {
      if (!child.missing && child.object) {
        found.push({ object: child.object, objectClass: child.class });
      }
      collect(child);
    }
  };
  if (tree) collect(tree);
  return found.slice(0, MAX_COMPOSED);
}
