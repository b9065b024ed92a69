import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './names';
import { CrossplaneModelError } from './errors';
import { checkOpenAPISchema, OpenAPISchema } from './schema';
import { isRecord, joinPath } from './util';

/**
 * The API group of Crossplane's composition types.
 *
 * @public
 */
export const CROSSPLANE_APIEXTENSIONS_GROUP = 'apiextensions.crossplane.io';

/**
 * Scope of the composite resources an XRD defines. `LegacyCluster` is the
 * Crossplane v1 behaviour (cluster-scoped composites, optionally offered as
 * namespaced claims); `Namespaced` and `Cluster` are Crossplane v2's.
 *
 * @public
 */
export type XrdScope = 'Namespaced' | 'Cluster' | 'LegacyCluster';

/**
 * One version of an XRD.
 *
 * @public
 */
export interface XrdVersion {
  name: string;
  served: boolean;
  referenceable: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** The version's `schema.openAPIV3Schema`; absent when none is declared. */
  schema?: OpenAPISchema;
}

/**
 * A normalised CompositeResourceDefinition.
 *
 * @public
 */
export interface Xrd {
  /** `metadata.name`: `<plural>.<group>`. */
  name: string;
  group: string;
  names: {
    kind: string;
    plural: string;
    singular?: string;
    listKind?: string;
    categories?: string[];
  };
  /** The claim kind; only for `LegacyCluster` XRDs that offer claims. */
  claimNames?: { kind: string; plural: string };
  scope: XrdScope;
  /** The XRD's API: `apiextensions.crossplane.io/v1` (or v1beta1) or `/v2` (or v2alpha1, its preview). */
  crossplaneVersion: 'v1' | 'v2';
  versions: XrdVersion[];
  defaultCompositionRef?: { name: string };
  enforcedCompositionRef?: { name: string };
  defaultCompositeDeletePolicy?: string;
  defaultCompositionUpdatePolicy?: string;
  connectionSecretKeys?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const SCOPES: XrdScope[] = ['Namespaced', 'Cluster', 'LegacyCluster'];
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new CrossplaneModelError(
      field,
      'is required and must be a non-empty string',
    );
  }
  return value;
}

function optionalStringMap(
  value: unknown,
  field: string,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value))
    throw new CrossplaneModelError(field, 'must be a map of strings');
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    if (typeof value[key] !== 'string') {
      throw new CrossplaneModelError(joinPath(field, key), 'must be a string');
    }
    out[key] = value[key];
  }
  return out;
}

function parseNames(
  value: unknown,
  field: string,
): { kind: string; plural: string } & Xrd['names'] {
  if (!isRecord(value)) throw new CrossplaneModelError(field, 'is required');
  const kind = requireString(value.kind, joinPath(field, 'kind'));
  if (!KIND.test(kind)) {
    throw new CrossplaneModelError(
      joinPath(field, 'kind'),
      `"${kind}" is not a valid kind`,
    );
  }
  const plural = requireString(value.plural, joinPath(field, 'plural'));
  if (!DNS1123_LABEL.test(plural)) {
    throw new CrossplaneModelError(
      joinPath(field, 'plural'),
      `"${plural}" must be a lowercase DNS-1123 label`,
    );
  }
  const names: Xrd['names'] = { kind, plural };
  if (typeof value.singular === 'string') names.singular = value.singular;
  if (typeof value.listKind === 'string') names.listKind = value.listKind;
  if (Array.isArray(value.categories)) {
    names.categories = value.categories.filter(
      (c): c is string => typeof c === 'string',
    );
  }
  return names;
}

function parseRefName(
  value: unknown,
  field: string,
): { name: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value))
    throw new CrossplaneModelError(field, 'must be an object with a name');
  return { name: requireString(value.name, joinPath(field, 'name')) };
}

/**
 * The XRD APIs Crossplane serves, and the layout each one reads as.
 * `v2alpha1` was Crossplane 2.0's preview of the v2 API, with the same
 * schema (scope defaulting to `Namespaced`, machinery under
 * `spec.crossplane`); `v1beta1` is v1's predecessor.
 */
const XRD_API_VERSIONS: Readonly<Record<string, Xrd['crossplaneVersion']>> = {
  [`${CROSSPLANE_APIEXTENSIONS_GROUP}/v1`]: 'v1',
  [`${CROSSPLANE_APIEXTENSIONS_GROUP}/v1beta1`]: 'v1',
  [`${CROSSPLANE_APIEXTENSIONS_GROUP}/v2`]: 'v2',
  [`${CROSSPLANE_APIEXTENSIONS_GROUP}/v2alpha1`]: 'v2',
};
const VERSION_NAME = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

