import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  CrossplaneClusterCounts,
  CrossplaneClusterStatus,
} from '../../api/types';
import { Timestamp } from '../shared/format';
import { HealthCounts } from './HealthCounts';

interface Tile {
  name: string;
  status?: CrossplaneClusterStatus;
  counts?: CrossplaneClusterCounts['counts'];
}

/** Merges the cluster list and the per-cluster counts, by cluster name. */
function tilesOf(
  clusters: CrossplaneClusterStatus[] | undefined,
  byCluster: CrossplaneClusterCounts[] | undefined,
): Tile[] {
  const tiles = new Map<string, Tile>();
  for (const status of clusters ?? []) {
    tiles.set(status.name, { name: status.name, status });
  }
  for (const { cluster, counts } of byCluster ?? []) {
    tiles.set(cluster, { name: cluster, ...tiles.get(cluster), counts });
  }
  return [...tiles.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function Reachability(props: { status?: CrossplaneClusterStatus }) {
  const { status } = props;
  if (!status) return <StatusPending>Status unknown</StatusPending>;
  if (!status.reachable) return <StatusError>Unreachable</StatusError>;
  if (status.synced === false) return <StatusPending>Syncing</StatusPending>;
  return <StatusOK>Reachable</StatusOK>;
}

/** One card per cluster: reachability, version, object count, health counts and last error. */
export function ClusterTiles(props: {
  clusters?: CrossplaneClusterStatus[];
  byCluster?: CrossplaneClusterCounts[];
}) {
  const tiles = tilesOf(props.clusters, props.byCluster);
  if (tiles.length === 0) {
    return <Typography variant="body2">No clusters are configured.</Typography>;
  }
  return (
    <Grid container spacing={2}>
      {tiles.map(({ name, status, counts }) => (
        <Grid item xs={12} sm={6} lg={4} key={name}>
          <InfoCard
            title={name}
            subheader={<Reachability status={status} />}
            variant="gridItem"
          >
            <div data-testid={`cluster-tile-${name}`}>
              {status && (
                <Typography variant="body2" color="textSecondary">
                  {[
                    status.kubernetesVersion &&
                      `Kubernetes ${status.kubernetesVersion}`,
                    status.objectCount !== undefined &&
                      `${status.objectCount} objects`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography>
              )}
              <HealthCounts counts={counts ?? {}} />
              {status?.failingKinds && (
                <Typography variant="body2" color="error">
                  Not refreshing: {status.failingKinds.join(', ')}
                </Typography>
              )}
              {status?.lastError && (
                <Typography variant="body2" color="error">
                  {status.lastError}
                  {status.lastErrorAt && (
                    <>
                      {' '}
                      (<Timestamp value={status.lastErrorAt} />)
                    </>
                  )}
                </Typography>
              )}
            </div>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
