import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import {
  CrossplaneClusterStatus,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
} from '../../api/types';

/** What the control-plane page shows; each half may fail on its own. */
export interface ControlPlaneData {
  clusters?: CrossplaneClusterStatus[];
  clustersError?: Error;
  summary?: CrossplaneSummary;
  summaryError?: Error;
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Clusters and the first `limit` resources of the summary, fetched together
 * and again every `intervalMs` unless paused. The previous data stays on screen while a refresh runs.
 */
export function useControlPlaneData(options: {
  filters: CrossplaneSummaryFilters;
  /** How many resources to fetch, worst first. */
  limit: number;
  intervalMs: number;
  paused: boolean;
}) {
  const api = useApi(crossplaneApiRef);
  const filtersKey = JSON.stringify(options.filters);
  const { limit } = options;
  const state = useAsyncRetry(async (): Promise<ControlPlaneData> => {
    const [clusters, summary] = await Promise.allSettled([
      api.getClusters(),
      api.getSummary(JSON.parse(filtersKey), { limit }),
    ]);
    return {
      clusters: clusters.status === 'fulfilled' ? clusters.value : undefined,
      clustersError:
        clusters.status === 'rejected' ? asError(clusters.reason) : undefined,
      summary: summary.status === 'fulfilled' ? summary.value : undefined,
      summaryError:
        summary.status === 'rejected' ? asError(summary.reason) : undefined,
    };
  }, [api, filtersKey, limit]);

  // Keep the last good data of each half across failed refreshes.
  const last = useRef<ControlPlaneData>({});
  useEffect(() => {
    if (state.value?.clusters) last.current.clusters = state.value.clusters;
    if (state.value?.summary) last.current.summary = state.value.summary;
  }, [state.value]);

  const loadingRef = useRef(state.loading);
  loadingRef.current = state.loading;
  useInterval(
    () => {
      if (!loadingRef.current) state.retry();
    },
    options.paused ? null : options.intervalMs,
  );

  const value = state.value;
  return {
    loading: state.loading,
    firstLoad: state.loading && !value,
    refresh: state.retry,
    clusters: value?.clusters ?? (value ? last.current.clusters : undefined),
    clustersError: value?.clustersError,
    summary: value?.summary ?? (value ? last.current.summary : undefined),
    summaryError: value?.summaryError,
  };
}
