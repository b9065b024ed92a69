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
