export type { RenderManifestInput, RenderedManifest } from './renderManifest';
export { renderManifest } from './renderManifest';
export { PlatformOpsMetadata } from './platformOpsMetadata';
export { templateFormDataToRenderInput } from './formData';
export { toYaml } from './yaml';
export type { XrdFormTarget } from './editForm';
export {
  formOwnedManifest,
  formOwnedSpecFields,
  renderSpecEdit,
  specFormSteps,
  specToFormValues,
  xrdFormTargetOf,
} from './editForm';
export { unifiedDiff } from './unifiedDiff';
