/** DNS-1123 label: what namespaces and (for Crossplane) claim and composite names must be. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: what most object names must be. */
export const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Why a string is not a DNS-1123 label (lowercase alphanumerics and '-',
 * starting and ending alphanumeric, at most 63 characters), or undefined
 * when it is one.
 *
 * @public
 */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63)
    return `must be no more than 63 characters (got ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return `must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (got ${JSON.stringify(
      value,
    )})`;
  }
  return undefined;
}

/**
 * Why a string is not a DNS-1123 subdomain (at most 253 characters), or
 * undefined when it is one.
 *
 * @public
 */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253)
    return `must be no more than 253 characters (got ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (got ${JSON.stringify(
      value,
    )})`;
  }
  return undefined;
}

/** Why a string is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63)
    return `must be no more than 63 characters (got ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return `must be a valid label value: alphanumerics, '-', '_' and '.', starting and ending alphanumeric (got ${JSON.stringify(
      value,
    )})`;
  }
  return undefined;
}

/** Why a string is not a qualified name (label or annotation key), or undefined. */
export function qualifiedNameProblem(value: string): string | undefined {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined) {
    const p = dns1123SubdomainProblem(prefix);
    if (p) return `prefix ${p}`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (got ${JSON.stringify(
      value,
    )})`;
  }
  return undefined;
}

/**
 * Turns any string into a valid label value (used for owner labels):
 * `group:default/team-a` becomes `group.default.team-a`.
 *
 * @public
 */
export function toLabelValue(value: string): string {
  let out = value
    .replace(/[:/]/g, '.')
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 63);
  out = out.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return out;
}
