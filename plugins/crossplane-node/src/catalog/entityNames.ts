/**
 * Entity names of ingested objects: readable, stable and collision-free
 * across clusters, kinds and namespaces. Backstage allows at most 63
 * characters of [a-zA-Z0-9-_.], so long identities are shortened with a hash
 * of the full identity.
 */

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * Identifies an object in a cluster.
 *
 * @public
 */
export interface ObjectIdentity {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * 32-bit FNV-1a as 8 hex digits: short, stable, enough to tell names apart.
 *
 * @public
 */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(HASH_LENGTH, '0');
}

function sanitize(part: string): string {
  return part.replace(/[^A-Za-z0-9\-_.]/g, '-');
}

/**
 * `full` as a valid entity name: runs of separators collapsed, and past 63
 * characters cut and ended with a hash of `identity`, which keeps shortened
 * names apart.
 *
 * @public
 */
export function fitEntityName(full: string, identity: string): string {
  const clean = full
    .replace(/[-_.]{2,}/g, m => m[0])
    .replace(/^[-_.]+|[-_.]+$/g, '');
  if (clean.length <= MAX_NAME_LENGTH && clean === full) return clean;
  const head = clean
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/[-_.]+$/, '');
  return `${head}-${shortHash(identity)}`;
}

/**
 * `<name>.<kind>.<namespace>.<cluster>` (the namespace left out for
 * cluster-scoped objects), lower-cased kind.
 */
export function objectEntityName(object: ObjectIdentity): string {
  const parts = [object.name, object.kind.toLowerCase()];
  if (object.namespace) parts.push(object.namespace);
  parts.push(object.cluster);
  const identity = [
    object.cluster,
    object.kind,
    object.namespace ?? '',
    object.name,
  ].join('/');
  return fitEntityName(parts.map(sanitize).join('.'), identity);
}

/** `cluster-<name>`. */
export function clusterEntityName(cluster: string): string {
  return fitEntityName(`cluster-${sanitize(cluster)}`, `cluster/${cluster}`);
}
