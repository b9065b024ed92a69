import {
  InfoCard,
  Progress,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneEvent } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { formatObjectRef, Timestamp } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';
import { sortEvents } from './sortEvents';

const useStyles = makeStyles(theme => ({
  empty: { padding: theme.spacing(2) },
}));

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const columns: TableColumn<CrossplaneEvent>[] = [
  {
    title: 'Type',
    width: '110px',
    render: row =>
      row.type === 'Warning' ? (
        <StatusWarning>Warning</StatusWarning>
      ) : (
        <StatusOK>Normal</StatusOK>
      ),
  },
  { title: 'Reason', field: 'reason' },
  { title: 'Object', render: row => formatObjectRef(row.involvedObject) },
  { title: 'Message', field: 'message' },
  { title: 'Count', field: 'count', width: '80px' },
  {
    title: 'Last seen',
    render: row => (
      <Timestamp value={row.lastTimestamp ?? row.firstTimestamp} />
    ),
  },
];

/**
 * The Kubernetes events of the entity's Crossplane object and every
 * resource below it, warnings first.
 */
export function EntityCrossplaneEventsCard() {
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const classes = useStyles();
  const [warningsOnly, setWarningsOnly] = useState(false);
  const { value, loading, error } = useAsync(
    async () => (locator ? api.getEvents(locator, { tree: true }) : undefined),
    [api, JSON.stringify(locator)],
  );
  const events = useMemo(() => sortEvents(value ?? []), [value]);
  const warnings = events.filter(e => e.type === 'Warning').length;
  const shown = warningsOnly
    ? events.filter(e => e.type === 'Warning')
    : events;

  let content;
  if (!locator) content = <MissingObjectAnnotations />;
  else if (loading) content = <Progress />;
  else if (error) content = <CrossplaneErrorPanel error={error} />;
  else {
    content = (
      <Table<CrossplaneEvent>
        options={{
          paging: shown.length > 20,
          pageSize: 20,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={shown}
        emptyContent={
          <Typography variant="body2" className={classes.empty}>
            {warningsOnly ? 'No warnings.' : 'No events.'}
          </Typography>
        }
      />
    );
  }

  return (
    <InfoCard
      title="Crossplane events"
      subheader={
        value
          ? `${plural(warnings, 'warning')}, ${plural(
              events.length,
              'event',
            )} in the resource tree`
          : undefined
      }
      action={
        <FormControlLabel
          control={
            <Switch
              checked={warningsOnly}
              onChange={(_, checked) => setWarningsOnly(checked)}
              color="primary"
            />
          }
          label="Warnings only"
        />
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
