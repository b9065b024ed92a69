import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneTimelineEntry } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { Timestamp } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';

const useStyles = makeStyles(theme => ({
  empty: { padding: theme.spacing(2) },
}));

const SOURCE_LABELS: Record<CrossplaneTimelineEntry['source'], string> = {
  audit: 'Portal',
  event: 'Event',
  'field-manager': 'Field manager',
};

/** Outcomes that mean something went wrong. */
const FAILED_OUTCOMES = new Set(['failed', 'Warning', 'refused']);

/** Newest first, whatever order the entries came in. */
export function sortTimeline(
  entries: CrossplaneTimelineEntry[],
): CrossplaneTimelineEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

const columns: TableColumn<CrossplaneTimelineEntry>[] = [
  {
    title: 'When',
    width: '140px',
    render: row => <Timestamp value={row.time} />,
  },
  {
    title: 'Source',
    width: '150px',
    render: row => (
      <Chip
        size="small"
        variant="outlined"
        label={SOURCE_LABELS[row.source] ?? row.source}
        data-testid={`timeline-source-${row.source}`}
      />
    ),
  },
  { title: 'Who', field: 'actor' },
  { title: 'What', field: 'summary' },
  {
    title: 'Outcome',
    render: row =>
      row.outcome ? (
        <Typography
          variant="body2"
          color={FAILED_OUTCOMES.has(row.outcome) ? 'error' : 'textPrimary'}
        >
          {row.outcome}
        </Typography>
      ) : null,
  },
];

/**
 * What happened to the entity's Crossplane object, newest first: the
 * portal's audit records (who did what, and whether it worked), the
 * object's Kubernetes events, and who last wrote its fields.
 */
export function EntityCrossplaneTimelineCard() {
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const classes = useStyles();
  const { value, loading, error } = useAsync(
    async () => (locator ? api.getTimeline(locator) : undefined),
    [api, JSON.stringify(locator)],
  );
  const entries = useMemo(() => sortTimeline(value ?? []), [value]);

  let content;
  if (!locator) content = <MissingObjectAnnotations />;
  else if (loading) content = <Progress />;
  else if (error) content = <CrossplaneErrorPanel error={error} />;
  else {
    content = (
      <div data-testid="crossplane-timeline">
        <Table<CrossplaneTimelineEntry>
          options={{
            paging: entries.length > 20,
            pageSize: 20,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
          columns={columns}
          data={entries}
          emptyContent={
            <Typography variant="body2" className={classes.empty}>
              Nothing recorded yet.
            </Typography>
          }
        />
      </div>
    );
  }

  return (
    <InfoCard
      title="Crossplane timeline"
      subheader="Portal operations, events and field managers, newest first"
      noPadding
    >
      {content}
    </InfoCard>
  );
}
