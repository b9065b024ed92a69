import { Xrd } from './xrd';
import { KubernetesObject, ObjectClass } from './types';
import { isRecord, splitApiVersion } from './util';

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Job',
  'CronJob',
]);
const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch']);

/**
 * Index of XRD kinds for classification, built once per XRD list.
 *
 * @public
 */
export interface XrdKindIndex {
  composites: Set<string>;
  claims: Set<string>;
}

/**
 * Builds the lookup {@link classifyObject} uses; pass it instead of the
 * XRD list when classifying many objects.
 *
 * @public
 */
export function indexXrdKinds(xrds: readonly Xrd[]): XrdKindIndex {
  const index: XrdKindIndex = { composites: new Set(), claims: new Set() };
  for (const xrd of xrds) {
    index.composites.add(`${xrd.group}|${xrd.names.kind}`);
    if (xrd.claimNames) index.claims.add(`${xrd.group}|${xrd.claimNames.kind}`);
  }
  return index;
}

const cachedIndexes = new WeakMap<readonly Xrd[], XrdKindIndex>();

function kindIndex(
  xrds: readonly Xrd[] | XrdKindIndex | undefined,
): XrdKindIndex | undefined {
  if (!xrds) return undefined;
  if (!Array.isArray(xrds)) return xrds as XrdKindIndex;
  let index = cachedIndexes.get(xrds);
  if (!index) {
    index = indexXrdKinds(xrds);
    cachedIndexes.set(xrds, index);
  }
  return index;
}

/**
 * What an object is. With XRDs (or their {@link indexXrdKinds} index), claims
 * and composites are recognised by kind; without, by their shape: composites
 * by Crossplane's machinery fields (`spec.resourceRefs`, `spec.claimRef`,
 * `spec.crossplane`, `spec.compositionRef`), claims by `spec.resourceRef`
 * plus a composition field, managed resources by `spec.forProvider` or
 * `spec.providerConfigRef`.
 *
 * @public
 */
export function classifyObject(
  obj: KubernetesObject,
  xrds?: readonly Xrd[] | XrdKindIndex,
): ObjectClass {
  if (!isRecord(obj) || typeof obj.kind !== 'string') return 'other';
  const { group } = splitApiVersion(
    typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
  );
  const kind = obj.kind;

  if (group === 'apiextensions.crossplane.io') {
    if (kind === 'CompositeResourceDefinition') return 'xrd';
    if (kind === 'Composition' || kind === 'CompositionRevision')
      return 'composition';
    return 'other';
  }
  if (group === 'pkg.crossplane.io') {
    if (kind === 'Provider' || kind === 'ProviderRevision') return 'provider';
    if (kind === 'Function' || kind === 'FunctionRevision') return 'function';
    if (kind === 'Configuration' || kind === 'ConfigurationRevision')
      return 'configuration';
    return 'other';
  }
  if (group === '' && kind === 'Secret') return 'secret';
  if (WORKLOAD_GROUPS.has(group) && WORKLOAD_KINDS.has(kind)) return 'workload';

  const index = kindIndex(xrds);
  if (index) {
    const key = `${group}|${kind}`;
    if (index.composites.has(key)) return 'composite';
    if (index.claims.has(key)) return 'claim';
  }

  const spec = obj.spec;
  if (isRecord(spec)) {
    if (isRecord(spec.forProvider) || isRecord(spec.providerConfigRef))
      return 'managed';
    if (
      isRecord(spec.crossplane) ||
      Array.isArray(spec.resourceRefs) ||
      isRecord(spec.claimRef)
    ) {
      return 'composite';
    }
    const namespacedObject =
      isRecord(obj.metadata) && typeof obj.metadata.namespace === 'string';
    const ref = spec.resourceRef;
    if (
      namespacedObject &&
      isRecord(ref) &&
      typeof ref.apiVersion === 'string' &&
      typeof ref.kind === 'string' &&
      typeof ref.name === 'string' &&
      Object.keys(ref).every(k => ['apiVersion', 'kind', 'name'].includes(k))
    ) {
      // A bound claim: spec.resourceRef names its (cluster-scoped) composite.
      return 'claim';
    }
    const hasCompositionField =
      isRecord(spec.compositionRef) ||
      isRecord(spec.compositionSelector) ||
      isRecord(spec.compositionRevisionRef);
    if (hasCompositionField) {
      const namespaced =
        isRecord(obj.metadata) && typeof obj.metadata.namespace === 'string';
      if (isRecord(spec.resourceRef) || (namespaced && !index)) return 'claim';
      return 'composite';
    }
  }
  return 'other';
}

/** The classes of Crossplane's objects: its own kinds and what it composes. */
const CROSSPLANE_CLASSES = new Set<ObjectClass>([
  'xrd',
  'composition',
  'claim',
  'composite',
  'managed',
  'provider',
  'function',
  'configuration',
]);

/**
 * Whether an object is Crossplane's: of a `crossplane.io` group, or a
 * claim, composite or managed resource as {@link classifyObject} tells
 * them (by their kind among the XRDs, else by their shape).
 */
export function isCrossplaneObject(
  obj: KubernetesObject,
  xrds?: readonly Xrd[] | XrdKindIndex,
): boolean {
  const { group } = splitApiVersion(
    isRecord(obj) && typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
  );
  return (
    group.endsWith('crossplane.io') ||
    CROSSPLANE_CLASSES.has(classifyObject(obj, xrds))
  );
}
