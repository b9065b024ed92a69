import {
  ANNOTATION_LOCATION,
  Entity,
  getCompoundEntityRef,
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
  CROSSPLANE_ENTITY_ANNOTATIONS as A,
  CrossplaneLabels,
  entityTargetOf,
  objectEntityName,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { CrossplaneProviderConfig } from '../providers/config';

/** The object a hand-written entity names, from its annotations. */
function linkedObject(entity: Entity) {
  const annotations = entity.metadata.annotations ?? {};
  const cluster = annotations[A.cluster];
  const kind = annotations[A.kind];
  const name = annotations[A.name];
  const location = annotations[ANNOTATION_LOCATION] ?? '';
  if (!cluster || !kind || !name || location.startsWith('crossplane:')) {
    return undefined;
  }
  const apiVersion = annotations[A.apiVersion];
  const namespace = annotations[A.namespace];
  const objectClass =
    annotations[A.objectClass] ?? (namespace ? 'claim' : 'composite');
  return { cluster, apiVersion, kind, name, namespace, objectClass };
}

/**
 * Links entities that people write by hand to the Crossplane objects they
 * use. A `catalog-info.yaml` entity that names a claim or composite with the
 * annotations `platformops.io/cluster`, `platformops.io/api-version`,
 * `platformops.io/kind`, `platformops.io/name` (and
 * `platformops.io/namespace` for a claim) gets a
 * `dependsOn` relation to the ingested entity of that object, and the
 * annotations that make Backstage's Kubernetes tab show its resources.
 *
 * @public
 */
export class CrossplaneEntityLinkProcessor implements CatalogProcessor {
  constructor(private readonly config: CrossplaneProviderConfig) {}

  getProcessorName(): string {
    return 'CrossplaneEntityLinkProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const linked = linkedObject(entity);
    if (!linked) return entity;
    const additions: Record<string, string> = {};
    if (linked.namespace)
      additions['backstage.io/kubernetes-namespace'] = linked.namespace;
    additions['backstage.io/kubernetes-label-selector'] =
      linked.objectClass === 'claim' && linked.namespace
        ? `${CrossplaneLabels.claimName}=${linked.name},${CrossplaneLabels.claimNamespace}=${linked.namespace}`
        : `${CrossplaneLabels.composite}=${linked.name}`;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        // What the author wrote wins over what is derived.
        annotations: { ...additions, ...entity.metadata.annotations },
      },
    };
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const linked = linkedObject(entity);
    if (!linked) return entity;
    // Kinds share names across API groups: without the group, the object
    // is not known.
    if (!linked.apiVersion) {
      emit(
        processingResult.inputError(
          location,
          `${A.apiVersion}: is required to link ${
            getCompoundEntityRef(entity).name
          } to the ${linked.kind} ${
            linked.name
          } (e.g. database.example.org/v1alpha1)`,
        ),
      );
      return entity;
    }
    const object = {
      apiVersion: linked.apiVersion,
      kind: linked.kind,
      metadata: { name: linked.name, namespace: linked.namespace },
    };
    const kind = entityTargetOf(object, linked.objectClass, this.config)?.kind;
    if (!kind) return entity;
    const source = getCompoundEntityRef(entity);
    const target = {
      kind,
      namespace: this.config.entityNamespace,
      name: objectEntityName({
        cluster: linked.cluster,
        group: splitApiVersion(linked.apiVersion).group,
        kind: linked.kind,
        namespace: linked.namespace,
        name: linked.name,
      }),
    };
    emit(
      processingResult.relation({ source, type: RELATION_DEPENDS_ON, target }),
    );
    emit(
      processingResult.relation({
        source: target,
        type: RELATION_DEPENDENCY_OF,
        target: source,
      }),
    );
    return entity;
  }
}
