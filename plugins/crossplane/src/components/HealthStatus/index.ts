export { HealthStatus, healthColor, isFailing } from './HealthStatus';
export type { HealthStatusProps } from './HealthStatus';
