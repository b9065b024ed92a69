import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  clusterEntityName,
  clusterLocation,
  CROSSPLANE_ENTITY_ANNOTATIONS,
} from '@platformops/plugin-crossplane-common';
import { ClusterConfig } from '@platformops/plugin-crossplane-node';
import { CrossplaneProviderConfig } from './config';

/**
 * A cluster as a Resource of type `kubernetes-cluster`, with the annotations
 * Backstage's kubernetes plugin reads, and the kinds whose list fails (their
 * entities are as last listed). Credentials never enter the entity.
 */
export function clusterEntity(
  cluster: ClusterConfig,
  config: CrossplaneProviderConfig,
  failingKinds: readonly string[] = [],
): Entity {
  const location = clusterLocation(cluster.name);
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(cluster.name),
      namespace: config.entityNamespace,
      title: cluster.title ?? cluster.name,
      description: `Kubernetes cluster ${cluster.name}`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [CROSSPLANE_ENTITY_ANNOTATIONS.cluster]: cluster.name,
        'kubernetes.io/api-server': cluster.url,
        'kubernetes.io/auth-provider': cluster.authProvider,
        'kubernetes.io/skip-tls-verify': String(cluster.skipTLSVerify),
      },
      tags: ['crossplane', 'kubernetes'],
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: config.owner.defaultOwner,
    },
  };
  if (failingKinds.length > 0) {
    entity.metadata.annotations![CROSSPLANE_ENTITY_ANNOTATIONS.failingKinds] =
      failingKinds.join(',');
  }
  return entity;
}
