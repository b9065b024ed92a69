import { getCompositeRef, getResourceRefs } from '../model/crossplane';
import type { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';
import { parseFullEntityRef } from '../policy/entityRefs';
import { entityRefString, identityOf, objectEntityName } from './entityNames';
import { LabelRequirement, matchesLabelSelector } from './labelSelector';
import {
  DEFAULT_OWNER_RULES,
  OwnerRules,
  claimLabelsOf,
  ownerOf,
} from './ownerRules';

/**
 * Catalog kind an ingested claim or composite becomes.
 *
 * @public
 */
export type CompositeEntityKind = 'Component' | 'Resource';

/**
 * What decides which objects become entities and how
 * (`catalog.providers.crossplane`): read once, the same for the catalog
 * module that emits the entities, the status backend that links to them
 * and the scaffolder that waits for them.
 *
 * @public
 */
export interface EntityMappingConfig {
  /** Catalog namespace of the entities. */
  entityNamespace: string;
  claimsAs: CompositeEntityKind;
  compositesAs: CompositeEntityKind;
  /** Kubernetes namespaces whose objects are ingested; all when undefined. */
  namespaces?: string[];
  /** Labels an ingested object must have. */
  labelSelector: LabelRequirement[];
  /** Managed resources become entities. */
  managedResources: boolean;
  /** Deployments, StatefulSets and Services become entities. */
  workloads: boolean;
  owner: OwnerRules;
}

/** @public */
export const DEFAULT_ENTITY_MAPPING: EntityMappingConfig = {
  entityNamespace: 'default',
  claimsAs: 'Component',
  compositesAs: 'Component',
  labelSelector: [],
  managedResources: true,
  workloads: true,
  owner: DEFAULT_OWNER_RULES,
};

/**
 * The catalog kind and `spec.type` of an object's entity.
 *
 * @public
 */
export interface EntityTarget {
  kind: string;
  type: string;
}

/**
 * The kind and type an object of this class becomes, or undefined for
 * what never enters the catalog (Secrets among it) or is turned off. Says
 * nothing of the namespace and label filters: see `passesIngestionFilters`.
 *
 * @public
 */
export function entityTargetOf(
  object: KubernetesObject,
  objectClass: ObjectClass | string,
  config: EntityMappingConfig,
): EntityTarget | undefined {
  switch (objectClass) {
    case 'xrd':
      return { kind: 'API', type: 'crossplane-xrd' };
    case 'claim':
      return { kind: config.claimsAs, type: 'crossplane-claim' };
    case 'composite':
      return { kind: config.compositesAs, type: 'crossplane-xr' };
    case 'managed':
      return config.managedResources
        ? { kind: 'Resource', type: 'crossplane-managed' }
        : undefined;
    case 'composition':
      return object.kind === 'Composition'
        ? { kind: 'Resource', type: 'crossplane-composition' }
        : undefined;
    case 'provider':
      return { kind: 'Resource', type: 'crossplane-provider' };
    case 'function':
      return { kind: 'Resource', type: 'crossplane-function' };
    case 'workload':
      if (!config.workloads) return undefined;
      if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
        return { kind: 'Component', type: 'kubernetes-workload' };
      }
      return undefined;
    default:
      if (
        config.workloads &&
        object.kind === 'Service' &&
        object.apiVersion === 'v1'
      ) {
        return { kind: 'Resource', type: 'kubernetes-service' };
      }
      return undefined;
  }
}

/**
 * Whether the object passes the namespace and label filters. A
 * cluster-scoped object has no namespace to filter by.
 *
 * @public
 */
export function passesIngestionFilters(
  object: KubernetesObject,
  config: EntityMappingConfig,
): boolean {
  const { namespace } = object.metadata;
  if (namespace && config.namespaces && !config.namespaces.includes(namespace))
    return false;
  return matchesLabelSelector(object.metadata.labels, config.labelSelector);
}

/**
 * The entity an object of a cluster becomes: its kind, type, name and
 * ref, or undefined when the catalog leaves it out.
 *
 * @public
 */
