import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import { ComponentType, PropsWithChildren } from 'react';
import { Health, HealthStatus as HealthStatusValue } from '../../api/types';

type StatusComponent = ComponentType<PropsWithChildren<{}>>;

const STATUS_PRESENTATION: Record<
  HealthStatusValue,
  { Icon: StatusComponent; color: (theme: Theme) => string }
> = {
  Healthy: { Icon: StatusOK, color: t => t.palette.success.main },
  Degraded: { Icon: StatusError, color: t => t.palette.error.main },
  Unknown: { Icon: StatusWarning, color: t => t.palette.warning.main },
  Progressing: { Icon: StatusRunning, color: t => t.palette.info.main },
  Deleting: { Icon: StatusPending, color: t => t.palette.info.dark },
  Paused: { Icon: StatusAborted, color: t => t.palette.grey[500] },
};

function presentationOf(status: HealthStatusValue | undefined) {
  return (
    STATUS_PRESENTATION[status ?? 'Unknown'] ?? STATUS_PRESENTATION.Unknown
  );
}

/**
 * The theme color that stands for a health status, for places that cannot
 * use {@link HealthStatus} (e.g. graph nodes).
 *
 * @public
 */
export function healthColor(
  theme: Theme,
  status: HealthStatusValue | undefined,
): string {
  return presentationOf(status).color(theme);
}

/**
 * Whether a health status counts as failing on the control-plane page.
 *
 * @public
 */
export function isFailing(status: HealthStatusValue | undefined): boolean {
  return status === 'Degraded' || status === 'Unknown';
}

/**
 * Props of {@link HealthStatus}.
 *
 * @public
 */
export interface HealthStatusProps {
  health: Health | undefined;
  /** Show the reason after the status, e.g. "Degraded (ReconcileError)". */
  showReason?: boolean;
  /** Text to show instead of the status, e.g. a count. */
  label?: string;
}

/**
 * A health value as Backstage's status icon and label (StatusOK for
 * Healthy, StatusError for Degraded, ...), with its message as tooltip.
 *
 * @public
 */
export function HealthStatus(props: HealthStatusProps) {
  const { health, showReason, label: labelOverride } = props;
  const status = health?.status ?? 'Unknown';
  const { Icon } = presentationOf(status);
  const label =
    labelOverride ??
    (showReason && health?.reason ? `${status} (${health.reason})` : status);
  const icon = <Icon>{label}</Icon>;
  if (!health?.message) return icon;
  return (
    <Tooltip title={health.message}>
      <span>{icon}</span>
    </Tooltip>
  );
}
