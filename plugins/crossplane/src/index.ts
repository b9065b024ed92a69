/**
 * PlatformOps frontend: Crossplane status for Backstage entity pages and the
 * control-plane page. The new frontend system is exported from `./alpha`.
 *
 * @packageDocumentation
 */

export {
  crossplanePlugin,
  CrossplaneControlPlanePage,
  EntityCrossplaneStatusCard,
  EntityCrossplaneEventsCard,
  EntityCrossplaneTimelineCard,
  EntityCrossplaneResourceTreeContent,
  EntityCrossplaneYamlContent,
  EntityServiceRollupCard,
  EntityServicePage,
  CrossplaneManifestPreviewFieldExtension,
  CrossplaneNamespacePickerFieldExtension,
  CrossplaneCompositionPickerFieldExtension,
} from './plugin';
export {
  isServiceEntity,
  isServiceGroupEntity,
} from './components/ServicePage/isServiceEntity';
export type { EntityServiceRollupCardProps } from './components/RollupCard';
export {
  isCrossplaneAvailable,
  getCrossplaneObjectLocator,
  getAnnotatedHealth,
  CROSSPLANE_CLUSTER_ANNOTATION,
  CROSSPLANE_ANNOTATIONS,
} from './conditions';
export * from './api/CrossplaneApi';
export * from './api/types';
export { CrossplaneClient } from './api/CrossplaneClient';
export {
  HealthStatus,
  healthColor,
  isFailing,
} from './components/HealthStatus';
export type { HealthStatusProps } from './components/HealthStatus';
export {
  CrossplaneErrorPanel,
  isNotAllowedError,
} from './components/CrossplaneErrorPanel';
export type { ControlPlanePageProps } from './components/ControlPlanePage';
export {
  ManifestPreview,
  ManifestPreviewField,
} from './components/ManifestPreviewField';
export type { ManifestPreviewUiOptions } from './components/ManifestPreviewField';
export {
  CrossplaneNamespacePicker,
  CrossplaneCompositionPicker,
} from './components/CreateOptionPickers';