export function entityOf(
  object: KubernetesObject,
  objectClass: ObjectClass | string,
  cluster: string,
  config: EntityMappingConfig,
):
  | (EntityTarget & { namespace: string; name: string; ref: string })
  | undefined {
  const target = entityTargetOf(object, objectClass, config);
  if (!target || !passesIngestionFilters(object, config)) return undefined;
  const namespace = config.entityNamespace;
  const name = objectEntityName(identityOf(object, cluster));
  return {
    ...target,
    namespace,
    name,
    ref: entityRefString({ kind: target.kind, namespace, name }),
  };
}

/**
 * The entity ref of an object of a cluster, or undefined when the catalog
 * leaves it out: what every link to an object's entity uses, so that a
 * link exists only to an entity the catalog emits.
 *
 * @public
 */
export function entityRefOf(
  object: KubernetesObject,
  objectClass: ObjectClass | string,
  cluster: string,
  config: EntityMappingConfig,
): string | undefined {
  return entityOf(object, objectClass, cluster, config)?.ref;
}

/**
 * What mapping one object needs to know about the rest of its cluster.
 *
 * @public
 */
export interface EntityMappingContext {
  cluster: string;
  config: EntityMappingConfig;
  /** The class of an object of this cluster. */
  classOf(object: KubernetesObject): ObjectClass;
  /** The object a reference points at (same group, kind, namespace, name). */
  find(ref: ObjectRef): KubernetesObject | undefined;
  /** The claim of that name and namespace, whatever its kind. */
  findClaim(name: string, namespace: string): KubernetesObject | undefined;
}

/**
 * The owner of an object's entity: see {@link ownerOf}.
 *
 * @public
 */
export function entityOwnerOf(
  object: KubernetesObject,
  context: Pick<EntityMappingContext, 'config' | 'findClaim'>,
): string {
  const claimed = claimLabelsOf(object);
  return ownerOf(object, {
    rules: context.config.owner,
    entityNamespace: context.config.entityNamespace,
    claim: claimed && context.findClaim(claimed.name, claimed.namespace),
  });
}

/**
 * Annotation (or label) by which an object names the System its entity is
 * part of: `payments`, or a ref such as `system:default/payments`.
 *
 * @public
 */
export const SYSTEM_KEY = 'platformops.io/system';

function validSystem(
  value: string | undefined,
  entityNamespace: string,
): string | undefined {
  if (!value) return undefined;
  const ref = value.includes(':')
    ? value
    : `system:${entityNamespace}/${value}`;
  try {
    return parseFullEntityRef(ref, SYSTEM_KEY, {
      kinds: ['system'],
      example: 'system:default/payments',
    });
  } catch {
    // A malformed system written by hand never keeps the object out.
    return undefined;
  }
}

/**
 * The System an object's entity is part of: the one it names itself by the
 * `platformops.io/system` annotation or label, else, for an object made for
 * a claim, the claim's; undefined when none is named.
 *
 * @public
 */
export function entitySystemOf(
  object: KubernetesObject,
  context: Pick<EntityMappingContext, 'config' | 'findClaim'>,
): string | undefined {
  const { entityNamespace } = context.config;
  const own = (o: KubernetesObject) =>
    validSystem(
      o.metadata.annotations?.[SYSTEM_KEY] ?? o.metadata.labels?.[SYSTEM_KEY],
      entityNamespace,
    );
  const claimed = claimLabelsOf(object);
  const claim = claimed && context.findClaim(claimed.name, claimed.namespace);
  return own(object) ?? (claim ? own(claim) : undefined);
}

/**
 * The entities an object's entity depends on: a claim's composite, a
 * composite's composed resources. Only objects that exist and are
 * ingested: a dangling reference is shown by the resource tree, not turned
 * into a broken relation.
 *
 * @public
 */
export function dependsOnOf(
  object: KubernetesObject,
  objectClass: ObjectClass | string,
  context: EntityMappingContext,
): string[] {
  let refs: ObjectRef[] = [];
  if (objectClass === 'claim') {
    const composite = getCompositeRef(object);
    refs = composite ? [composite] : [];
  } else if (objectClass === 'composite') {
    refs = getResourceRefs(object);
  }
  const result: string[] = [];
  for (const ref of refs) {
    const target = context.find(ref);
    const entityRef =
      target &&
      entityRefOf(
        target,
        context.classOf(target),
        context.cluster,
        context.config,
      );
    if (entityRef && !result.includes(entityRef)) result.push(entityRef);
  }
  return result;
}
