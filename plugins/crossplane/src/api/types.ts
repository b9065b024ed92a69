import type {
  Health,
  HealthStatus,
  ObjectRef,
} from '@platformops/plugin-crossplane-common';

export type { Health, HealthStatus, ObjectRef };

/**
 * Every health status, from worst to best: the order in which the
 * control-plane page lists counts.
 *
 * @public
 */
export const HEALTH_STATUSES: readonly HealthStatus[] = [
  'Degraded',
  'Unknown',
  'Progressing',
  'Deleting',
  'Paused',
  'Healthy',
];

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
} from '@platformops/plugin-crossplane-common';
