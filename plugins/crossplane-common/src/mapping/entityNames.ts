import type { KubernetesObject } from '../model/types';
import { splitApiVersion } from '../model/util';

/**
 * Entity names of ingested objects: readable, stable and collision-free
 * across clusters, API groups, kinds and namespaces. Backstage allows at
 * most 63 characters of [a-zA-Z0-9-_.], so long identities are shortened
 * with a hash of the full identity.
 */

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;
/** Hex digits of the group's hash in its token: apart, and still short. */
const GROUP_HASH_LENGTH = 6;

/**
 * Identifies an object in a cluster, whatever version it is read in.
 *
 * @public
 */
export interface ObjectIdentity {
  cluster: string;
  /** API group; `''` for the core group. */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * The identity of an object of a cluster.
 *
 * @public
 */
export function identityOf(
  object: KubernetesObject,
  cluster: string,
): ObjectIdentity {
  return {
    cluster,
    group: splitApiVersion(object.apiVersion).group,
    kind: object.kind,
    namespace: object.metadata.namespace || undefined,
    name: object.metadata.name,
  };
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
 * The part of an entity name that stands for an API group: its first label
 * and a hash of the whole group (`s3.aws.upbound.io` gives `s3-` and six
 * hex digits), a one-label group as it is, nothing for the core group. It
 * depends on the group alone, so a name never changes when another
 * provider family with the same kinds is installed.
 *
 * @public
 */
export function groupToken(group: string): string | undefined {
  if (!group) return undefined;
  const dot = group.indexOf('.');
  if (dot < 0) return group;
  return `${group.slice(0, dot)}-${shortHash(group).slice(
    0,
    GROUP_HASH_LENGTH,
  )}`;
}

/**
 * `<name>.<kind>.<group token>.<namespace>.<cluster>`: lower-cased kind,
 * the group token left out for the core group and the namespace for
 * cluster-scoped objects. See {@link groupToken}. Past 63 characters the
 * object's name is cut and ended with a hash of the whole identity, so that
 * kind, group, namespace and cluster stay readable (the whole name is cut
 * when they alone are too long).
 *
 * @public
 */
export function objectEntityName(object: ObjectIdentity): string {
  const where = [object.kind.toLowerCase()];
  const token = groupToken(object.group);
  if (token) where.push(token);
  if (object.namespace) where.push(object.namespace);
  where.push(object.cluster);
  const suffix = where.map(sanitize).join('.');
  const name = sanitize(object.name);
  const identity = [
    object.cluster,
    object.group,
    object.kind,
    object.namespace ?? '',
    object.name,
  ].join('/');
  const full = `${name}.${suffix}`;
  const fitted = fitEntityName(full, identity);
  if (fitted === full) return full;
  const room = MAX_NAME_LENGTH - suffix.length - HASH_LENGTH - 2;
  const head = name.slice(0, Math.max(room, 0)).replace(/[-_.]+$/, '');
  const shortened = `${head ? `${head}-` : ''}${shortHash(identity)}.${suffix}`;
  return fitEntityName(shortened, identity) === shortened ? shortened : fitted;
}

/**
 * `cluster-<name>`.
 *
 * @public
 */
export function clusterEntityName(cluster: string): string {
  return fitEntityName(`cluster-${sanitize(cluster)}`, `cluster/${cluster}`);
}

/**
 * Where the entities of a cluster come from: their location annotations
 * and the location key of the catalog's mutations.
 *
 * @public
 */
export function clusterLocation(cluster: string): string {
  return `crossplane:cluster/${cluster}`;
}

/**
 * An entity ref in the catalog's canonical string form, as Backstage's
 * `stringifyEntityRef` writes it (all lower case).
 *
 * @public
 */
export function entityRefString(ref: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();
}
