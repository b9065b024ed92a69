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
  entityTargetOf,
  objectEntityName,
  ObjectRef,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { CrossplaneProviderConfig } from '../providers/config';
import { kubernetesAnnotations } from '../providers/kubernetesAnnotations';
import type { ClusterObjects } from './DependsOnAnnotationProcessor';

/** What an author selects for the Kubernetes tab themselves. */
const KUBERNETES_SELECTION = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
];

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
 * `dependsOn` relation to the ingested entity of that object, and, where
 * the author selects nothing for Backstage's Kubernetes tab, the
 * annotations of the object's own entity: its composed workloads, if it
 * has any (see the catalog module's README).
 *
 * @public
 */
export class CrossplaneEntityLinkProcessor implements CatalogProcessor {
  constructor(
    private readonly config: CrossplaneProviderConfig,
    /** The clusters' cached objects; without them, no Kubernetes tab. */
    private readonly objects?: ClusterObjects,
  ) {}

  getProcessorName(): string {
    return 'CrossplaneEntityLinkProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const linked = linkedObject(entity);
    const objects = this.objects;
    if (!linked?.apiVersion || !objects) return entity;
    const annotations = entity.metadata.annotations ?? {};
    if (KUBERNETES_SELECTION.some(key => annotations[key])) return entity;
    if (linked.objectClass !== 'claim' && linked.objectClass !== 'composite')
      return entity;
    const { cluster } = linked;
    const find = (ref: ObjectRef) =>
      objects.find({
        cluster,
        ...splitApiVersion(ref.apiVersion),
        kind: ref.kind,
        namespace: ref.namespace || undefined,
        name: ref.name,
      });
    const object = find(linked);
    if (!object) return entity;
    const additions = kubernetesAnnotations(object, linked.objectClass, {
      cluster,
      find,
    });
    if (Object.keys(additions).length === 0) return entity;
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
