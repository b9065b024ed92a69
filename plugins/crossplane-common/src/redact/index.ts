export type { RedactOptions } from './redactObject';
export {
  REDACTED,
  isSecretFieldName,
  redactObject,
  redactObjects,
} from './redactObject';
