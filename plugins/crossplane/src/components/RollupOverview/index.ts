export { RollupOverview } from './RollupOverview';
