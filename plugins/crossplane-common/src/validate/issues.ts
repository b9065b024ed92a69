/**
 * One problem found in a manifest: the field path (`spec.parameters.size`,
 * `spec.env[0].name`, `metadata.labels["app/x"]`) and the reason. Its
 * string form is `path: message`.
 *
 * @public
 */
export interface ValidationIssue {
  /** Dotted path of the field; empty for the whole object. */
  path: string;
  message: string;
  /** What was violated: `type`, `required`, `enum`, `unknown`, `name`, ... */
  code?: string;
  toString(): string;
}

class Issue implements ValidationIssue {
  constructor(
    readonly path: string,
    readonly message: string,
    readonly code?: string,
  ) {}

  toString(): string {
    return this.path ? `${this.path}: ${this.message}` : this.message;
  }

  toJSON() {
    return {
      path: this.path,
      message: this.message,
      ...(this.code ? { code: this.code } : {}),
    };
  }
}

/**
 * Creates a {@link ValidationIssue}.
 *
 * @public
 */
export function validationIssue(
  path: string,
  message: string,
  code?: string,
): ValidationIssue {
  return new Issue(path, message, code);
}

/**
 * One issue per line, `path: message`.
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

/** A short rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const s = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(s);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'an object';
}
