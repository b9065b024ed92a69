import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useMemo, useRef, useState } from 'react';
import { CrossplaneSummaryFilters } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { isFailing } from '../HealthStatus';
import type { HealthStatus as HealthStatusValue } from '../../api/types';
import { Timestamp } from '../shared/format';
import { ClusterTiles } from './ClusterTiles';
import { HealthCounts } from './HealthCounts';
import { ResourceFilters } from './ResourceFilters';
import { ResourceTable } from './ResourceTable';
import { RevisionUpgrades } from './RevisionUpgrades';
import { RollupOverview } from '../RollupOverview';
import {
  FILTER_KEYS,
  FilterKey,
  filterResources,
  sortResources,
} from './resources';
import { useControlPlaneData } from './useControlPlaneData';

/**
 * Props of the control-plane page ({@link CrossplaneControlPlanePage}).
 *
 * @public
 */
export interface ControlPlanePageProps {
  /** How often to refresh, in milliseconds; 15 seconds by default. */
  refreshIntervalMs?: number;
  /**
   * How many resources to load, worst first, and to add with "Show more";
   * 500 by default. The counts always cover every resource.
   */
  pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 500;

const SUMMARY_OPTION_KEYS: Record<
  FilterKey,
  'clusters' | 'xrds' | 'owners' | 'namespaces'
> = {
  cluster: 'clusters',
  xrd: 'xrds',
  owner: 'owners',
  namespace: 'namespaces',
};

/**
 * The control-plane page: health per cluster, claims and composites with
 * the failing ones first (the worst `pageSize`, more on request), filters by cluster, XRD, owner and
 * namespace, refreshed every 15 seconds unless paused.
 *
 * @public
 */
export function ControlPlanePage(props: ControlPlanePageProps) {
  const intervalMs = props.refreshIntervalMs ?? 15_000;
  const pageSize = props.pageSize ?? DEFAULT_PAGE_SIZE;
  const [filters, setFiltersState] = useState<CrossplaneSummaryFilters>({});
  const [limit, setLimit] = useState(pageSize);
  const setFilters = (next: CrossplaneSummaryFilters) => {
    setFiltersState(next);
    setLimit(pageSize);
  };
  const [paused, setPaused] = useState(false);
  const data = useControlPlaneData({ filters, limit, intervalMs, paused });
  const { summary } = data;

  // Offer every value seen so far, so that narrowing one filter does not
  // take away the values of the others.
  const seen = useRef<Record<FilterKey, Set<string>>>({
    cluster: new Set(),
    xrd: new Set(),
    owner: new Set(),
    namespace: new Set(),
  });
  const options = useMemo(() => {
    const result = {} as Record<FilterKey, string[]>;
    for (const key of FILTER_KEYS) {
      for (const v of summary?.filters[SUMMARY_OPTION_KEYS[key]] ?? []) {
        seen.current[key].add(v);
      }
      if (key === 'cluster') {
        for (const c of data.clusters ?? []) seen.current.cluster.add(c.name);
      }
      for (const v of filters[key] ?? []) seen.current[key].add(v);
      result[key] = [...seen.current[key]].sort();
    }
    return result;
  }, [summary, data.clusters, filters]);

  const resources = useMemo(
    () => sortResources(filterResources(summary?.resources ?? [], filters)),
    [summary, filters],
  );
  // From the counts, which cover every resource, not only those loaded.
  const failing = Object.entries(summary?.totals ?? {})
    .filter(([status]) => isFailing(status as HealthStatusValue))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
  const total = summary?.page.total ?? resources.length;
  const every =
    intervalMs >= 1000
      ? `${Math.round(intervalMs / 1000)} s`
      : `${intervalMs} ms`;

  return (
    <Content>
      <ContentHeader title="Crossplane resources">
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {summary && (
            <Typography variant="body2" color="textSecondary">
              Updated <Timestamp value={summary.generatedAt} />
            </Typography>
          )}
          <FormControlLabel
            control={
              <Switch
                checked={!paused}
                onChange={(_, checked) => setPaused(!checked)}
                color="primary"
              />
            }
            label={`Auto-refresh every ${every}`}
          />
          <Tooltip title="Refresh now">
            <span>
              <IconButton
                aria-label="Refresh now"
                onClick={() => data.refresh()}
                disabled={data.loading}
              >
                <RefreshIcon />
              </IconButton>
            </span>
          </Tooltip>
        </Box>
      </ContentHeader>
      {data.firstLoad && <Progress />}
      {!data.firstLoad && (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            {data.clustersError ? (
              <CrossplaneErrorPanel
                error={data.clustersError}
                title="Could not load the clusters"
              />
            ) : (
              <ClusterTiles
                clusters={data.clusters}
                byCluster={summary?.byCluster}
              />
            )}
          </Grid>
          {data.summaryError && (
            <Grid item xs={12}>
              <CrossplaneErrorPanel
                error={data.summaryError}
                title="Could not load the resources"
              />
            </Grid>
          )}
          {summary && (
            <>
              <Grid item xs={12}>
                <InfoCard title="Health">
                  <div data-testid="health-totals">
                    <HealthCounts counts={summary.totals} showZero />
                  </div>
                </InfoCard>
              </Grid>
              <Grid item xs={12}>
                <ResourceFilters
                  options={options}
                  value={filters}
                  onChange={setFilters}
                />
              </Grid>
              <Grid item xs={12}>
                <ResourceTable
                  title={`Resources (${total})`}
                  subtitle={`${failing} failing`}
                  resources={resources}
                />
              </Grid>
              {total > resources.length && (
                <Grid item xs={12}>
                  <Box display="flex" alignItems="center" style={{ gap: 16 }}>
                    <Typography variant="body2" color="textSecondary">
                      Showing the {resources.length} worst of {total}; narrow
                      the filters or
                    </Typography>
                    <Button
                      variant="outlined"
                      disabled={data.loading}
                      onClick={() => setLimit(limit + pageSize)}
                    >
                      Show {Math.min(pageSize, total - resources.length)} more
                    </Button>
                  </Box>
                </Grid>
              )}
            </>
          )}
          <Grid item xs={12}>
            <RollupOverview intervalMs={paused ? null : intervalMs} />
          </Grid>
          <Grid item xs={12}>
            <RevisionUpgrades clusters={filters.cluster} />
          </Grid>
        </Grid>
      )}
    </Content>
  );
}

/**
 * The control-plane page with its own header, for the legacy frontend
 * system where pages draw their header themselves.
 *
 * @public
 */
export function ControlPlanePageWithHeader(props: ControlPlanePageProps) {
  return (
    <Page themeId="tool">
      <Header
        title="Control plane"
        subtitle="Crossplane claims and composites of every cluster"
      />
      <ControlPlanePage {...props} />
    </Page>
  );
}
