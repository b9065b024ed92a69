export type { Health, HealthStatus } from './types';
export {
  compareHealth,
  HEALTH_STATUSES,
  healthSeverity,
  worstHealth,
} from './compare';
export { computeHealth } from './computeHealth';
