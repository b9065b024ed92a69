export { EntityServiceRollupCard } from './EntityServiceRollupCard';
export type { EntityServiceRollupCardProps } from './EntityServiceRollupCard';
export { RollupEntityTable } from './RollupEntityTable';
export type { RollupRow } from './RollupEntityTable';
