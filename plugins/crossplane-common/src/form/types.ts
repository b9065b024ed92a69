import { XrdTarget } from '../model/xrd';

/**
 * A JSON Schema (draft-07) node as Backstage's scaffolder form renders it,
 * with `ui:*` keys inline.
 *
 * @public
 */
export type FormSchema = { [key: string]: unknown };

/**
 * One step (page) of a Backstage template's `spec.parameters`.
 *
 * @public
 */
export interface TemplateParameterStep {
  title: string;
  description?: string;
  required?: string[];
  properties: Record<string, FormSchema>;
  'ui:order'?: string[];
  [key: string]: unknown;
}

/**
 * A Backstage template's `spec.parameters`: the steps of its form.
 *
 * @public
 */
export type TemplateParameters = TemplateParameterStep[];

/**
 * Options of {@link xrdToTemplateParameters}.
 *
 * @public
 */
export interface XrdFormOptions {
  /** The XRD version; defaults to the referenceable one. */
  version?: string;
  /** Claim or composite; defaults to a claim when the XRD offers one. */
  target?: XrdTarget;
  /** Add a "Crossplane" step for the composition and connection secret. */
  includeCrossplaneFields?: boolean;
  /** Namespace prefilled in the "Resource" step. */
  defaultNamespace?: string;
  /**
   * Offer the namespace and the Composition as choices read live from
   * these clusters (the template's, the default first) through the
   * portal's pickers, instead of free text.
   */
  pickers?: { clusters: string[] };
}

/**
 * The annotation of an XRD that carries form hints, as YAML or JSON: a map
 * from a field path under `spec` (`parameters.size`; `""` for the spec
 * itself) to `ui:*` keys, e.g. `{"parameters.size": {"ui:widget": "radio"}}`.
 *
 * @public
 */
export const UI_SCHEMA_ANNOTATION = 'platformops.io/ui-schema';
