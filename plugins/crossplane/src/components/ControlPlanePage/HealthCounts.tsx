import Box from '@material-ui/core/Box';
import {
  HealthStatus as HealthStatusValue,
  HEALTH_STATUSES,
} from '../../api/types';
import { HealthStatus } from '../HealthStatus';

/**
 * Counts per health status, worst first, e.g. "2 Degraded · 5 Healthy".
 * Statuses with no resources are left out unless `showZero`.
 */
export function HealthCounts(props: {
  counts: Partial<Record<HealthStatusValue, number>>;
  showZero?: boolean;
}) {
  const { counts, showZero } = props;
  const shown = HEALTH_STATUSES.filter(s => showZero || (counts[s] ?? 0) > 0);
  if (shown.length === 0) {
    return <span>No resources</span>;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      {shown.map(status => (
        <span key={status} data-testid={`health-count-${status}`}>
          <HealthStatus
            health={{ status }}
            label={`${counts[status] ?? 0} ${status}`}
          />
        </span>
      ))}
    </Box>
  );
}
