import {
  CrossplaneAnnotations,
  LabelSelector,
  NameRef,
  SecretRef,
  getClaimRef,
  getCompositeRef,
  getResourceRefs,
} from './crossplane';
import { KubernetesObject, ObjectRef } from './types';
import { isRecord } from './util';

/**
 * The Crossplane machinery of a claim or composite, read from whichever
 * layout it uses.
 *
 * @public
 */
export interface CompositeInfo {
  /** `v2` when the fields live under `spec.crossplane` (v2 Namespaced and Cluster composites). */
  layout: 'v1' | 'v2';
  compositionRef?: NameRef;
  compositionSelector?: LabelSelector;
  compositionRevisionRef?: NameRef;
  compositionUpdatePolicy?: string;
  /** Composed resources (composites). */
  resourceRefs: ObjectRef[];
  /** The claim a composite is bound to. */
  claimRef?: ObjectRef;
  /** The composite a claim is bound to. */
  compositeRef?: ObjectRef;
  writeConnectionSecretToRef?: SecretRef;
}

function nameRef(value: unknown): NameRef | undefined {
  return isRecord(value) && typeof value.name === 'string'
    ? { name: value.name }
    : undefined;
}

function selector(value: unknown): LabelSelector | undefined {
  if (!isRecord(value) || !isRecord(value.matchLabels)) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const key of Object.keys(value.matchLabels)) {
    if (typeof value.matchLabels[key] === 'string')
      matchLabels[key] = value.matchLabels[key];
  }
  return { matchLabels };
}

/**
 * Reads the machinery of a claim or composite (v1 fields under `spec`, v2
 * fields under `spec.crossplane`). Never throws.
 *
 * @public
 */
export function compositeInfo(obj: KubernetesObject): CompositeInfo {
  const spec = isRecord(obj) && isRecord(obj.spec) ? obj.spec : {};
  const v2 = isRecord(spec.crossplane);
  const m: Record<string, any> = v2 ? spec.crossplane : spec;
  const info: CompositeInfo = {
    layout: v2 ? 'v2' : 'v1',
    resourceRefs: getResourceRefs(obj),
  };
  const compositionRef = nameRef(m.compositionRef);
  if (compositionRef) info.compositionRef = compositionRef;
  const compositionSelector = selector(m.compositionSelector);
  if (compositionSelector) info.compositionSelector = compositionSelector;
  const revision = nameRef(m.compositionRevisionRef);
  if (revision) info.compositionRevisionRef = revision;
  if (typeof m.compositionUpdatePolicy === 'string') {
    info.compositionUpdatePolicy = m.compositionUpdatePolicy;
  }
  const claimRef = getClaimRef(obj);
  if (claimRef) info.claimRef = claimRef;
  const compositeRef = getCompositeRef(obj);
  if (compositeRef) info.compositeRef = compositeRef;
  const secret = isRecord(spec.writeConnectionSecretToRef)
    ? spec.writeConnectionSecretToRef
    : undefined;
  if (secret && typeof secret.name === 'string') {
    info.writeConnectionSecretToRef = {
      name: secret.name,
      ...(typeof secret.namespace === 'string'
        ? { namespace: secret.namespace }
        : {}),
    };
  }
  return info;
}

/**
 * A managed resource as the portal shows it.
 *
 * @public
 */
export interface ManagedInfo {
  /** `crossplane.io/external-name`: the resource's name in the external system. */
  externalName?: string;
  /** `spec.providerConfigRef.name` (and kind, for v2 namespaced managed resources). */
  providerConfig?: { name: string; kind?: string };
  deletionPolicy?: string;
  managementPolicies?: string[];
  forProvider?: Record<string, unknown>;
  atProvider?: Record<string, unknown>;
  writeConnectionSecretToRef?: SecretRef;
  /** The composite that composed it (controller owner reference), if any. */
  owner?: ObjectRef;
  /** `crossplane.io/composition-resource-name`: its name in the Composition. */
  compositionResourceName?: string;
}

/**
 * Reads a managed resource (also a provider-kubernetes Object). Never throws.
 *
 * @public
 */
export function managedInfo(obj: KubernetesObject): ManagedInfo {
  const info: ManagedInfo = {};
  if (!isRecord(obj)) return info;
  const metadata: Record<string, any> = isRecord(obj.metadata)
    ? obj.metadata
    : {};
  const annotations: Record<string, any> = isRecord(metadata.annotations)
    ? metadata.annotations
    : {};
  const spec: Record<string, any> = isRecord(obj.spec) ? obj.spec : {};
  const status: Record<string, any> = isRecord(obj.status) ? obj.status : {};
  if (typeof annotations[CrossplaneAnnotations.externalName] === 'string') {
    info.externalName = annotations[CrossplaneAnnotations.externalName];
  }
  if (
    typeof annotations[CrossplaneAnnotations.compositionResourceName] ===
    'string'
  ) {
    info.compositionResourceName =
      annotations[CrossplaneAnnotations.compositionResourceName];
  }
  if (
    isRecord(spec.providerConfigRef) &&
    typeof spec.providerConfigRef.name === 'string'
  ) {
    info.providerConfig = { name: spec.providerConfigRef.name };
    if (typeof spec.providerConfigRef.kind === 'string') {
      info.providerConfig.kind = spec.providerConfigRef.kind;
    }
  }
  if (typeof spec.deletionPolicy === 'string')
    info.deletionPolicy = spec.deletionPolicy;
  if (Array.isArray(spec.managementPolicies)) {
    info.managementPolicies = spec.managementPolicies.filter(
      (p: unknown): p is string => typeof p === 'string',
    );
  }
  if (isRecord(spec.forProvider)) info.forProvider = spec.forProvider;
  if (isRecord(status.atProvider)) info.atProvider = status.atProvider;
  if (
    isRecord(spec.writeConnectionSecretToRef) &&
    typeof spec.writeConnectionSecretToRef.name === 'string'
  ) {
    const ref = spec.writeConnectionSecretToRef;
    info.writeConnectionSecretToRef = {
      name: ref.name,
      ...(typeof ref.namespace === 'string'
        ? { namespace: ref.namespace }
        : {}),
    };
  }
  const owners = Array.isArray(metadata.ownerReferences)
    ? metadata.ownerReferences
    : [];
  const owner = owners.find(
    (o: unknown) => isRecord(o) && o.controller === true,
  );
  if (
    isRecord(owner) &&
    typeof owner.kind === 'string' &&
    typeof owner.name === 'string'
  ) {
    info.owner = { kind: owner.kind, name: owner.name };
    if (typeof owner.apiVersion === 'string')
      info.owner.apiVersion = owner.apiVersion;
    if (typeof metadata.namespace === 'string')
      info.owner.namespace = metadata.namespace;
  }
  return info;
}
