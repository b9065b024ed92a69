import {
  COMPOSITION_PICKER_FIELD,
  NAMESPACE_PICKER_FIELD,
} from '@platformops/plugin-crossplane-common';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CrossplaneCompositionPicker } from './CrossplaneCompositionPicker';
import { CrossplaneNamespacePicker } from './CrossplaneNamespacePicker';

/** The namespace picker as a scaffolder form field (new frontend system). */
export const namespacePickerFormField = createFormField({
  name: NAMESPACE_PICKER_FIELD,
  component: CrossplaneNamespacePicker,
});

/** The composition picker as a scaffolder form field (new frontend system). */
export const compositionPickerFormField = createFormField({
  name: COMPOSITION_PICKER_FIELD,
  component: CrossplaneCompositionPicker,
});
