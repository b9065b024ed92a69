import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { ClusterConfig } from '@platformops/plugin-crossplane-node';

/** Annotation naming the cluster an ingested entity came from. */
export const CLUSTER_ANNOTATION = 'platformops.io/cluster';

/**
 * A cluster as a Resource of type `kubernetes-cluster`, with the annotations
 * Backstage's kubernetes plugin reads. Credentials never enter the entity.
 */
export function clusterEntity(
  cluster: ClusterConfig,
  location: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(cluster.name),
      title: cluster.title ?? cluster.name,
      description: `Kubernetes cluster ${cluster.name}`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [CLUSTER_ANNOTATION]: cluster.name,
        'kubernetes.io/api-server': cluster.url,
        'kubernetes.io/auth-provider': cluster.authProvider,
        'kubernetes.io/skip-tls-verify': String(cluster.skipTLSVerify),
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: 'group:default/platform-team',
    },
  };
}

/** Entity names allow [a-z0-9A-Z-_.], at most 63 characters. */
export function clusterEntityName(cluster: string): string {
  return `cluster-${cluster}`
    .replace(/[^A-Za-z0-9\-_.]/g, '-')
    .slice(0, 63)
    .replace(/[-_.]+$/, '');
}
