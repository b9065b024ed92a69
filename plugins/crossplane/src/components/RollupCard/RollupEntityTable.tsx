import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EntityRollup } from '../../api/types';
import { HealthStatus } from '../HealthStatus';
import { causeText } from './causeText';
import { SignalName } from './SignalName';

/** One rolled-up entity: a System's or owner's service, or a System, or an owner. */
export type RollupRow = Pick<EntityRollup, 'entityRef' | 'health' | 'cause'> &
  Partial<Pick<EntityRollup, 'members' | 'membersTotal'>>;

function membersSummary(row: RollupRow): string {
  const members = row.members ?? [];
  const count = row.membersTotal ?? members.length;
  if (count === 0) return 'none';
  const failing = members.filter(m => m.health.status !== 'Healthy').length;
  const total = `${count} service${count === 1 ? '' : 's'}`;
  return failing ? `${total}, ${failing} not healthy` : total;
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
            <TableCell>
              <EntityRefLink entityRef={row.entityRef} />
            </TableCell>
            {showMembers && <TableCell>{membersSummary(row)}</TableCell>}
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
