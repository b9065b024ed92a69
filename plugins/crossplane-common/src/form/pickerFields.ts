/**
 * Name of the scaffolder field that offers the namespaces where the user
 * may create the XRD's claim or XR, read live from the cluster.
 *
 * @public
 */
export const NAMESPACE_PICKER_FIELD = 'CrossplaneNamespacePicker';

/**
 * Name of the scaffolder field that offers the Compositions of the XRD's
 * composite type, read live from the cluster.
 *
 * @public
 */
export const COMPOSITION_PICKER_FIELD = 'CrossplaneCompositionPicker';

/**
 * `ui:options` of both pickers: the XRD the form creates from, and the
 * clusters its template offers (the first is the default). The cluster
 * asked is the form's `cluster` once chosen, else the first.
 *
 * @public
 */
export interface CreateOptionPickerUiOptions {
  xrd?: string;
  clusters?: string[];
}
