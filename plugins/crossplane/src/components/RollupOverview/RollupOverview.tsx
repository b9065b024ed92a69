import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { EntityRollup, RollupGrouping } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { RollupEntityTable } from '../RollupCard';
import { worstFirstRollups } from './worstFirstRollups';

const MIN_REFRESH_MS = 15_000;

const GROUPINGS: { by: RollupGrouping; title: string; column: string }[] = [
  { by: 'system', title: 'Systems', column: 'System' },
  { by: 'owner', title: 'Teams', column: 'Owner' },
];

function Grouping(props: {
  title: string;
  column: string;
  result?: { rollups: EntityRollup[]; total: number };
  error?: Error;
}) {
  const { title, column, result, error } = props;
  let body;
  if (error) {
    body = (
      <CrossplaneErrorPanel
        error={error}
        title={`Could not load the ${title.toLowerCase()}`}
      />
    );
  } else if (!result?.rollups.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No {column.toLowerCase()} has services to roll up yet.
      </Typography>
    );
  } else {
    body = (
      <>
        <RollupEntityTable
          rows={result.rollups}
          entityTitle={column}
          aria-label={title}
          showMembers
        />
        {result.total > result.rollups.length && (
          <Typography variant="body2" color="textSecondary">
            The first {result.rollups.length} of {result.total} by name, worst
            first.
          </Typography>
        )}
      </>
    );
  }
  return (
    <Box component="section" data-testid={`rollups-by-${column.toLowerCase()}`}>
      <Typography variant="h6" component="h3" gutterBottom>
        {title}
      </Typography>
      {body}
    </Box>
  );
}

/**
 * "Systems and teams": the health of every System's and every owner's
 * services (up to 100 of each), worst first, each linking
 * to its entity; refreshed with the page, at most every 15 s.
 */
export function RollupOverview(props: {
  /** How often to refresh, in milliseconds; null when paused. */
  intervalMs: number | null;
}) {
  const api = useApi(crossplaneApiRef);
  const state = useAsyncRetry(
    () =>
      Promise.allSettled(GROUPINGS.map(({ by }) => worstFirstRollups(api, by))),
    [api],
  );
  const loadingRef = useRef(state.loading);
  loadingRef.current = state.loading;
  // Every System's and owner's roll-up costs the backend more than a page
  // of the summary: at most every 15 s, however often the page refreshes.
  useInterval(
    () => {
      if (!loadingRef.current) state.retry();
    },
    props.intervalMs === null
      ? null
      : Math.max(props.intervalMs, MIN_REFRESH_MS),
  );

  let content;
  if (!state.value) content = <Progress />;
  else {
    const results = state.value;
    content = (
      <Grid container spacing={3}>
        {GROUPINGS.map(({ title, column }, i) => {
          const result = results[i];
          return (
            <Grid item xs={12} key={column}>
              <Grouping
                title={title}
                column={column}
                result={
                  result.status === 'fulfilled' ? result.value : undefined
                }
                error={
                  result.status === 'rejected'
                    ? (result.reason as Error)
                    : undefined
                }
              />
            </Grid>
          );
        })}
      </Grid>
    );
  }
  return (
    <div data-testid="systems-and-teams">
      <InfoCard title="Systems and teams">{content}</InfoCard>
    </div>
  );
}