function parseApiVersion(apiVersion: unknown): Xrd['crossplaneVersion'] {
  const version =
    typeof apiVersion === 'string' &&
    Object.prototype.hasOwnProperty.call(XRD_API_VERSIONS, apiVersion)
      ? XRD_API_VERSIONS[apiVersion]
      : undefined;
  if (!version) {
    throw new CrossplaneModelError(
      'apiVersion',
      `must be ${CROSSPLANE_APIEXTENSIONS_GROUP}/v1 or /v2 (or /v1beta1, /v2alpha1; got ${
        JSON.stringify(apiVersion) ?? 'nothing'
      })`,
    );
  }
  return version;
}

function parseGroup(value: unknown): string {
  const group = requireString(value, 'spec.group');
  if (!DNS1123_SUBDOMAIN.test(group) || !group.includes('.')) {
    throw new CrossplaneModelError(
      'spec.group',
      `"${group}" must be a DNS subdomain with at least one dot`,
    );
  }
  return group;
}

/** v1 XRDs have no scope and are `LegacyCluster`; v2 XRDs default to `Namespaced`. */
/**
 * Crossplane 2 stores every XRD at `apiextensions.crossplane.io/v1`, so a
 * list or watch at v1 returns v2 XRDs too: one whose scope is `Namespaced`
 * or `Cluster` is a v2 XRD, whatever version it is read in.
 */
function crossplaneLineOf(
  apiVersion: Xrd['crossplaneVersion'],
  scope: unknown,
): Xrd['crossplaneVersion'] {
  return apiVersion === 'v1' && (scope === 'Namespaced' || scope === 'Cluster')
    ? 'v2'
    : apiVersion;
}

function parseScope(
  value: unknown,
  crossplaneVersion: Xrd['crossplaneVersion'],
): XrdScope {
  if (crossplaneVersion === 'v1') return 'LegacyCluster';
  const scope = value ?? 'Namespaced';
  if (!SCOPES.includes(scope as XrdScope)) {
    throw new CrossplaneModelError(
      'spec.scope',
      `must be one of ${SCOPES.join(', ')}`,
    );
  }
  return scope as XrdScope;
}

function parseClaimNames(
  value: unknown,
  scope: XrdScope,
  names: Xrd['names'],
): Xrd['claimNames'] {
  if (value === undefined || value === null) return undefined;
  if (scope !== 'LegacyCluster') {
    throw new CrossplaneModelError(
      'spec.claimNames',
      `claims are only offered by LegacyCluster XRDs (scope is ${scope})`,
    );
  }
  const parsed = parseNames(value, 'spec.claimNames');
  if (parsed.kind === names.kind) {
    throw new CrossplaneModelError(
      'spec.claimNames.kind',
      'must differ from spec.names.kind',
    );
  }
  return { kind: parsed.kind, plural: parsed.plural };
}

/** A version's `schema.openAPIV3Schema`: an object schema whose `spec`, if declared, is an object. */
function parseVersionSchema(
  value: unknown,
  field: string,
): OpenAPISchema | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value))
    throw new CrossplaneModelError(`${field}.schema`, 'must be an object');
  if (value.openAPIV3Schema === undefined) return undefined;
  const schemaField = `${field}.schema.openAPIV3Schema`;
  const schema = checkOpenAPISchema(value.openAPIV3Schema, schemaField);
  if (schema.type !== undefined && schema.type !== 'object') {
    throw new CrossplaneModelError(`${schemaField}.type`, 'must be object');
  }
  const specSchema = schema.properties?.spec;
  if (specSchema?.type !== undefined && specSchema.type !== 'object') {
    throw new CrossplaneModelError(
      `${schemaField}.properties.spec.type`,
      'must be object',
    );
  }
  return schema;
}

