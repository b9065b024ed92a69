/**
 * PlatformOps frontend: Crossplane status for Backstage entity pages and the
 * control-plane page. The new frontend system is exported from `./alpha`.
 *
 * @packageDocumentation
 */

export {
  crossplanePlugin,
  CrossplaneControlPlanePage,
  EntityCrossplaneStatusCard,
  EntityCrossplaneEventsCard,
  EntityCrossplaneTimelineCard,
  EntityCrossplaneResourceTreeContent,
  EntityCrossplaneYamlContent,
  EntityServiceRollupCard,
  EntityServicePage,
  CrossplaneManifestPreviewFieldExtension,
  CrossplaneNamespacePickerFieldExtension,
  CrossplaneCompositionPickerFieldExtension,
} from './plugin';
export {
  isServiceEntity,
  isServiceGroupEntity,
} from './components/ServicePage/isServiceEntity';
export type { EntityServiceRollupCardProps } from './components/RollupCard';
export {
  isCrossplaneAvailable,
  getCrossplaneObjectLocator,
  getAnnotatedHealth,
  CROSSPLANE_CLUSTER_ANNOTATION,
  CROSSPLANE_ANNOTATIONS,
} from './conditions';
export {
  type CrossplaneApi,
  crossplaneApiRef,
  type LifecycleRequestOptions,
} from './api/CrossplaneApi';
export {
  type CrossplaneBlockingUsage,
  type CrossplaneClusterCounts,
  type CrossplaneClusterStatus,
  type CrossplaneCompositionChoice,
  type CrossplaneCompositionChoices,
  type CrossplaneCondition,
  type CrossplaneCreatePreview,
  type CrossplaneCreatePreviewRequest,
  type CrossplaneDay2Capabilities,
  type CrossplaneDay2Operation,
  type CrossplaneDeleteRequest,
  type CrossplaneDeletionFate,
  type CrossplaneDeletionImpact,
  type CrossplaneDeletionItem,
  type CrossplaneDeletionProgress,
  type CrossplaneDeletionProgressItem,
  type CrossplaneEditForm,
  type CrossplaneEditRequest,
  type CrossplaneEditResult,
  type CrossplaneEvent,
  type CrossplaneFieldConflict,
  type CrossplaneFieldOwner,
  type CrossplaneGitOpsSource,
  type CrossplaneLifecycleCapabilities,
  type CrossplaneLifecycleCapability,
  type CrossplaneLifecycleObject,
  type CrossplaneLifecycleOperation,
  type CrossplaneLifecycleResult,
  type CrossplaneNamespaceChoices,
  type CrossplaneObjectLocator,
  type CrossplaneReconcileOutcome,
  type CrossplaneResourceSummary,
  type CrossplaneRevisionLag,
  type CrossplaneSummary,
  type CrossplaneSummaryFilters,
  type CrossplaneSummaryPage,
  type CrossplaneTimelineEntry,
  type CrossplaneTreeNode,
  type CrossplaneUpgradeRequest,
  type CrossplaneUpgradeStep,
  type EntityRollup,
  type EntityRollupPage,
  type Health,
  HEALTH_STATUSES,
  type ObjectRef,
  type RollupGrouping,
  type StatusSignal,
  type StatusSourceResult,
  type TemplateParameterStep,
} from './api/types';
export { CrossplaneClient } from './api/CrossplaneClient';
export {
  type CrossplaneClusterAuth,
  KubernetesClusterAuth,
} from './api/ClusterAuthHeaders';
export {
  HealthStatus,
  healthColor,
  isFailing,
} from './components/HealthStatus';
export type { HealthStatusProps } from './components/HealthStatus';
export {
  CrossplaneErrorPanel,
  isNotAllowedError,
} from './components/CrossplaneErrorPanel';
export type { ControlPlanePageProps } from './components/ControlPlanePage';
