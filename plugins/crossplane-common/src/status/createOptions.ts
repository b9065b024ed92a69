/**
 * The namespaces where the caller may create an XRD's claim or XR
 * (`GET /create-options/namespaces`), for a generated form's picker.
 *
 * @public
 */
export interface CrossplaneNamespaceChoices {
  cluster: string;
  /** The XRD's name. */
  xrd: string;
  /** The kind the form creates: the claim's, or the XR's without one. */
  kind: string;
  /** False for a cluster-scoped XR: no namespace to choose. */
  namespaced: boolean;
  /** Namespaces the namespace policy and the caller's create permission allow, sorted. */
  items: string[];
}

/**
 * A Composition a generated form may offer.
 *
 * @public
 */
export interface CrossplaneCompositionChoice {
  name: string;
  labels: Record<string, string>;
  /** The XRD's `defaultCompositionRef`. */
  default: boolean;
}

/**
 * The Compositions of an XRD's composite type
 * (`GET /create-options/compositions`), for a generated form's picker.
 *
 * @public
 */
export interface CrossplaneCompositionChoices {
  cluster: string;
  xrd: string;
  /** The XRD's `enforcedCompositionRef`: the only one it accepts. */
  enforced?: string;
  items: CrossplaneCompositionChoice[];
}
