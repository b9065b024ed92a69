import {
  HEALTH_STATUSES as BEST_TO_WORST,
  type EntityRollup,
  type Health,
  type HealthStatus,
  type ObjectRef,
} from '@platformops/plugin-crossplane-common';

export type { Health, HealthStatus, ObjectRef };

/**
 * Every health status, from worst to best: the order in which the
 * control-plane page lists counts. The common order of health values,
 * worst first, so that counts, lists and roll-ups agree.
 *
 * @public
 */
export const HEALTH_STATUSES: readonly HealthStatus[] = [
  ...BEST_TO_WORST,
].reverse();

export type {
  CrossplaneObjectLocator,
  CrossplaneClusterStatus,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneResourceSummary,
  CrossplaneClusterCounts,
  CrossplaneSummary,
  CrossplaneCondition,
  CrossplaneTreeNode,
  CrossplaneEvent,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleObject,
  CrossplaneLifecycleResult,
  CrossplaneReconcileOutcome,
  CrossplaneLifecycleCapability,
  CrossplaneLifecycleCapabilities,
  CrossplaneDay2Operation,
  CrossplaneDay2Capabilities,
  CrossplaneGitOpsSource,
  CrossplaneFieldOwner,
  CrossplaneEditForm,
  CrossplaneEditRequest,
  CrossplaneFieldConflict,
  CrossplaneEditResult,
  CrossplaneDeletionFate,
  CrossplaneDeletionItem,
  CrossplaneBlockingUsage,
  CrossplaneDeletionImpact,
  CrossplaneDeletionProgress,
  CrossplaneDeletionProgressItem,
  CrossplaneDeleteRequest,
  CrossplaneRevisionLag,
  CrossplaneUpgradeStep,
  CrossplaneUpgradeRequest,
  CrossplaneTimelineEntry,
  CrossplaneCreatePreview,
  CrossplaneNamespaceChoices,
  CrossplaneCompositionChoice,
  CrossplaneCompositionChoices,
  TemplateParameterStep,
  EntityRollup,
  StatusSignal,
  StatusSourceResult,
} from '@platformops/plugin-crossplane-common';

/**
 * How `listRollups` groups services: per System or per owner.
 *
 * @public
 */
export type RollupGrouping = 'system' | 'owner';

/**
 * One page of `listRollups`: the roll-ups of Systems or owners in name
 * order, and how many there are in all.
 *
 * @public
 */
export interface EntityRollupPage {
  items: EntityRollup[];
  page: { offset: number; limit: number; total: number };
}

/**
 * The body of `POST /create-preview`: what a generated create form sends to
 * its render step: the cluster, the XRD by name, and the whole form's values
 * (the template's `parameters`).
 *
 * @public
 */
export interface CrossplaneCreatePreviewRequest {
  cluster: string;
  xrd: string;
  values: Record<string, unknown>;
}
