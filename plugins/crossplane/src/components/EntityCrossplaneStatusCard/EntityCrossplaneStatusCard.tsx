import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneCondition } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { HealthStatus } from '../HealthStatus';
import { formatObjectRef, Timestamp } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';
import { LifecycleActions } from './LifecycleActions';

const conditionColumns: TableColumn<CrossplaneCondition>[] = [
  { title: 'Type', field: 'type' },
  { title: 'Status', field: 'status' },
  { title: 'Reason', field: 'reason' },
  { title: 'Message', field: 'message' },
  {
    title: 'Last transition',
    render: row => <Timestamp value={row.lastTransitionTime} />,
  },
];

/**
 * The live health of the entity's Crossplane object: status, reason,
 * message, since when, the health rolled up from its resources and its
 * conditions; Pause or Resume and "Reconcile now" where the user may.
 */
export function EntityCrossplaneStatusCard() {
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (locator ? api.getTree(locator) : undefined),
    [api, JSON.stringify(locator)],
  );

  let content;
  if (!locator) content = <MissingObjectAnnotations />;
  // A reload after an operation keeps the card (and its outcome) in place.
  else if (loading && !value) content = <Progress />;
  else if (error) content = <CrossplaneErrorPanel error={error} />;
  else if (value) {
    const { health, rolledUpHealth, conditions } = value;
    const culprit = value.culpritPath?.[value.culpritPath.length - 1];
    const metadata: Record<string, unknown> = {
      health: <HealthStatus health={health} />,
      reason: health.reason ?? '-',
      message: health.message ?? '-',
      since: health.since ? <Timestamp value={health.since} /> : '-',
    };
    if (rolledUpHealth.status !== health.status) {
      metadata['resources health'] = <HealthStatus health={rolledUpHealth} />;
      if (culprit) metadata.culprit = formatObjectRef(culprit);
      if (rolledUpHealth.message) {
        metadata['culprit message'] = rolledUpHealth.message;
      }
    }
    content = (
      <>
        <LifecycleActions
          locator={locator}
          paused={health.status === 'Paused'}
          onChanged={retry}
        />
        <StructuredMetadataTable metadata={metadata} />
        <Box mt={2}>
          {conditions.length > 0 ? (
            <Table<CrossplaneCondition>
              title="Conditions"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={conditionColumns}
              data={conditions}
            />
          ) : (
            <Typography variant="body2">No conditions reported.</Typography>
          )}
        </Box>
      </>
    );
  }

  return (
    <InfoCard
      title="Crossplane status"
      subheader={locator ? `${locator.kind} in ${locator.cluster}` : undefined}
    >
      {content}
    </InfoCard>
  );
}
