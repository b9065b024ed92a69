/**
 * The PlatformOps status backend plugin.
 *
 * @packageDocumentation
 */

export { crossplanePlugin as default } from './plugin';
export {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
  type CrossplaneObjectFilter,
} from './service/permissionRules';
