import { Condition, KubernetesObject, ObjectRef } from './types';
import { asArray, isRecord } from './util';

/**
 * Crossplane's well-known labels and annotations.
 *
 * @public
 */
export const CrossplaneLabels = {
  /** On composites and everything they compose: the name of the root composite. */
  composite: 'crossplane.io/composite',
  /** On composites created for a claim and their composed resources. */
  claimName: 'crossplane.io/claim-name',
  claimNamespace: 'crossplane.io/claim-namespace',
} as const;

/**
 * Crossplane's well-known annotations.
 *
 * @public
 */
export const CrossplaneAnnotations = {
  paused: 'crossplane.io/paused',
  externalName: 'crossplane.io/external-name',
  compositionResourceName: 'crossplane.io/composition-resource-name',
} as const;

/**
 * A reference to a Composition (or revision) by name.
 *
 * @public
 */
export interface NameRef {
  name: string;
}

/**
 * A label selector as Crossplane uses it for compositions.
 *
 * @public
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

/**
 * Where a composite or claim writes its connection details.
 *
 * @public
 */
export interface SecretRef {
  name: string;
  namespace?: string;
}

/**
 * Crossplane machinery fields of a composite resource: under `spec` for
 * Crossplane v1 (and v2 LegacyCluster) composites, under `spec.crossplane`
 * for v2 Namespaced and Cluster composites.
 *
 * @public
 */
export interface CompositeMachinery {
  compositionRef?: NameRef;
  compositionSelector?: LabelSelector;
  compositionRevisionRef?: NameRef;
  compositionRevisionSelector?: LabelSelector;
  compositionUpdatePolicy?: 'Automatic' | 'Manual';
  resourceRefs?: ObjectRef[];
  claimRef?: ObjectRef;
  writeConnectionSecretToRef?: SecretRef;
}

/**
 * A claim (Crossplane v1 and LegacyCluster XRDs with `claimNames`).
 *
 * @public
 */
export interface ClaimObject extends KubernetesObject {
  spec: {
    compositionRef?: NameRef;
    compositionSelector?: LabelSelector;
    compositionRevisionRef?: NameRef;
    compositionUpdatePolicy?: 'Automatic' | 'Manual';
    compositeDeletePolicy?: 'Background' | 'Foreground';
    resourceRef?: ObjectRef;
    writeConnectionSecretToRef?: { name: string };
    [key: string]: any;
  };
}

/**
 * A composite resource (XR), v1 layout or v2 layout.
 *
 * @public
 */
export interface CompositeObject extends KubernetesObject {
  spec: CompositeMachinery & {
    crossplane?: CompositeMachinery;
    [key: string]: any;
  };
}

/**
 * A managed resource: `spec.forProvider` in, `status.atProvider` out.
 *
 * @public
 */
export interface ManagedObject extends KubernetesObject {
  spec: {
    forProvider?: Record<string, any>;
    initProvider?: Record<string, any>;
    providerConfigRef?: NameRef & { kind?: string };
    deletionPolicy?: 'Delete' | 'Orphan';
    managementPolicies?: string[];
    writeConnectionSecretToRef?: SecretRef;
    [key: string]: any;
  };
  status?: {
    atProvider?: Record<string, any>;
    conditions?: Condition[];
    [key: string]: any;
  };
}

/**
 * The conditions of an object, well-formed ones only.
 *
 * @public
 */
export function getConditions(obj: KubernetesObject | undefined): Condition[] {
  const status = isRecord(obj) ? obj.status : undefined;
  if (!isRecord(status)) return [];
  const out: Condition[] = [];
  for (const c of asArray(status.conditions)) {
    if (!isRecord(c) || typeof c.type !== 'string') continue;
    const s = c.status;
    if (s !== 'True' && s !== 'False' && s !== 'Unknown') continue;
    const cond: Condition = { type: c.type, status: s };
    if (typeof c.reason === 'string') cond.reason = c.reason;
    if (typeof c.message === 'string') cond.message = c.message;
    if (typeof c.lastTransitionTime === 'string')
      cond.lastTransitionTime = c.lastTransitionTime;
    if (typeof c.observedGeneration === 'number')
      cond.observedGeneration = c.observedGeneration;
    out.push(cond);
  }
  return out;
}

/**
 * One condition by type.
 *
 * @public
 */
export function getCondition(
  obj: KubernetesObject | undefined,
  type: string,
): Condition | undefined {
  return getConditions(obj).find(c => c.type === type);
}

function toRef(value: unknown): ObjectRef | undefined {
  if (
    !isRecord(value) ||
    typeof value.kind !== 'string' ||
    typeof value.name !== 'string'
  ) {
    return undefined;
  }
  if (!value.kind || !value.name) return undefined;
  const ref: ObjectRef = { kind: value.kind, name: value.name };
  if (typeof value.apiVersion === 'string' && value.apiVersion)
    ref.apiVersion = value.apiVersion;
  if (typeof value.namespace === 'string' && value.namespace)
    ref.namespace = value.namespace;
  return ref;
}

function machinery(obj: KubernetesObject): Record<string, any>[] {
  const spec = isRecord(obj) ? obj.spec : undefined;
  if (!isRecord(spec)) return [];
  return isRecord(spec.crossplane) ? [spec.crossplane, spec] : [spec];
}

/**
 * The composed resources a composite references (`spec.resourceRefs` in v1,
 * `spec.crossplane.resourceRefs` in v2). For a namespaced v2 composite,
 * references without a namespace are resolved to the composite's own.
 *
 * @public
 */
export function getResourceRefs(obj: KubernetesObject): ObjectRef[] {
  for (const m of machinery(obj)) {
    if (Array.isArray(m.resourceRefs)) {
      const ns = isRecord(obj.metadata) ? obj.metadata.namespace : undefined;
      const refs: ObjectRef[] = [];
      for (const r of m.resourceRefs) {
        const ref = toRef(r);
        if (!ref) continue;
        if (!ref.namespace && ns) ref.namespace = ns;
        refs.push(ref);
      }
      return refs;
    }
  }
  return [];
}

/**
 * The claim a composite is bound to (`spec.claimRef`, v1 and LegacyCluster).
 *
 * @public
 */
export function getClaimRef(obj: KubernetesObject): ObjectRef | undefined {
  for (const m of machinery(obj)) {
    const ref = toRef(m.claimRef);
    if (ref) return ref;
  }
  return undefined;
}

/**
 * The composite a claim is bound to (`spec.resourceRef`).
 *
 * @public
 */
export function getCompositeRef(obj: KubernetesObject): ObjectRef | undefined {
  const spec = isRecord(obj) ? obj.spec : undefined;
  return isRecord(spec) ? toRef(spec.resourceRef) : undefined;
}

/**
 * The Composition a claim or composite uses (`compositionRef.name`, either
 * layout).
 *
 * @public
 */
export function getCompositionName(obj: KubernetesObject): string | undefined {
  for (const m of machinery(obj)) {
    if (
      isRecord(m.compositionRef) &&
      typeof m.compositionRef.name === 'string'
    ) {
      return m.compositionRef.name;
    }
  }
  return undefined;
}

/**
 * Whether the object carries Crossplane's pause annotation.
 *
 * @public
 */
export function isPaused(obj: KubernetesObject): boolean {
  const annotations =
    isRecord(obj) && isRecord(obj.metadata)
      ? obj.metadata.annotations
      : undefined;
  return (
    isRecord(annotations) &&
    annotations[CrossplaneAnnotations.paused] === 'true'
  );
}
