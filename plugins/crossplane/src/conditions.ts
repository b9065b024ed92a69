import { Entity } from '@backstage/catalog-model';

/**
 * The annotation PlatformOps sets on every entity it ingests from a cluster.
 *
 * @public
 */
export const CROSSPLANE_CLUSTER_ANNOTATION = 'platformops.io/cluster';

/**
 * True for entities that PlatformOps can show live status for.
 *
 * @public
 */
export function isCrossplaneAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[CROSSPLANE_CLUSTER_ANNOTATION]);
}
