import { InputError } from '@backstage/errors';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../model/names';
import { splitApiVersion } from '../model/util';
import type { CrossplaneObjectLocator } from '../status/types';

/**
 * The identity of one object in one cluster, exact and case-sensitive: the
 * one form in which routes and actions name an object, parsed once at their
 * edge, and what both the permission check and the cluster lookup use.
 *
 * The version says how to read the object; it is not part of what the
 * object is (see {@link objectIdKey}).
 *
 * @public
 */
export interface CrossplaneObjectId {
  cluster: string;
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** Longest cluster name accepted (cluster names are config keys, not Kubernetes names). */
const MAX_CLUSTER_NAME = 253;
/** Printable, no whitespace at the ends: what config-given cluster names look like. */
const CLUSTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]*$/u;
/** Kubernetes versions: v1, v1beta2, v2alpha1. */
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
/** Kinds are CamelCase identifiers. */
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;

function problemOf(value: unknown, check: (v: string) => string | undefined) {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  return check(value);
}

function clusterProblem(value: string): string | undefined {
  if (!value) return 'must not be empty';
  if (value.length > MAX_CLUSTER_NAME) {
    return `must be no more than ${MAX_CLUSTER_NAME} characters (got ${value.length})`;
  }
  if (!CLUSTER_NAME.test(value) || value !== value.trim()) {
    return `must be a cluster name without control characters or surrounding spaces (got ${JSON.stringify(
      value.slice(0, 80),
    )})`;
  }
  return undefined;
}

function apiVersionProblem(value: string): string | undefined {
  const { group, version } = splitApiVersion(value);
  if (value.split('/').length > 2) {
    return `must be "version" or "group/version" (got ${JSON.stringify(
      value.slice(0, 80),
    )})`;
  }
  if (value.includes('/') && group === '') {
    return `must be "version" or "group/version" (got ${JSON.stringify(
      value.slice(0, 80),
    )})`;
  }
  if (group) {
    const problem = dns1123SubdomainProblem(group);
    if (problem) return `group ${problem}`;
  }
  if (!VERSION.test(version)) {
    return `must end in a Kubernetes version such as v1, v1beta1 or v2alpha1 (got ${JSON.stringify(
      value.slice(0, 80),
    )})`;
  }
  return undefined;
}

function kindProblem(value: string): string | undefined {
  if (!KIND.test(value)) {
    return `must be a Kubernetes kind: a letter A-Z then letters and digits, at most 63 characters, exact case (got ${JSON.stringify(
      value.slice(0, 80),
    )})`;
  }
  return undefined;
}

/**
 * The raw fields that name an object, as routes and actions receive them.
 *
 * @public
 */
export interface ObjectIdInput {
  cluster?: unknown;
  apiVersion?: unknown;
  kind?: unknown;
  namespace?: unknown;
  name?: unknown;
}

/**
 * Every problem of the fields that name an object, each naming its field
 * (with `prefix`, e.g. `manifest.` for a manifest's fields); empty when
 * they name an object exactly. Names are not lower-cased or trimmed: a
 * spelling the API server would not store is refused, so no lookup can find
 * an object that a permission check did not see.
 *
 * @public
 */
export function objectIdProblems(
  input: ObjectIdInput,
  fields: Partial<Record<keyof ObjectIdInput, string>> = {},
): string[] {
  const field = (key: keyof ObjectIdInput) => fields[key] ?? key;
  const problems: string[] = [];
  const check = (
    key: keyof ObjectIdInput,
    fn: (v: string) => string | undefined,
  ) => {
    const problem = problemOf(input[key], fn);
    if (problem) problems.push(`${field(key)}: ${problem}`);
  };
  check('cluster', clusterProblem);
  check('apiVersion', apiVersionProblem);
  check('kind', kindProblem);
  if (input.namespace !== undefined && input.namespace !== '') {
    check('namespace', dns1123LabelProblem);
  }
  check('name', dns1123SubdomainProblem);
  return problems;
}

/**
 * Parses the fields that name an object into its identity; throws an
 * `InputError` naming every bad field. An empty namespace is no namespace.
 *
 * @public
 */
export function parseObjectId(
  input: ObjectIdInput,
  fields?: Partial<Record<keyof ObjectIdInput, string>>,
): CrossplaneObjectId {
  const problems = objectIdProblems(input, fields);
  if (problems.length > 0) throw new InputError(problems.join('; '));
  const { group, version } = splitApiVersion(input.apiVersion as string);
  const id: CrossplaneObjectId = {
    cluster: input.cluster as string,
    group,
    version,
    kind: input.kind as string,
    name: input.name as string,
  };
  if (typeof input.namespace === 'string' && input.namespace !== '') {
    id.namespace = input.namespace;
  }
  return id;
}

/**
 * The apiVersion of an identity: `group/version`, or `version` for the core
 * group.
 *
 * @public
 */
export function apiVersionOf(id: { group: string; version: string }): string {
  return id.group ? `${id.group}/${id.version}` : id.version;
}

/**
 * The locator the status routes answer with for an identity: the object's
 * apiVersion, and no namespace for a cluster-scoped object.
 *
 * @public
 */
export function locatorOfId(id: CrossplaneObjectId): CrossplaneObjectLocator {
  return {
    cluster: id.cluster,
    apiVersion: apiVersionOf(id),
    kind: id.kind,
    ...(id.namespace ? { namespace: id.namespace } : {}),
    name: id.name,
  };
}

/**
 * The key under which an object is the same object whatever version it is
 * read in: cluster, group, kind, namespace and name.
 *
 * @public
 */
export function objectIdKey(id: {
  cluster: string;
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return `${id.cluster}|${id.group}|${id.kind}|${id.namespace ?? ''}|${
    id.name
  }`;
}

/**
 * A short description for messages, e.g.
 * `PostgreSQLInstance.database.example.org team-a/orders-db in cluster dev`.
 *
 * @public
 */
export function describeObjectId(id: CrossplaneObjectId): string {
  const kind = id.group ? `${id.kind}.${id.group}` : id.kind;
  const name = id.namespace ? `${id.namespace}/${id.name}` : id.name;
  return `${kind} ${name} in cluster ${id.cluster}`;
}
