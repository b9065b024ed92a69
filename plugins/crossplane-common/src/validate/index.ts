export type { ValidateManifestOptions, ValidationIssue } from './types';
export { validateManifest } from './validateManifest';
export { formatValidationIssues } from './format';
