export type { RenderManifestInput, RenderedManifest } from './renderManifest';
export { renderManifest } from './renderManifest';
export { PlatformOpsMetadata } from './platformOpsMetadata';
export { templateFormDataToRenderInput } from './formData';
export { toYaml } from './yaml';
