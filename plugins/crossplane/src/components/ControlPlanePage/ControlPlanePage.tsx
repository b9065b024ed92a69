import {
  Content,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  crossplaneApiRef,
  CrossplaneClusterStatus,
} from '../../api/CrossplaneApi';

const clusterColumns: TableColumn<CrossplaneClusterStatus>[] = [
  { title: 'Cluster', field: 'name' },
  {
    title: 'Status',
    render: row =>
      row.reachable ? (
        <StatusOK>Reachable</StatusOK>
      ) : (
        <StatusError>Unreachable</StatusError>
      ),
  },
  { title: 'Kubernetes', field: 'kubernetesVersion' },
  { title: 'Last error', field: 'error' },
];

/**
 * The control-plane page: every cluster and its Crossplane resources on one
 * screen.
 *
 * @public
 */
export function ControlPlanePage() {
  const api = useApi(crossplaneApiRef);
  const { value, loading, error } = useAsync(() => api.getClusters(), [api]);

  return (
    <Content>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Table<CrossplaneClusterStatus>
          title="Clusters"
          options={{ paging: false, search: false }}
          columns={clusterColumns}
          data={value}
        />
      )}
    </Content>
  );
}
