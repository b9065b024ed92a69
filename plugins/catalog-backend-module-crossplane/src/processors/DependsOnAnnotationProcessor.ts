import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  makeValidator,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  classifyObject,
  CrossplaneObjectId,
  entityOf,
  EntityMappingConfig,
  KubernetesObject,
  parseCrossplaneResourceRef,
  parseXrd,
  Xrd,
} from '@platformops/plugin-crossplane-common';

/**
 * The annotation a service names what it depends on with, comma
 * separated: entity refs (`resource:default/payments-db`, the namespace
 * defaulting to the entity's), or cluster objects as
 * `<cluster>:<apiVersion>/<kind>/<namespace>/<name>` (empty namespace for
 * a cluster-scoped object), e.g.
 * `local:database.platformops.io/v1alpha1/PostgreSQLInstance/team-alpha/payments-db`.
 */
export const DEPENDS_ON_ANNOTATION = 'platformops.io/depends-on';

/** Most values one annotation may hold. */
export const MAX_DEPENDS_ON = 50;

/** The cached objects of a cluster, as the processor needs them. */
export interface ClusterObjects {
  /** The object of an identity, or undefined (also for unknown clusters). */
  find(id: CrossplaneObjectId): KubernetesObject | undefined;
  /** The cluster's XRDs, to tell claims and composites by kind. */
  xrds(cluster: string): Xrd[];
}

/**
 * Turns the `platformops.io/depends-on` annotation of an entity into
 * `dependsOn` relations (and their `dependencyOf` inverse). A cluster
 * object becomes a relation to the entity the Crossplane provider emits
 * for it (by the same mapping), once the object is in the cluster's cache;
 * an object the catalog leaves out gets none. A value that is neither an
 * entity ref nor an object ref is reported on the entity.
 *
 * @public
 */
export class DependsOnAnnotationProcessor implements CatalogProcessor {
  readonly #objects: ClusterObjects;
  readonly #mapping: EntityMappingConfig;

  constructor(options: {
    objects: ClusterObjects;
    mapping: EntityMappingConfig;
  }) {
    this.#objects = options.objects;
    this.#mapping = options.mapping;
  }

  getProcessorName(): string {
    return 'DependsOnAnnotationProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const value = entity.metadata.annotations?.[DEPENDS_ON_ANNOTATION];
    if (!value) return entity;
    const source = getCompoundEntityRef(entity);
    const values = value
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
    if (values.length > MAX_DEPENDS_ON) {
      emit(
        processingResult.inputError(
          location,
          `${DEPENDS_ON_ANNOTATION}: must name at most ${MAX_DEPENDS_ON} dependencies (got ${values.length})`,
        ),
      );
      return entity;
    }
    for (const item of values) {
      const target = this.#targetOf(item, source.namespace);
      if ('problem' in target) {
        emit(
          processingResult.inputError(
            location,
            `${DEPENDS_ON_ANNOTATION}: "${item.slice(0, 200)}" ${
              target.problem
            }`,
          ),
        );
        continue;
      }
      if (!target.ref) continue;
      emit(
        processingResult.relation({
          source,
          type: RELATION_DEPENDS_ON,
          target: target.ref,
        }),
      );
      emit(
        processingResult.relation({
          source: target.ref,
          type: RELATION_DEPENDENCY_OF,
          target: source,
        }),
      );
    }
    return entity;
  }

  /** The entity a value names; no ref for an object not (yet) ingested. */
  #targetOf(
    value: string,
    defaultNamespace: string,
  ): { ref?: CompoundEntityRef } | { problem: string } {
    const id = parseCrossplaneResourceRef(value);
    if (id) {
      const object = this.#objects.find(id);
      if (!object) return {};
      const entity = entityOf(
        object,
        classifyObject(object, this.#objects.xrds(id.cluster)),
        id.cluster,
        this.#mapping,
      );
      return entity
        ? {
            ref: {
              kind: entity.kind,
              namespace: entity.namespace,
              name: entity.name,
            },
          }
        : {};
    }
    try {
      const ref = parseEntityRef(value, { defaultNamespace });
      const valid = makeValidator();
      if (
        valid.isValidKind(ref.kind) &&
        valid.isValidNamespace(ref.namespace) &&
        valid.isValidEntityName(ref.name)
      ) {
        return { ref };
      }
    } catch {
      // Reported below.
    }
    return {
      problem:
        'is neither an entity ref (kind:namespace/name) nor a cluster object (cluster:apiVersion/kind/namespace/name)',
    };
  }
}

/** {@link ClusterObjects} of caches of clusters. */
export function clusterObjectsOf(
  cacheOf: (cluster: string) =>
    | {
        objectsOfKind(group: string, kind: string): KubernetesObject[];
      }
    | undefined,
): ClusterObjects {
  return {
    find(id) {
      return cacheOf(id.cluster)
        ?.objectsOfKind(id.group, id.kind)
        .find(
          o =>
            o.metadata.name === id.name &&
            (o.metadata.namespace || undefined) === id.namespace,
        );
    },
    xrds(cluster) {
      const xrds: Xrd[] = [];
      for (const object of cacheOf(cluster)?.objectsOfKind(
        'apiextensions.crossplane.io',
        'CompositeResourceDefinition',
      ) ?? []) {
        try {
          xrds.push(parseXrd(object));
        } catch {
          // A malformed XRD defines no kinds.
        }
      }
      return xrds;
    },
  };
}
