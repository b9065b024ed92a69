/**
 * Cluster access for the PlatformOps backend packages: the clusters of
 * Backstage's `kubernetes` config, a client per cluster, and the service that
 * shares them.
 *
 * @packageDocumentation
 */

export * from './config/readClusterConfigs';
export * from './client/types';
export {
  KubernetesClusterClient,
  type KubernetesClusterClientOptions,
  type KubernetesTransport,
} from './client/KubernetesClusterClient';
export { ClusterRequestError } from './client/ClusterRequestError';
export * from './service/CrossplaneClusters';
export {
  crossplaneClustersServiceRef,
  crossplaneClustersServiceFactory,
  type CrossplaneClustersServiceFactoryOptions,
} from './service/crossplaneClustersServiceRef';
export { RefreshingCrossplaneClusters } from './service/RefreshingCrossplaneClusters';
export {
  CatalogClusterSupplier,
  type CatalogServiceAccount,
  type ClusterCatalogReader,
} from './clusters/CatalogClusterSupplier';
export type { NamedClusterSupplier } from './clusters/readClusterSuppliers';
export {
  ClusterObjectCache,
  type ClusterCacheEvent,
  type ClusterCacheStatus,
  type KindCacheStatus,
  type ClusterObjectCacheOptions,
} from './cache/ClusterObjectCache';
export * from './service/CrossplaneObjectCache';
export { crossplaneObjectCacheServiceRef } from './service/crossplaneObjectCacheServiceRef';
export {
  ENTITY_MAPPING_CONFIG_KEY,
  readEntityMapping,
} from './catalog/readEntityMapping';
export {
  DEFAULT_WRITABLE_KINDS,
  readWritableKinds,
  resolveServedObject,
  resolveWriteTarget,
  WRITES_CONFIG_KEY,
  XRD_API_VERSION,
  XRD_KIND,
  type WritableKinds,
  type WriteRole,
  type WriteTarget,
} from './guard/writeTargets';
export {
  NAMESPACE_POLICY_CONFIG_KEY,
  readNamespacePolicy,
} from './config/readNamespacePolicy';
export { crossplaneRoleOf } from './guard/writeTargets';
export * from './lifecycle/lifecycleOperations';
export * from './lifecycle/resolveLifecycleTarget';
export * from './lifecycle/deletionImpact';
export * from './lifecycle/revisionUpgrade';
export * from './lifecycle/editObject';
export { fieldConflictsOf } from './client/fieldConflicts';
export { findXrd } from './guard/findXrd';
export { checkCompositionChoice, compositionsOf } from './guard/compositions';
export * from './lifecycle/previewCreate';
export * from './extensions/statusSources';
export * from './extensions/entityTransforms';
