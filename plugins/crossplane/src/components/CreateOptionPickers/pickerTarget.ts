import type { CreateOptionPickerUiOptions } from '@platformops/plugin-crossplane-common';

/**
 * The cluster and XRD a picker asks about: the XRD of its `ui:options`;
 * the form's `cluster` (its "Delivery" step, the first) once it is one the
 * template offers, else the template's first (default) cluster. Undefined while
 * either is missing.
 */
export function pickerTarget(
  options: CreateOptionPickerUiOptions | undefined,
  formData: unknown,
): { cluster: string; xrd: string } | undefined {
  const xrd = options?.xrd;
  if (typeof xrd !== 'string' || !xrd) return undefined;
  const clusters = (options?.clusters ?? []).filter(
    (c): c is string => typeof c === 'string' && c !== '',
  );
  const chosen =
    formData && typeof formData === 'object' && !Array.isArray(formData)
      ? (formData as Record<string, unknown>).cluster
      : undefined;
  const cluster =
    typeof chosen === 'string' &&
    (clusters.length === 0 || clusters.includes(chosen))
      ? chosen
      : clusters[0];
  return cluster ? { cluster, xrd } : undefined;
}
