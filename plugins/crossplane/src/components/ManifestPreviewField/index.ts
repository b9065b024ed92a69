export {
  ManifestPreview,
  ManifestPreviewField,
  PREVIEW_DEBOUNCE_MS,
} from './ManifestPreviewField';
export type { ManifestPreviewUiOptions } from './ManifestPreviewField';
