export { LAST_APPLIED_ANNOTATION, REDACTED_VALUE } from './constants';
export { redactObject } from './redactObject';
export { restoreRedacted } from './restoreRedacted';
