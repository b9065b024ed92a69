export type {
  ManifestCheck,
  ValidateManifestOptions,
  ValidationIssue,
} from './types';
export { checkManifest, validateManifest } from './validateManifest';
export { formatValidationIssues } from './format';
