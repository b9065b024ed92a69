import { CrossplaneCreatePreviewRequest } from '../../api/types';

/**
 * The create-preview request of a generated form: its cluster (the
 * "Delivery" step), the XRD the template renders, and the whole form's data
 * as the template's render step receives it (`parameters`). Undefined while
 * the form lacks what a render needs: an XRD, a cluster and a name.
 */
export function createPreviewRequest(
  xrd: unknown,
  formData: unknown,
): CrossplaneCreatePreviewRequest | undefined {
  if (typeof xrd !== 'string' || !xrd) return undefined;
  if (!formData || typeof formData !== 'object' || Array.isArray(formData))
    return undefined;
  const values = formData as Record<string, unknown>;
  if (typeof values.cluster !== 'string' || !values.cluster) return undefined;
  if (typeof values.name !== 'string' || !values.name) return undefined;
  return { cluster: values.cluster, xrd, values };
}
