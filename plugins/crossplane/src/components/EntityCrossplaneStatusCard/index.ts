export { EntityCrossplaneStatusCard } from './EntityCrossplaneStatusCard';
