import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  EntityRollup,
  HealthStatus as HealthStatusValue,
} from '../../api/types';
import { HealthCounts } from '../ControlPlanePage/HealthCounts';
import { HealthStatus } from '../HealthStatus';
import { causeText } from './causeText';
import { SignalName } from './SignalName';

/** One rolled-up entity: a System's or owner's service, or a System, or an owner. */
export type RollupRow = Pick<EntityRollup, 'entityRef' | 'health' | 'cause'> &
  Partial<Pick<EntityRollup, 'members' | 'membersTotal'>>;

/** How many of its services are in each health, e.g. "1 Degraded 1 Healthy". */
function MembersSummary(props: { row: RollupRow }) {
  const members = props.row.members ?? [];
  const total = props.row.membersTotal ?? members.length;
  if (total === 0) return <>none</>;
  const counts: Partial<Record<HealthStatusValue, number>> = {};
  for (const m of members) {
    counts[m.health.status] = (counts[m.health.status] ?? 0) + 1;
  }
  return (
    <>
      <HealthCounts counts={counts} />
      {total > members.length && (
        <Typography variant="caption" color="textSecondary" component="div">
          {members.length} of {total} services rolled up
        </Typography>
      )}
    </>
  );
}

/**
 * Rolled-up entities in the given order (the server's: worst first), each
 * linking to its entity, with the cause of its health.
 */
export function RollupEntityTable(props: {
  rows: RollupRow[];
  /** The heading of the entity column, e.g. "System". */
  entityTitle: string;
  /** Show how many services each row rolls up. */
  showMembers?: boolean;
  'aria-label'?: string;
}) {
  const { rows, entityTitle, showMembers } = props;
  return (
    <Table size="small" aria-label={props['aria-label'] ?? entityTitle}>
      <TableHead>
        <TableRow>
          <TableCell>Health</TableCell>
          <TableCell>{entityTitle}</TableCell>
          {showMembers && <TableCell>Services</TableCell>}
          <TableCell>Cause</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.entityRef} data-testid="rollup-entity">
            <TableCell style={{ width: 170 }}>
              <HealthStatus health={row.health} />
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              <EntityRefLink entityRef={row.entityRef} />
            </TableCell>
            {showMembers && (
              <TableCell style={{ minWidth: 160 }}>
                <MembersSummary row={row} />
              </TableCell>
            )}
            <TableCell>
              {causeText(row) ?? ''}
              {row.cause && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  <SignalName signal={row.cause} />
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
