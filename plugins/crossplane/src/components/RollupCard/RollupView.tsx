import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { EntityRollup } from '../../api/types';
import { HealthStatus } from '../HealthStatus';
import { causeText } from './causeText';
import { RollupEntityTable } from './RollupEntityTable';
import { RollupSource } from './RollupSource';
import { SignalName } from './SignalName';

/**
 * A roll-up as the server sends it: the overall health with its cause, the
 * services of a System or owner, then every source, in the server's order
 * (worst first; never re-sorted here).
 */
export function RollupView(props: { rollup: EntityRollup }) {
  const { rollup } = props;
  const members = rollup.members ?? [];
  // Every source answered and none knows of anything.
  const empty =
    members.length === 0 &&
    rollup.sources.every(s => !s.error && s.signals.length === 0);
  return (
    <>
      <Box
        data-testid="rollup-health"
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <Typography variant="h5" component="div">
          <HealthStatus health={rollup.health} />
        </Typography>
        <Typography variant="body1" data-testid="rollup-cause">
          {causeText(rollup) ??
            (empty ? '' : 'Every source reports this service healthy.')}
        </Typography>
        {rollup.cause && (rollup.cause.entityRef || rollup.cause.link) && (
          <Typography variant="body2" color="textSecondary">
            See <SignalName signal={rollup.cause} />
          </Typography>
        )}
      </Box>
      {empty && (
        <Box mt={2} data-testid="rollup-empty">
          <Typography variant="body2">
            Nothing reports on this entity yet: no workloads, Crossplane
            resources or pipeline runs are linked to it.
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Workloads are linked by their{' '}
            <code>backstage.io/kubernetes-id</code> label, Crossplane resources
            by the entity&apos;s <code>dependsOn</code> relations.
          </Typography>
        </Box>
      )}
      {members.length > 0 && (
        <Box component="section" mt={3} data-testid="rollup-members">
          <Typography variant="h6" component="h3" gutterBottom>
            Services
          </Typography>
          <RollupEntityTable rows={members} entityTitle="Service" />
          {rollup.membersTotal !== undefined &&
            rollup.membersTotal > members.length && (
              <Typography variant="body2" color="textSecondary">
                Only {members.length} of its {rollup.membersTotal} services
                rolled up.
              </Typography>
            )}
        </Box>
      )}
      {!empty &&
        rollup.sources.map(source => (
          <RollupSource key={source.id} source={source} />
        ))}
    </>
  );
}
