export type {
  FormSchema,
  TemplateParameterStep,
  TemplateParameters,
  XrdFormOptions,
} from './types';
export { UI_SCHEMA_ANNOTATION } from './types';
export { CROSSPLANE_SPEC_FIELDS } from './crossplaneFields';
export {
  RESOURCE_FORM_KEYS,
  SPEC_YAML_KEY,
  xrdToTemplateParameterVariants,
  xrdToTemplateParameters,
} from './xrdToTemplateParameters';
export type { Delivery, DeliveryFormOptions } from './deliveryStep';
export { DELIVERY_FORM_KEYS, deliveryFormStep } from './deliveryStep';
export {
  MANIFEST_PREVIEW_FIELD,
  REVIEW_FORM_KEYS,
  reviewFormStep,
} from './reviewStep';
export type { CreateOptionPickerUiOptions } from './pickerFields';
export {
  COMPOSITION_PICKER_FIELD,
  NAMESPACE_PICKER_FIELD,
} from './pickerFields';
