import { healthSeverity } from '@platformops/plugin-crossplane-common';
import {
  CrossplaneResourceSummary,
  CrossplaneSummaryFilters,
} from '../../api/types';

/** The filter keys of the summary, in the order the page shows them. */
export const FILTER_KEYS = ['cluster', 'xrd', 'owner', 'namespace'] as const;

/** One of {@link FILTER_KEYS}. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * The resources that match every non-empty filter. The backend filters
 * too; doing it here as well keeps the list right while a refresh with new
 * filters is under way.
 */
export function filterResources(
  resources: CrossplaneResourceSummary[],
  filters: CrossplaneSummaryFilters,
): CrossplaneResourceSummary[] {
  return resources.filter(resource =>
    FILTER_KEYS.every(key => {
      const wanted = filters[key];
      if (!wanted || wanted.length === 0) return true;
      const value = resource[key];
      return value !== undefined && wanted.includes(value);
    }),
  );
}

/**
 * Worst rolled-up health first (Degraded, Unknown, Progressing, Deleting,
 * Paused, Healthy), then by cluster, namespace and name.
 */
export function sortResources(
  resources: CrossplaneResourceSummary[],
): CrossplaneResourceSummary[] {
  return [...resources].sort(
    (a, b) =>
      healthSeverity(b.rolledUpHealth.status) -
        healthSeverity(a.rolledUpHealth.status) ||
      a.cluster.localeCompare(b.cluster) ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.name.localeCompare(b.name),
  );
}
