import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  classifyObject,
  computeHealth,
  CrossplaneLabels,
  getCompositeRef,
  getResourceRefs,
  KubernetesObject,
  ObjectClass,
  ObjectRef,
  parseXrd,
  referenceableVersion,
  XrdKindIndex,
} from '@platformops/plugin-crossplane-common';
import yaml from 'yaml';
import {
  crossplaneEntityKind,
  explicitOwner,
  objectEntityName,
} from '@platformops/plugin-crossplane-node';
import { matchesLabelSelector } from '../lib/labelSelector';
import { CrossplaneProviderConfig } from './config';
import { CROSSPLANE_ANNOTATIONS, HEALTH_LABEL } from './annotations';

/** What mapping one object needs to know about the rest of its cluster. */
export interface MappingContext {
  cluster: string;
  config: CrossplaneProviderConfig;
  xrds: XrdKindIndex;
  /** The cached object a reference points at, if it exists. */
  find(ref: ObjectRef): KubernetesObject | undefined;
  /** The cached claim of that name and namespace, whatever its kind. */
  findClaim(name: string, namespace: string): KubernetesObject | undefined;
}

const MAX_ANNOTATION_MESSAGE = 500;

/** The entity an object becomes, or undefined when it is not ingested. */
export function objectToEntity(
  object: KubernetesObject,
  context: MappingContext,
): Entity | undefined {
  const { config } = context;
  const objectClass = classifyObject(object, context.xrds);
  const target = entityTarget(object, objectClass, config);
  if (!target) return undefined;
  if (
    object.metadata.namespace &&
    config.namespaces &&
    !config.namespaces.includes(object.metadata.namespace)
  ) {
    return undefined;
  }
  if (!matchesLabelSelector(object.metadata.labels, config.labelSelector)) {
    return undefined;
  }

  const health = computeHealth(object);
  const location = `crossplane:cluster/${context.cluster}`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [CROSSPLANE_ANNOTATIONS.cluster]: context.cluster,
    [CROSSPLANE_ANNOTATIONS.apiVersion]: object.apiVersion,
    [CROSSPLANE_ANNOTATIONS.kind]: object.kind,
    [CROSSPLANE_ANNOTATIONS.name]: object.metadata.name,
    [CROSSPLANE_ANNOTATIONS.objectClass]: objectClass,
    [CROSSPLANE_ANNOTATIONS.health]: health.status,
    ...kubernetesPluginAnnotations(object, objectClass),
  };
  if (object.metadata.namespace)
    annotations[CROSSPLANE_ANNOTATIONS.namespace] = object.metadata.namespace;
  if (object.metadata.uid)
    annotations[CROSSPLANE_ANNOTATIONS.uid] = object.metadata.uid;
  if (health.reason)
    annotations[CROSSPLANE_ANNOTATIONS.healthReason] = health.reason;
  if (health.message) {
    annotations[CROSSPLANE_ANNOTATIONS.healthMessage] = health.message.slice(
      0,
      MAX_ANNOTATION_MESSAGE,
    );
  }
  if (health.since)
    annotations[CROSSPLANE_ANNOTATIONS.healthSince] = health.since;

  const where = object.metadata.namespace
    ? `${object.metadata.namespace}/`
    : '';
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: target.kind,
    metadata: {
      name: entityNameOf(object, context.cluster),
      namespace: config.entityNamespace,
      title: object.metadata.name,
      description: `${object.kind} ${where}${object.metadata.name} in cluster ${context.cluster}`,
      labels: { [HEALTH_LABEL]: health.status.toLowerCase() },
      annotations,
      tags: ['crossplane', objectClass].filter(
        (t, i, all) => all.indexOf(t) === i,
      ),
    },
    spec: {
      type: target.type,
      lifecycle: config.lifecycle,
      owner: ownerOf(object, objectClass, context),
    },
  };

  const dependsOn = dependenciesOf(object, objectClass, context);
  if (dependsOn.length > 0) entity.spec!.dependsOn = dependsOn;
  if (objectClass === 'xrd') {
    entity.spec!.definition = xrdDefinition(object);
  }
  return entity;
}

/** The entity name of an object of this cluster. */
export function entityNameOf(
  object: KubernetesObject,
  cluster: string,
): string {
  return objectEntityName({
    cluster,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  });
}

