export {
  LAST_APPLIED_ANNOTATION,
  REDACTED_VALUE,
  redactObject,
} from './redactObject';
