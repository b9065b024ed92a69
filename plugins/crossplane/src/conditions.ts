import { Entity } from '@backstage/catalog-model';
import { CROSSPLANE_ENTITY_ANNOTATIONS } from '@platformops/plugin-crossplane-common';
import {
  CrossplaneObjectLocator,
  Health,
  HealthStatus,
  HEALTH_STATUSES,
} from './api/types';

/**
 * The annotation PlatformOps sets on every entity it ingests from a cluster.
 *
 * @public
 */
export const CROSSPLANE_CLUSTER_ANNOTATION: typeof CROSSPLANE_ENTITY_ANNOTATIONS.cluster =
  CROSSPLANE_ENTITY_ANNOTATIONS.cluster;

/**
 * The annotations PlatformOps reads from entities. Those of the object's
 * identity (cluster, apiVersion, kind, namespace, name) may be written by
 * hand; the others are set by the catalog module.
 *
 * @public
 */
export const CROSSPLANE_ANNOTATIONS = CROSSPLANE_ENTITY_ANNOTATIONS;

/**
 * True for entities that PlatformOps can show live status for.
 *
 * @public
 */
export function isCrossplaneAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[CROSSPLANE_CLUSTER_ANNOTATION]);
}

/**
 * The object an entity stands for, from its annotations; undefined when
 * the cluster, api-version, kind or name annotation is missing.
 *
 * @public
 */
export function getCrossplaneObjectLocator(
  entity: Entity,
): CrossplaneObjectLocator | undefined {
  const a = entity.metadata.annotations ?? {};
  const cluster = a[CROSSPLANE_ANNOTATIONS.cluster];
  const apiVersion = a[CROSSPLANE_ANNOTATIONS.apiVersion];
  const kind = a[CROSSPLANE_ANNOTATIONS.kind];
  const name = a[CROSSPLANE_ANNOTATIONS.name];
  if (!cluster || !apiVersion || !kind || !name) return undefined;
  const locator: CrossplaneObjectLocator = { cluster, apiVersion, kind, name };
  const namespace = a[CROSSPLANE_ANNOTATIONS.namespace];
  if (namespace) locator.namespace = namespace;
  return locator;
}

/**
 * The health the catalog module recorded on the entity at ingestion time,
 * if any.
 *
 * @public
 */
export function getAnnotatedHealth(entity: Entity): Health | undefined {
  const a = entity.metadata.annotations ?? {};
  const status = a[CROSSPLANE_ANNOTATIONS.health] as HealthStatus | undefined;
  if (!status || !HEALTH_STATUSES.includes(status)) return undefined;
  const health: Health = { status };
  if (a[CROSSPLANE_ANNOTATIONS.healthReason]) {
    health.reason = a[CROSSPLANE_ANNOTATIONS.healthReason];
  }
  if (a[CROSSPLANE_ANNOTATIONS.healthMessage]) {
    health.message = a[CROSSPLANE_ANNOTATIONS.healthMessage];
  }
  return health;
}