function parseVersion(value: unknown, field: string): XrdVersion {
  if (!isRecord(value))
    throw new CrossplaneModelError(field, 'must be an object');
  const name = requireString(value.name, `${field}.name`);
  if (!VERSION_NAME.test(name)) {
    throw new CrossplaneModelError(
      `${field}.name`,
      `"${name}" is not a Kubernetes version name`,
    );
  }
  for (const key of ['served', 'referenceable', 'deprecated']) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') {
      throw new CrossplaneModelError(`${field}.${key}`, 'must be a boolean');
    }
  }
  const version: XrdVersion = {
    name,
    served: value.served === true,
    referenceable: value.referenceable === true,
  };
  if (value.deprecated === true) version.deprecated = true;
  if (typeof value.deprecationWarning === 'string')
    version.deprecationWarning = value.deprecationWarning;
  const schema = parseVersionSchema(value.schema, field);
  if (schema) version.schema = schema;
  return version;
}

/** Every version, uniquely named, exactly one of them referenceable and served. */
function parseVersions(value: unknown): XrdVersion[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new CrossplaneModelError(
      'spec.versions',
      'must list at least one version',
    );
  }
  const seen = new Set<string>();
  const versions = Array.from(value as unknown[], (v, i) => {
    const version = parseVersion(v, `spec.versions[${i}]`);
    if (seen.has(version.name)) {
      throw new CrossplaneModelError(
        `spec.versions[${i}].name`,
        `duplicate version ${version.name}`,
      );
    }
    seen.add(version.name);
    return version;
  });
  const referenceable = versions.filter(v => v.referenceable);
  if (referenceable.length !== 1) {
    throw new CrossplaneModelError(
      'spec.versions',
      `exactly one version must be referenceable (found ${referenceable.length})`,
    );
  }
  if (!referenceable[0].served) {
    throw new CrossplaneModelError(
      'spec.versions',
      'the referenceable version must be served',
    );
  }
  return versions;
}

function parseConnectionSecretKeys(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some(k => typeof k !== 'string')) {
    throw new CrossplaneModelError(
      'spec.connectionSecretKeys',
      'must be an array of strings',
    );
  }
  return [...value];
}

/** What an XRD sets for its composites: default and enforced Composition, policies, connection keys. */
function parseCompositeDefaults(spec: Record<string, any>): Partial<Xrd> {
  const defaults: Partial<Xrd> = {};
  const defaultCompositionRef = parseRefName(
    spec.defaultCompositionRef,
    'spec.defaultCompositionRef',
  );
  if (defaultCompositionRef)
    defaults.defaultCompositionRef = defaultCompositionRef;
  const enforcedCompositionRef = parseRefName(
    spec.enforcedCompositionRef,
    'spec.enforcedCompositionRef',
  );
  if (enforcedCompositionRef)
    defaults.enforcedCompositionRef = enforcedCompositionRef;
  if (typeof spec.defaultCompositeDeletePolicy === 'string') {
    defaults.defaultCompositeDeletePolicy = spec.defaultCompositeDeletePolicy;
  }
  if (typeof spec.defaultCompositionUpdatePolicy === 'string') {
    defaults.defaultCompositionUpdatePolicy =
      spec.defaultCompositionUpdatePolicy;
  }
  const connectionSecretKeys = parseConnectionSecretKeys(
    spec.connectionSecretKeys,
  );
  if (connectionSecretKeys)
    defaults.connectionSecretKeys = connectionSecretKeys;
  return defaults;
}

/**
 * Parses and normalises a CompositeResourceDefinition (Crossplane v1 or v2;
 * v2alpha1, the v2 preview, reads as v2) from any value, typically an
 * object read from the API server or a YAML file. Throws a
 * {@link CrossplaneModelError} naming the field when the XRD is malformed.
 *
 * v1 XRDs have no scope and are `LegacyCluster`; v2 XRDs default to
 * `Namespaced`.
 *
 * @public
 */
