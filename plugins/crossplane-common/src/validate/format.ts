import { ValidationIssue } from './types';

/**
 * One `path: message` line per issue (just the message for the whole
 * object), e.g.
 * `spec.parameters.size: must be one of small, medium, large (got "huge")`.
 *
 * @public
 */
export function formatValidationIssues(
  issues: readonly ValidationIssue[],
): string {
  return issues
    .map(i => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('\n');
}
