import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { CrossplaneResourceSummary } from '../../api/types';
import { HealthStatus } from '../HealthStatus';
import { formatObjectRef, Timestamp } from '../shared/format';

function Owner(props: { owner?: string }) {
  const { owner } = props;
  if (!owner) return null;
  try {
    parseEntityRef(owner, { defaultKind: 'group' });
  } catch {
    return <>{owner}</>;
  }
  return <EntityRefLink entityRef={owner} defaultKind="group" />;
}

const columns: TableColumn<CrossplaneResourceSummary>[] = [
  {
    title: 'Health',
    width: '180px',
    render: row => <HealthStatus health={row.rolledUpHealth} />,
  },
  {
    title: 'Resource',
    render: row => {
      const text = formatObjectRef(row);
      return row.entityRef ? (
        <EntityRefLink entityRef={row.entityRef}>{text}</EntityRefLink>
      ) : (
        text
      );
    },
  },
  { title: 'Cluster', field: 'cluster' },
  { title: 'XRD', field: 'xrd' },
  { title: 'Owner', render: row => <Owner owner={row.owner} /> },
  {
    title: 'Message',
    render: row => {
      const health = row.rolledUpHealth;
      const culprit = row.culprit;
      return (
        <>
          {health.message && (
            <Typography variant="body2">{health.message}</Typography>
          )}
          {culprit && (
            <Typography variant="caption" color="textSecondary">
              {formatObjectRef(culprit.ref)}
              {culprit.health.reason ? `: ${culprit.health.reason}` : ''}
            </Typography>
          )}
        </>
      );
    },
  },
  {
    title: 'Since',
    render: row => <Timestamp value={row.rolledUpHealth.since} />,
  },
];

/** The claims and composites, as given (the page sorts them worst first). */
export function ResourceTable(props: {
  resources: CrossplaneResourceSummary[];
  title: string;
  subtitle?: string;
}) {
  return (
    <Table<CrossplaneResourceSummary>
      title={props.title}
      subtitle={props.subtitle}
      options={{
        paging: props.resources.length > 50,
        pageSize: 50,
        search: true,
        padding: 'dense',
      }}
      columns={columns}
      data={props.resources}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No resources match the filters.
        </Typography>
      }
    />
  );
}
