export { EntityCrossplaneEventsCard } from './EntityCrossplaneEventsCard';
