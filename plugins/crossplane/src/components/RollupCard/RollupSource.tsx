import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { StatusSignal, StatusSourceResult } from '../../api/types';
import { HealthStatus } from '../HealthStatus';
import { Timestamp } from '../shared/format';
import { detailLabel } from './causeText';
import { SignalName } from './SignalName';

function Details(props: { details?: Record<string, string> }) {
  const entries = Object.entries(props.details ?? {});
  if (entries.length === 0) return null;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
      {entries.map(([key, value]) => (
        <Typography key={key} variant="body2" component="span">
          <Typography variant="body2" component="span" color="textSecondary">
            {detailLabel(key)}
          </Typography>{' '}
          {value}
        </Typography>
      ))}
    </Box>
  );
}

function SignalRow(props: { signal: StatusSignal }) {
  const { signal } = props;
  return (
    <TableRow data-testid="rollup-signal">
      <TableCell style={{ width: 170 }}>
        <HealthStatus health={signal.health} />
        {signal.health.reason && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            style={{ wordBreak: 'break-word' }}
          >
            {signal.health.reason}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <SignalName signal={signal} />
      </TableCell>
      <TableCell>
        <Details details={signal.details} />
      </TableCell>
      <TableCell>{signal.health.message ?? ''}</TableCell>
      <TableCell style={{ whiteSpace: 'nowrap' }}>
        {signal.time && (
          <>
            {signal.event ? 'ran ' : 'since '}
            <Timestamp value={signal.time} />
          </>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * One status source of a roll-up: its health and its signals in the
 * server's order (worst first), or why it could not answer.
 */
export function RollupSource(props: { source: StatusSourceResult }) {
  const { source } = props;
  let body;
  if (source.error) {
    body = (
      <Alert severity="warning">
        Could not read {source.title}: {source.error}
      </Alert>
    );
  } else if (source.signals.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Nothing to report.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label={source.title}>
        <TableHead>
          <TableRow>
            <TableCell>Health</TableCell>
            <TableCell>Name</TableCell>
            <TableCell>Details</TableCell>
            <TableCell>Message</TableCell>
            <TableCell>When</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {source.signals.map((signal, i) => (
            <SignalRow key={`${signal.name}-${i}`} signal={signal} />
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <Box component="section" mt={3} data-testid={`rollup-source-${source.id}`}>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
        <Typography variant="h6" component="h3">
          {source.title}
        </Typography>
        <HealthStatus health={source.health} />
      </Box>
      {body}
    </Box>
  );
}
