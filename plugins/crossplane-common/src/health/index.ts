export type { Health, HealthStatus } from './types';
export { compareHealth, healthSeverity, worstHealth } from './compare';
export { computeHealth } from './computeHealth';
