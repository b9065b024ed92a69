/**
 * Cluster access for the PlatformOps backend packages: the clusters of
 * Backstage's `kubernetes` config, a client per cluster, and the service that
 * shares them.
 *
 * Each module's exports are listed here by name: what is not listed is the
 * package's own.
 *
 * @packageDocumentation
 */

export {
  type ClusterAuthProvider,
  type ClusterConfig,
  readClusterConfigs,
} from './config/readClusterConfigs';
export {
  type ApplyOptions,
  type ClusterClient,
  type DeleteOptions,
  type ListOptions,
  type ListResult,
  type ObjectLocator,
  type PatchOptions,
  type ServedKind,
  type ServerVersion,
  type WatchEvent,
  type WatchHandle,
  type WatchOptions,
} from './client/types';
export {
  KubernetesClusterClient,
  type KubernetesClusterClientOptions,
  type KubernetesTransport,
} from './client/KubernetesClusterClient';
export { ClusterRequestError } from './client/ClusterRequestError';
export {
  BUILT_IN_AUTH_PROVIDERS,
  buildAuthStrategies,
  type ClusterAuthStrategies,
  type CrossplaneAuthStrategy,
} from './auth/authStrategies';
export {
  checkClusterAuth,
  readClusterAuthMetadata,
} from './auth/clusterAuthConfig';
export { clientForWrites } from './auth/clientForWrites';
export { clusterAuthFromHeaders } from './auth/requestAuth';
export {
  type ClusterCatalogAccess,
  type CrossplaneClusterInfo,
  type CrossplaneClusters,
  type CrossplaneClustersChange,
  StaticCrossplaneClusters,
  unknownClusterError,
} from './service/CrossplaneClusters';
export {
  crossplaneClustersServiceRef,
  crossplaneClustersServiceFactory,
  type CrossplaneClustersServiceFactoryOptions,
} from './service/crossplaneClustersServiceRef';
export type { ClusterCatalogReader } from './clusters/CatalogClusterSupplier';
export {
  ClusterObjectCache,
  type ClusterCacheEvent,
  type ClusterCacheStatus,
  type KindCacheStatus,
  type ClusterObjectCacheOptions,
} from './cache/ClusterObjectCache';
export {
  type CrossplaneObjectCache,
  type CrossplaneObjectCacheChange,
} from './service/CrossplaneObjectCache';
export { crossplaneObjectCacheServiceRef } from './service/crossplaneObjectCacheServiceRef';
export {
  ENTITY_MAPPING_CONFIG_KEY,
  readEntityMapping,
} from './catalog/readEntityMapping';
export {
  DEFAULT_WRITABLE_KINDS,
  readWritableKinds,
  type WritableKinds,
} from './guard/writeTargets';
export { readNamespacePolicy } from './config/readNamespacePolicy';
export {
  type LifecycleOperation,
  type LifecycleResult,
  type ReconcileOutcome,
  runLifecycleOperation,
  type SkippedObject,
} from './lifecycle/lifecycleOperations';
export {
  editFormOf,
  editObject,
  type EditObjectOptions,
  type EditTarget,
  renderEdit,
  resolveEditTarget,
} from './lifecycle/editObject';
export {
  type CrossplaneStatusSourcesExtensionPoint,
  crossplaneStatusSourcesExtensionPoint,
  type StatusSource,
} from './extensions/statusSources';
export {
  type CrossplaneEntityTransform,
  type CrossplaneEntityTransformsExtensionPoint,
  crossplaneEntityTransformsExtensionPoint,
} from './extensions/entityTransforms';

// The checks and operations that this repository's backend packages share:
// exported for them, left out of the published types (`@internal`).

/** @internal */
export {
  crossplaneRoleOf,
  resolveServedObject,
  resolveWriteTarget,
  type WriteRole,
  type WriteTarget,
  XRD_API_VERSION,
  XRD_KIND,
} from './guard/writeTargets';
/** @internal */
export { findXrd } from './guard/findXrd';
/** @internal */
export { checkCompositionChoice, compositionsOf } from './guard/compositions';
/** @internal */
export {
  type ComposedObject,
  composedObjects,
  type LifecycleTarget,
  resolveLifecycleTarget,
} from './lifecycle/resolveLifecycleTarget';
/** @internal */
export {
  assertDeletionRoot,
  assertNotGitOps,
  deleteTreeRoot,
  notDeletionRootReason,
  objectClassOfTarget,
  readDeletionImpact,
  summarizeDeletionImpact,
} from './lifecycle/deletionImpact';
/** @internal */
export {
  MAX_DELETION_PROGRESS_OBJECTS,
  readDeletionProgress,
} from './lifecycle/deletionProgress';
/** @internal */
export {
  COMPOSITION_NAME_LABEL,
  COMPOSITION_REVISION_KIND,
  DEFAULT_UPGRADE_WAIT_MS,
  hasManualRevisionPolicy,
  type LatestRevision,
  type LatestRevisionUpgrade,
  MAX_UPGRADE_OBJECTS,
  readLatestRevisions,
  type RevisionLag,
  revisionLagOf,
  type RevisionUpgradeOutcome,
  type RevisionUpgradeResult,
  runInSequence,
  upgradeToLatestRevision,
} from './lifecycle/revisionUpgrade';
/** @internal */
export { dryRunCreate, renderCreate } from './lifecycle/previewCreate';
