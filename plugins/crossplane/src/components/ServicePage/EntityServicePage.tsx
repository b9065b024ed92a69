import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { isCrossplaneAvailable } from '../../conditions';
import { EntityCrossplaneEventsCard } from '../EntityCrossplaneEventsCard';
import { EntityCrossplaneStatusCard } from '../EntityCrossplaneStatusCard';
import { EntityServiceRollupCard } from '../RollupCard';

/**
 * One page per service: its roll-up (workloads and pods, the Crossplane
 * resources it depends on, pipeline runs) full width, then the status and
 * events of the Crossplane object the entity itself names, if it names one.
 */
export function EntityServicePage() {
  const { entity } = useEntity();
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <EntityServiceRollupCard />
      </Grid>
      {isCrossplaneAvailable(entity) && (
        <>
          <Grid item xs={12} md={6}>
            <EntityCrossplaneStatusCard />
          </Grid>
          <Grid item xs={12} md={6}>
            <EntityCrossplaneEventsCard />
          </Grid>
        </>
      )}
    </Grid>
  );
}
