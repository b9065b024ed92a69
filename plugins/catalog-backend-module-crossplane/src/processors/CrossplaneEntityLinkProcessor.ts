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
import { CrossplaneLabels } from '@platformops/plugin-crossplane-common';
import { objectEntityName } from '@platformops/plugin-crossplane-node';
import { CROSSPLANE_ANNOTATIONS } from '../providers/annotations';
import { CrossplaneProviderConfig } from '../providers/config';

/** The object a hand-written entity names, from its annotations. */
function linkedObject(entity: Entity) {
  const annotations = entity.metadata.annotations ?? {};
  const cluster = annotations[CROSSPLANE_ANNOTATIONS.cluster];
  const kind = annotations[CROSSPLANE_ANNOTATIONS.kind];
  const name = annotations[CROSSPLANE_ANNOTATIONS.name];
  const location = annotations[ANNOTATION_LOCATION] ?? '';
  if (!cluster || !kind || !name || location.startsWith('crossplane:')) {
    return undefined;
  }
  const namespace = annotations[CROSSPLANE_ANNOTATIONS.namespace];
  const objectClass =
    annotations[CROSSPLANE_ANNOTATIONS.objectClass] ??
    (namespace ? 'claim' : 'composite');
  return { cluster, kind, name, namespace, objectClass };
}

/**
 * Links entities that people write by hand to the Crossplane objects they
 * use. A `catalog-info.yaml` entity that names a claim or composite with the
 * annotations `platformops.io/cluster`, `platformops.io/kind`,
 * `platformops.io/name` (and `platformops.io/namespace` for a claim) gets a
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
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const linked = linkedObject(entity);
    if (!linked) return entity;
    const source = getCompoundEntityRef(entity);
    const target = {
      kind:
        linked.objectClass === 'claim'
          ? this.config.claimsAs
          : this.config.compositesAs,
      namespace: this.config.entityNamespace,
      name: objectEntityName(linked),
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
