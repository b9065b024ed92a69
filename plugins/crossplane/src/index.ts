/**
 * PlatformOps frontend: Crossplane status for Backstage entity pages and the
 * control-plane page. The new frontend system is exported from `./alpha`.
 *
 * @packageDocumentation
 */

export { crossplanePlugin, CrossplaneControlPlanePage } from './plugin';
export {
  isCrossplaneAvailable,
  CROSSPLANE_CLUSTER_ANNOTATION,
} from './conditions';
export * from './api/CrossplaneApi';
export { CrossplaneClient } from './api/CrossplaneClient';
