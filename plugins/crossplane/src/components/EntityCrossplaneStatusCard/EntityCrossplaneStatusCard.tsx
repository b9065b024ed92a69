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
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneCondition } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { HealthStatus } from '../HealthStatus';
import { formatObjectRef, Timestamp } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';

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
 * conditions.
 */
export function EntityCrossplaneStatusCard() {
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const { value, loading, error } = useAsync(
    async () => (locator ? api.getTree(locator) : undefined),
    [api, JSON.stringify(locator)],
  );

  let content;
  if (!locator) content = <MissingObjectAnnotations />;
  else if (loading) content = <Progress />;
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
