export { EntityCrossplaneResourceTreeContent } from './EntityCrossplaneResourceTreeContent';
