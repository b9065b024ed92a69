import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

/**
 * A platform team's own mapping of cluster objects to catalog fields, e.g.
 * a `team` label to the owner, `app.kubernetes.io/part-of` to the system.
 *
 * @public
 */
export interface CrossplaneEntityTransform {
  /** Stable id, e.g. `team-labels`; names the transform in the warnings. */
  id: string;
  /**
   * The entity to emit for an object, or undefined to keep the entity as
   * it is. Receives copies: the entity the mapping made (and earlier
   * transforms changed) and the object as the watch cache keeps it (no
   * managed fields or last-applied configuration; Secrets never reach
   * it). Runs for every object at every write, so it must be quick and
   * must not call out.
   *
   * What it may change: `spec.owner`, `spec.system`, `spec.lifecycle`,
   * `metadata.title`, `description`, `tags`, `labels` and `links`, and
   * new annotations. The rest, the entity's kind, namespace and name
   * above all, ties the entity to its object: a change to it is dropped
   * with a warning naming the transform and the field, and so is one to
   * the `platformops.io/*` labels and annotations. A transform that
   * throws leaves that object's entity as it was; other objects are
   * still transformed and the cluster is still written.
   */
  transform(
    entity: Entity,
    object: KubernetesObject,
    context: { cluster: string },
  ): Entity | undefined;
}

/**
 * Where modules of the catalog add entity transforms to the Crossplane
 * catalog module.
 *
 * @public
 */
export interface CrossplaneEntityTransformsExtensionPoint {
  /** Added transforms run in the order added, each on the last one's entity. */
  addEntityTransform(
    ...transforms: Array<
      CrossplaneEntityTransform | CrossplaneEntityTransform[]
    >
  ): void;
}

/**
 * The extension point of entity transforms, for modules of the `catalog`
 * plugin:
 *
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'team-labels',
 *   register(env) {
 *     env.registerInit({
 *       deps: { transforms: crossplaneEntityTransformsExtensionPoint },
 *       async init({ transforms }) {
 *         transforms.addEntityTransform(teamLabels);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const crossplaneEntityTransformsExtensionPoint =
  createExtensionPoint<CrossplaneEntityTransformsExtensionPoint>({
    id: 'catalog.crossplane.entity-transforms',
  });
