import type { ClusterClient } from '@platformops/plugin-crossplane-node';

/** A kind to list, in one namespace or in all. */
export interface SnapshotKind {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** What tells one object's life: a new uid is a new object. */
interface ObjectState {
  uid: string;
  resourceVersion: string;
  generation?: number;
  deleting: boolean;
}

/** Objects by `kind namespace/name`. */
export type ClusterSnapshot = Map<string, ObjectState>;

/**
 * Kinds whose every change counts, not only their spec's: what a portal
 * must never write (Secrets, ConfigMaps, role bindings).
 */
const EVERY_CHANGE = new Set(['Secret', 'ConfigMap', 'ClusterRoleBinding']);

/** Lists the kinds (with a client that may list them) into a snapshot. */
export async function snapshotCluster(
  client: ClusterClient,
  kinds: readonly SnapshotKind[],
): Promise<ClusterSnapshot> {
  const snapshot: ClusterSnapshot = new Map();
  for (const { apiVersion, kind, namespace } of kinds) {
    const { items } = await client.list(apiVersion, kind, { namespace });
    for (const item of items) {
      const { metadata } = item;
      const where = metadata.namespace ? `${metadata.namespace}/` : '';
      snapshot.set(`${kind} ${where}${metadata.name}`, {
        uid: String(metadata.uid),
        resourceVersion: String(metadata.resourceVersion),
        generation: metadata.generation as number | undefined,
        deleting: Boolean(metadata.deletionTimestamp),
      });
    }
  }
  return snapshot;
}

/**
 * What happened between two snapshots: objects created, deleted (or
 * marked for deletion, or replaced by a new one of the same name), and
 * changed (a new generation; any change for Secrets, ConfigMaps and role
 * bindings). Keys for which `ignore` is true are left out.
 */
export function diffSnapshots(
  before: ClusterSnapshot,
  after: ClusterSnapshot,
  ignore: (key: string) => boolean = () => false,
): { created: string[]; deleted: string[]; changed: string[] } {
  const created: string[] = [];
  const deleted: string[] = [];
  const changed: string[] = [];
  for (const key of after.keys()) {
    if (!ignore(key) && !before.has(key)) created.push(key);
  }
  for (const [key, was] of before) {
    if (ignore(key)) continue;
    const now = after.get(key);
    if (!now || now.uid !== was.uid || (now.deleting && !was.deleting)) {
      deleted.push(key);
    } else if (
      now.generation !== was.generation ||
      (EVERY_CHANGE.has(key.split(' ')[0]) &&
        now.resourceVersion !== was.resourceVersion)
    ) {
      changed.push(key);
    }
  }
  return { created, deleted, changed };
}
