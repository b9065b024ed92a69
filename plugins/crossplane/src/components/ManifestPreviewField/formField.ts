import { MANIFEST_PREVIEW_FIELD } from '@platformops/plugin-crossplane-common';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ManifestPreviewField } from './ManifestPreviewField';

/** The manifest preview as a scaffolder form field (new frontend system). */
export const manifestPreviewFormField = createFormField({
  name: MANIFEST_PREVIEW_FIELD,
  component: ManifestPreviewField,
});
