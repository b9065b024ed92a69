export type { Health, HealthStatus } from './types';
export {
  compareHealth,
  HEALTH_STATUSES,
  healthSeverity,
  worstHealth,
} from './compare';
export { computeHealth } from './computeHealth';
export {
  cronJobHealth,
  jobHealth,
  jobRun,
  podFacts,
  podHealth,
  replicasOf,
  runsOfCronJob,
  type ContainerFailure,
  type JobRun,
  type PodFacts,
} from './workloadHealth';
export {
  entityRollup,
  EVENT_FULL_WEIGHT_MS,
  EVENT_MEMORY_MS,
  explainSignal,
  RECENTLY_FAILED,
  rollupHealth,
  sortSignals,
  sourceResult,
  weighSignal,
} from './rollup';
