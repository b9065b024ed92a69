import { Health, HealthStatus } from './types';

/**
 * Every health status, from best to worst.
 *
 * @public
 */
export const HEALTH_STATUSES = [
  'Healthy',
  'Paused',
  'Progressing',
  'Deleting',
  'Unknown',
  'Degraded',
] as const satisfies readonly HealthStatus[];

const SEVERITY = Object.fromEntries(
  HEALTH_STATUSES.map((status, severity) => [status, severity]),
) as Record<HealthStatus, number>;

/**
 * The severity of a health status: 0 for `Healthy` up to 5 for `Degraded`.
 *
 * @public
 */
export function healthSeverity(status: HealthStatus): number {
  return SEVERITY[status] ?? SEVERITY.Unknown;
}

/**
 * Orders health values from best to worst (`Healthy`, `Paused`,
 * `Progressing`, `Deleting`, `Unknown`, `Degraded`): negative when `a` is
 * better than `b`, positive when worse, 0 when equally bad.
 *
 * @public
 */
export function compareHealth(a: Health, b: Health): number {
  return healthSeverity(a.status) - healthSeverity(b.status);
}

/**
 * The worst of some health values; the first one wins a tie. `Healthy`
 * when there are none.
 *
 * @public
 */
export function worstHealth(healths: Iterable<Health>): Health {
  let worst: Health | undefined;
  for (const h of healths) {
    if (!worst || compareHealth(h, worst) > 0) worst = h;
  }
  return worst ?? { status: 'Healthy' };
}
