/**
 * The error every PlatformOps domain function throws on bad input: a
 * malformed XRD, values that cannot be rendered, an unknown version. `field`
 * is the path of the offending field (for example
 * `spec.versions[0].schema.openAPIV3Schema`), empty when the whole input is
 * wrong.
 *
 * @public
 */
export class CrossplaneModelError extends Error {
  readonly name = 'CrossplaneModelError';
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
    if (options?.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
    Object.setPrototypeOf(this, CrossplaneModelError.prototype);
  }
}

/**
 * Whether a value is a {@link CrossplaneModelError}.
 *
 * @public
 */
export function isCrossplaneModelError(
  value: unknown,
): value is CrossplaneModelError {
  return value instanceof CrossplaneModelError;
}
