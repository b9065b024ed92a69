import {
  apiVersionOf,
  CrossplaneDeletionItem,
  CrossplaneDeletionProgress,
  CrossplaneDeletionProgressItem,
  CrossplaneObjectId,
  KubernetesObject,
  locatorOfId,
  ObjectClass,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';
import { crossplaneRoleOf } from '../guard/writeTargets';
import {
  blockingUsages,
  deletionHeldBy,
  deletionItem,
  listUsages,
  objectClassOfTarget,
} from './deletionImpact';
import { isForbidden } from './lifecycleOperations';
import { MAX_COMPOSED } from './resolveLifecycleTarget';

/**
 * Most objects one progress read follows: as many as a deletion's impact
 * lists under its root.
 *
 * @internal
 */
export const MAX_DELETION_PROGRESS_OBJECTS = MAX_COMPOSED;

/** Objects read from the cluster at once. */
const READS_AT_ONCE = 10;

/**
 * The object an identity names, as the cluster holds it; undefined when
 * there is none: its kind is no longer served, the identity's namespace
 * does not fit the kind's scope (no such object can exist), or
 * PlatformOps may not read the kind (the impact leaves those out too).
 */
async function currentObject(
  client: ClusterClient,
  id: CrossplaneObjectId,
): Promise<KubernetesObject | undefined> {
  const apiVersion = apiVersionOf(id);
  const served = await client.discover(apiVersion, id.kind);
  if (!served || served.namespaced !== Boolean(id.namespace)) return undefined;
  try {
    return await client.get({
      apiVersion,
      kind: id.kind,
      namespace: id.namespace,
      name: id.name,
    });
  } catch (error) {
    if (isForbidden(error)) return undefined;
    throw error;
  }
}

/**
 * How far the deletion of objects is, from one cluster: each object gone,
 * or still there with its finalizers, deletion timestamp and (a managed
 * resource's) fate, and what holds those still there, as the impact of a
 * deletion says it (`deletionItem`, `deletionHeldBy`). What each object is
 * comes from the cluster. For the objects a deletion took with it once its
 * root is gone; the caller decides first which ones may be read.
 *
 * @internal
 */
export async function readDeletionProgress(
  client: ClusterClient,
  ids: CrossplaneObjectId[],
): Promise<CrossplaneDeletionProgress> {
  const classes = new Map<string, Promise<ObjectClass>>();
  // The class of a kind, read once per kind.
  const classOf = (id: CrossplaneObjectId, namespaced: boolean) => {
    const key = `${id.group}|${id.kind}`;
    if (!classes.has(key)) {
      classes.set(
        key,
        crossplaneRoleOf(client, id).then(role =>
          objectClassOfTarget({
            id,
            role: role ?? 'configured',
            namespaced,
            warnings: [],
          }),
        ),
      );
    }
    return classes.get(key)!;
  };

  const items: CrossplaneDeletionProgressItem[] = [];
  for (let start = 0; start < ids.length; start += READS_AT_ONCE) {
    const batch = ids.slice(start, start + READS_AT_ONCE);
    items.push(
      ...(await Promise.all(
        batch.map(async id => {
          const object = await currentObject(client, id);
          const asked = locatorOfId(id);
          if (!object) return { object: asked, gone: true };
          const objectClass = await classOf(id, Boolean(id.namespace));
          return {
            object: asked,
            gone: false,
            item: deletionItem(object, objectClass),
          };
        }),
      )),
    );
  }

  const left = items
    .map(i => i.item)
    .filter((item): item is CrossplaneDeletionItem => Boolean(item));
  const usages = left.length
    ? blockingUsages(
        await listUsages(client),
        left.map(item => item.object),
      )
    : [];
  return {
    items,
    deleting: left.length > 0,
    heldBy: deletionHeldBy(left, usages),
  };
}
