import { CrossplaneModelError } from './errors';
import { KubernetesObject, ObjectRef } from './types';
import { splitApiVersion } from './util';

/**
 * The reference of an object: its apiVersion, kind, namespace and name.
 *
 * @public
 */
export function refOf(obj: KubernetesObject): ObjectRef {
  const ref: ObjectRef = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata?.name,
  };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/**
 * A stable string form of a reference: `apiVersion:Kind:namespace/name`,
 * with the namespace part left out for cluster-scoped objects and the
 * apiVersion left out when unknown. For example
 * `database.example.org/v1alpha1:PostgreSQLInstance:team-a/db`.
 *
 * @public
 */
export function objectRefToString(ref: ObjectRef): string {
  const head = ref.apiVersion ? `${ref.apiVersion}:${ref.kind}` : ref.kind;
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return `${head}:${name}`;
}

/**
 * Parses the output of {@link objectRefToString}.
 *
 * @public
 */
export function parseObjectRef(value: string): ObjectRef {
  if (typeof value !== 'string' || !value) {
    throw new CrossplaneModelError('', 'object reference must be a string');
  }
  const parts = value.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some(p => !p)) {
    throw new CrossplaneModelError(
      '',
      `"${value}" is not an object reference (expected [apiVersion:]Kind:[namespace/]name)`,
    );
  }
  const [apiVersion, kind, nameAndNs] =
    parts.length === 3 ? parts : [undefined, parts[0], parts[1]];
  const slash = nameAndNs.indexOf('/');
  const namespace = slash >= 0 ? nameAndNs.slice(0, slash) : undefined;
  const name = slash >= 0 ? nameAndNs.slice(slash + 1) : nameAndNs;
  if (!name || namespace === '' || name.includes('/')) {
    throw new CrossplaneModelError('', `"${value}" has an invalid name part`);
  }
  const ref: ObjectRef = { kind, name };
  if (apiVersion) ref.apiVersion = apiVersion;
  if (namespace) ref.namespace = namespace;
  return ref;
}

/**
 * The key under which references are matched to objects: API group (not
 * version), kind, namespace and name.
 *
 * @public
 */
export function objectRefKey(ref: ObjectRef): string {
  const group = splitApiVersion(ref.apiVersion).group;
  return `${group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/**
 * Whether two references denote the same object (same group, kind,
 * namespace and name; versions may differ).
 *
 * @public
 */
export function sameObjectRef(a: ObjectRef, b: ObjectRef): boolean {
  return objectRefKey(a) === objectRefKey(b);
}
