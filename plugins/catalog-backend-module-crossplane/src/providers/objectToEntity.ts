import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  clusterLocation,
  CROSSPLANE_ENTITY_ANNOTATIONS,
  computeHealth,
  dependsOnOf,
  entityOf,
  entityOwnerOf,
  EntityMappingContext,
  entitySystemOf,
  KubernetesObject,
  parseXrd,
  referenceableVersion,
} from '@platformops/plugin-crossplane-common';
import yaml from 'yaml';
import { CrossplaneProviderConfig } from './config';
import { HEALTH_LABEL } from './annotations';
import { kubernetesAnnotations } from './kubernetesAnnotations';
import type { EntityTransforms } from '../transforms/EntityTransforms';

/** What mapping one object needs to know about the rest of its cluster. */
export interface MappingContext extends EntityMappingContext {
  config: CrossplaneProviderConfig;
  /** The platform team's transforms, run on every mapped entity. */
  transforms?: EntityTransforms;
}

const MAX_ANNOTATION_MESSAGE = 500;

/**
 * The entity an object becomes, or undefined when it is not ingested: the
 * mapping's, then the transforms'.
 */
export function objectToEntity(
  object: KubernetesObject,
  context: MappingContext,
): Entity | undefined {
  const entity = mappedEntity(object, context);
  if (!entity || !context.transforms) return entity;
  return context.transforms.apply(entity, object, context.cluster);
}

function mappedEntity(
  object: KubernetesObject,
  context: MappingContext,
): Entity | undefined {
  const { config, cluster } = context;
  const objectClass = context.classOf(object);
  const target = entityOf(object, objectClass, cluster, config);
  if (!target) return undefined;

  const health = computeHealth(object);
  const location = clusterLocation(cluster);
  const A = CROSSPLANE_ENTITY_ANNOTATIONS;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [A.cluster]: cluster,
    [A.apiVersion]: object.apiVersion,
    [A.kind]: object.kind,
    [A.name]: object.metadata.name,
    [A.objectClass]: objectClass,
    [A.health]: health.status,
    ...kubernetesAnnotations(object, objectClass, context),
  };
  if (object.metadata.namespace)
    annotations[A.namespace] = object.metadata.namespace;
  if (object.metadata.uid) annotations[A.uid] = object.metadata.uid;
  if (health.reason) annotations[A.healthReason] = health.reason;
  if (health.message) {
    annotations[A.healthMessage] = health.message.slice(
      0,
      MAX_ANNOTATION_MESSAGE,
    );
  }
  if (health.since) annotations[A.healthSince] = health.since;

  const where = object.metadata.namespace
    ? `${object.metadata.namespace}/`
    : '';
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: target.kind,
    metadata: {
      name: target.name,
      namespace: target.namespace,
      title: object.metadata.name,
      description: `${object.kind} ${where}${object.metadata.name} in cluster ${cluster}`,
      labels: { [HEALTH_LABEL]: health.status.toLowerCase() },
      annotations,
      tags: ['crossplane', objectClass].filter(
        (t, i, all) => all.indexOf(t) === i,
      ),
    },
    spec: {
      type: target.type,
      lifecycle: config.lifecycle,
      owner: entityOwnerOf(object, context),
    },
  };

  const system = entitySystemOf(object, context);
  if (system) entity.spec!.system = system;
  const dependsOn = dependsOnOf(object, objectClass, context);
  if (dependsOn.length > 0) entity.spec!.dependsOn = dependsOn;
  if (objectClass === 'xrd') {
    entity.spec!.definition = xrdDefinition(object);
  }
  return entity;
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
