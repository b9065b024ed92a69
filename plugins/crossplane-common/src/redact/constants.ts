/**
 * What a redacted value is replaced with.
 *
 * @public
 */
export const REDACTED_VALUE = '<redacted>';

/**
 * The annotation in which `kubectl apply` keeps the whole last-applied
 * object, Secret data included; `redactObject` drops it wherever it
 * appears.
 *
 * @public
 */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';
