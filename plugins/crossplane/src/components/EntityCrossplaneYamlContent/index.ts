export { EntityCrossplaneYamlContent } from './EntityCrossplaneYamlContent';
