export type { RenderManifestInput, RenderedManifest } from './renderManifest';
export { PlatformOpsMetadata, renderManifest } from './renderManifest';
export { templateFormDataToRenderInput } from './formData';
export { toYaml } from './yaml';