function entityTarget(
  object: KubernetesObject,
  objectClass: ObjectClass,
  config: CrossplaneProviderConfig,
): { kind: string; type: string } | undefined {
  // The kinds the status backend links to come from the same function.
  const kind = crossplaneEntityKind(objectClass, config);
  switch (objectClass) {
    case 'xrd':
      return { kind: kind!, type: 'crossplane-xrd' };
    case 'claim':
      return { kind: kind!, type: 'crossplane-claim' };
    case 'composite':
      return { kind: kind!, type: 'crossplane-xr' };
    case 'managed':
      return config.managedResources
        ? { kind: kind!, type: 'crossplane-managed' }
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
      // Secrets and everything else never enter the catalog.
      return undefined;
  }
}

function catalogKindOf(
  object: KubernetesObject,
  context: MappingContext,
): string | undefined {
  return entityTarget(
    object,
    classifyObject(object, context.xrds),
    context.config,
  )?.kind;
}

function entityRefOf(
  object: KubernetesObject,
  context: MappingContext,
): string | undefined {
  const kind = catalogKindOf(object, context);
  if (!kind) return undefined;
  return stringifyEntityRef({
    kind,
    namespace: context.config.entityNamespace,
    name: entityNameOf(object, context.cluster),
  });
}

function dependenciesOf(
  object: KubernetesObject,
  objectClass: ObjectClass,
  context: MappingContext,
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
    // Only relations to objects that exist: a dangling ref is shown by the
    // resource tree, not turned into a broken relation.
    const target = context.find(ref);
    const entityRef = target && entityRefOf(target, context);
    if (entityRef && !result.includes(entityRef)) result.push(entityRef);
  }
  return result;
}

function ownerOf(
  object: KubernetesObject,
  objectClass: ObjectClass,
  context: MappingContext,
): string {
  const { owner } = context.config;
  const own = explicitOwner(object, owner, context.config.entityNamespace);
  if (own) return own;
  // Composed objects belong to whoever owns their claim.
  if (objectClass === 'composite' || objectClass === 'managed') {
    const claimName = object.metadata.labels?.[CrossplaneLabels.claimName];
    const claimNamespace =
      object.metadata.labels?.[CrossplaneLabels.claimNamespace];
    if (claimName && claimNamespace) {
      const claim = context.findClaim(claimName, claimNamespace);
      const claimOwner =
        claim && explicitOwner(claim, owner, context.config.entityNamespace);
      if (claimOwner) return claimOwner;
      if (owner.fromNamespace)
        return `group:${context.config.entityNamespace}/${claimNamespace}`;
    }
  }
  if (owner.fromNamespace && object.metadata.namespace) {
    return `group:${context.config.entityNamespace}/${object.metadata.namespace}`;
  }
  return owner.defaultOwner;
}

function kubernetesPluginAnnotations(
  object: KubernetesObject,
  objectClass: ObjectClass,
): Record<string, string> {
  const { name, namespace } = object.metadata;
  const result: Record<string, string> = {};
  if (namespace) result['backstage.io/kubernetes-namespace'] = namespace;
  if (objectClass === 'claim' && namespace) {
    result[
      'backstage.io/kubernetes-label-selector'
    ] = `${CrossplaneLabels.claimName}=${name},${CrossplaneLabels.claimNamespace}=${namespace}`;
  } else if (objectClass === 'composite') {
    result[
      'backstage.io/kubernetes-label-selector'
    ] = `${CrossplaneLabels.composite}=${name}`;
  } else if (objectClass === 'workload') {
    const matchLabels = (
      object.spec as
        | { selector?: { matchLabels?: Record<string, string> } }
        | undefined
    )?.selector?.matchLabels;
    if (matchLabels && Object.keys(matchLabels).length > 0) {
      result['backstage.io/kubernetes-label-selector'] = Object.entries(
        matchLabels,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    }
  }
  return result;
}

function xrdDefinition(object: KubernetesObject): string {
  try {
    const xrd = parseXrd(object);
    const version = referenceableVersion(xrd);
    return yaml.stringify({
      group: xrd.group,
      kind: xrd.names.kind,
      claimKind: xrd.claimNames?.kind,
      version: version.name,
      schema: version.schema,
    });
  } catch (error) {
    return `# This XRD could not be read: ${(error as Error).message}\n`;
  }
}
