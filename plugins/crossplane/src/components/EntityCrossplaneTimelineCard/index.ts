export { EntityCrossplaneTimelineCard } from './EntityCrossplaneTimelineCard';