export function parseXrd(obj: unknown): Xrd {
  if (!isRecord(obj))
    throw new CrossplaneModelError('', 'an XRD must be an object');
  const crossplaneVersion = crossplaneLineOf(
    parseApiVersion(obj.apiVersion),
    isRecord(obj.spec) ? obj.spec.scope : undefined,
  );
  if (obj.kind !== 'CompositeResourceDefinition') {
    throw new CrossplaneModelError(
      'kind',
      'must be CompositeResourceDefinition',
    );
  }
  if (!isRecord(obj.metadata))
    throw new CrossplaneModelError('metadata', 'is required');
  const name = requireString(obj.metadata.name, 'metadata.name');
  const spec = obj.spec;
  if (!isRecord(spec)) throw new CrossplaneModelError('spec', 'is required');

  const group = parseGroup(spec.group);
  const names = parseNames(spec.names, 'spec.names');
  if (name !== `${names.plural}.${group}`) {
    throw new CrossplaneModelError(
      'metadata.name',
      `must be spec.names.plural + "." + spec.group (${names.plural}.${group}), got "${name}"`,
    );
  }
  const scope = parseScope(spec.scope, crossplaneVersion);
  const claimNames = parseClaimNames(spec.claimNames, scope, names);
  const versions = parseVersions(spec.versions);

  const xrd: Xrd = { name, group, names, scope, crossplaneVersion, versions };
  if (claimNames) xrd.claimNames = claimNames;
  Object.assign(xrd, parseCompositeDefaults(spec));
  const labels = optionalStringMap(obj.metadata.labels, 'metadata.labels');
  if (labels) xrd.labels = labels;
  const annotations = optionalStringMap(
    obj.metadata.annotations,
    'metadata.annotations',
  );
  if (annotations) xrd.annotations = annotations;
  return xrd;
}

/**
 * The referenceable version: the one composites are stored and referenced
 * as. Every valid XRD has exactly one.
 *
 * @public
 */
export function referenceableVersion(xrd: Xrd): XrdVersion {
  const version = xrd.versions.find(v => v.referenceable);
  if (!version) {
    throw new CrossplaneModelError(
      'spec.versions',
      `${xrd.name} has no referenceable version`,
    );
  }
  return version;
}

/**
 * The versions the API server serves, in declaration order.
 *
 * @public
 */
export function servedVersions(xrd: Xrd): XrdVersion[] {
  return xrd.versions.filter(v => v.served);
}

/**
 * The version to use: the named one (which must be served), or the
 * referenceable one.
 *
 * @public
 */
export function resolveXrdVersion(xrd: Xrd, version?: string): XrdVersion {
  if (version === undefined) return referenceableVersion(xrd);
  const found = xrd.versions.find(v => v.name === version);
  if (!found) {
    throw new CrossplaneModelError(
      'version',
      `${xrd.name} has no version ${version} (has ${xrd.versions
        .map(v => v.name)
        .join(', ')})`,
    );
  }
  if (!found.served) {
    throw new CrossplaneModelError(
      'version',
      `version ${version} of ${xrd.name} is not served`,
    );
  }
  return found;
}

/**
 * What a template creates from an XRD: a claim (v1 and LegacyCluster XRDs
 * with `claimNames`) or a composite resource.
 *
 * @public
 */
export type XrdTarget = 'claim' | 'composite';

/**
 * The target to use: the requested one (a claim needs `claimNames`), else a
 * claim when the XRD offers one, else a composite.
 *
 * @public
 */
export function resolveXrdTarget(xrd: Xrd, target?: XrdTarget): XrdTarget {
  if (target === undefined) return xrd.claimNames ? 'claim' : 'composite';
  if (target !== 'claim' && target !== 'composite') {
    throw new CrossplaneModelError('target', 'must be claim or composite');
  }
  if (target === 'claim' && !xrd.claimNames) {
    throw new CrossplaneModelError(
      'target',
      `${xrd.name} offers no claim (no spec.claimNames)`,
    );
  }
  return target;
}

/**
 * Whether objects of the target kind live in a namespace: claims always,
 * composites only for `Namespaced` XRDs.
 *
 * @public
 */
export function isNamespacedTarget(xrd: Xrd, target: XrdTarget): boolean {
  return target === 'claim' || xrd.scope === 'Namespaced';
}

/**
 * Whether composites of this XRD use Crossplane v2's layout, with the
 * machinery fields under `spec.crossplane` (Namespaced and Cluster scope),
 * rather than directly under `spec` (LegacyCluster and every v1 XRD).
 *
 * @public
 */
export function usesCrossplaneSpecField(xrd: Xrd): boolean {
  return xrd.scope !== 'LegacyCluster';
}

/**
 * The kind and apiVersion of what a target is, for a version.
 *
 * @public
 */
export function targetTypeMeta(
  xrd: Xrd,
  target: XrdTarget,
  version: string,
): { apiVersion: string; kind: string } {
  const kind = target === 'claim' ? xrd.claimNames?.kind : xrd.names.kind;
  if (!kind)
    throw new CrossplaneModelError('target', `${xrd.name} offers no claim`);
  return { apiVersion: `${xrd.group}/${version}`, kind };
}
