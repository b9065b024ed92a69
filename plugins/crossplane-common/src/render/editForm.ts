import { crossplaneMachineryFields } from '../form/crossplaneFields';
import { TemplateParameterStep } from '../form/types';
import {
  RESERVED_FORM_KEYS,
  SPEC_YAML_KEY,
  specFormKey,
  xrdToTemplateParameters,
} from '../form/xrdToTemplateParameters';
import { CrossplaneModelError } from '../model/errors';
import { OpenAPISchema, isFreeform, schemaKind } from '../model/schema';
import { KubernetesObject } from '../model/types';
import { hasOwn, isRecord, setOwn, splitApiVersion } from '../model/util';
import { Xrd, XrdTarget, resolveXrdVersion } from '../model/xrd';
import { NamespacePolicy } from '../policy/namespaces';
import { templateFormDataToRenderInput } from './formData';
import { renderManifest } from './renderManifest';
import { toYaml } from './yaml';

/**
 * Which of an XRD's forms an existing object is filled in with: its kind
 * (claim or composite) and the version it is read at.
 *
 * @public
 */
export interface XrdFormTarget {
  target: XrdTarget;
  version: string;
}

/**
 * The target and version of an XRD that an object is; throws
 * {@link CrossplaneModelError} for an object the XRD does not define, or
 * at a version it does not serve.
 *
 * @public
 */
export function xrdFormTargetOf(
  xrd: Xrd,
  object: KubernetesObject,
): XrdFormTarget {
  const { group, version } = splitApiVersion(object.apiVersion);
  let target: XrdTarget | undefined;
  if (group === xrd.group && object.kind === xrd.claimNames?.kind)
    target = 'claim';
  else if (group === xrd.group && object.kind === xrd.names.kind)
    target = 'composite';
  if (!target) {
    throw new CrossplaneModelError(
      'kind',
      `${object.kind} in ${object.apiVersion} is not defined by ${xrd.name}`,
    );
  }
  return { target, version: resolveXrdVersion(xrd, version).name };
}

/**
 * The steps of an XRD's form that fill in the spec: the generated form
 * without its "Resource", "Crossplane" and "Delivery" steps, for editing
 * an object that already has a name, an owner and a place.
 *
 * @public
 */
export function specFormSteps(
  xrd: Xrd,
  at: XrdFormTarget,
): TemplateParameterStep[] {
  // The "Resource" step comes first; the others are not asked for.
  return xrdToTemplateParameters(xrd, at).slice(1);
}

/** The top-level spec field of a form key (`spec_name` is `name`). */
function specFieldOf(key: string): string {
  return key.startsWith('spec_') && RESERVED_FORM_KEYS.includes(key.slice(5))
    ? key.slice(5)
    : key;
}

function isYamlSpec(steps: TemplateParameterStep[]): boolean {
  return steps.some(step => hasOwn(step.properties, SPEC_YAML_KEY));
}

/**
 * The top-level spec fields a form owns: those it has a field for, or,
 * for a free-form spec, every field of `spec` but Crossplane's machinery.
 *
 * @public
 */
export function formOwnedSpecFields(
  xrd: Xrd,
  at: XrdFormTarget,
  spec: Record<string, unknown> = {},
): string[] {
  const steps = specFormSteps(xrd, at);
  if (isYamlSpec(steps)) {
    const machinery: readonly string[] = crossplaneMachineryFields(
      xrd,
      at.target,
    );
    return Object.keys(spec).filter(field => !machinery.includes(field));
  }
  return steps.flatMap(step => Object.keys(step.properties).map(specFieldOf));
}

/** A spec value as the form's field holds it (the inverse of prepareValue). */
function toFormValue(
  value: unknown,
  schema: OpenAPISchema | undefined,
): unknown {
  if (value === undefined || value === null) return undefined;
  if (schema && isFreeform(schema)) {
    // Free-form objects are YAML text fields.
    return schema.type === 'string' ? value : toYaml(value);
  }
  const kind = schemaKind(schema);
  if (kind === 'int-or-string') return String(value);
  if (Array.isArray(value)) {
    return value.map(item => toFormValue(item, schema?.items));
  }
  if (isRecord(value)) {
    const props = schema?.properties ?? {};
    const additional = isRecord(schema?.additionalProperties)
      ? (schema!.additionalProperties as OpenAPISchema)
      : undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = toFormValue(
        value[key],
        hasOwn(props, key) ? props[key] : additional,
      );
      if (child !== undefined) setOwn(out, key, child);
    }
    return out;
  }
  return value;
}

/**
 * The values of an XRD's spec form for an object's spec: the inverse of
 * rendering, so that rendering the values again gives the same spec.
 * Free-form objects become YAML text, int-or-string values text, spec
 * fields named like the form's own keys `spec_<name>`; fields the form
 * does not own (Crossplane's machinery) are left out.
 *
 * @public
 */
export function specToFormValues(
  xrd: Xrd,
  at: XrdFormTarget,
  spec: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!isRecord(spec)) return {};
  const owned = formOwnedSpecFields(xrd, at, spec).filter(field =>
    hasOwn(spec, field),
  );
  const values: Record<string, unknown> = {};
  if (isYamlSpec(specFormSteps(xrd, at))) {
    if (owned.length === 0) return values;
    const own: Record<string, unknown> = {};
    for (const field of owned) setOwn(own, field, spec[field]);
    values[SPEC_YAML_KEY] = toYaml(own);
    return values;
  }
  const specSchema = resolveXrdVersion(xrd, at.version).schema?.properties
    ?.spec;
  for (const field of owned) {
    const value = toFormValue(spec[field], specSchema?.properties?.[field]);
    if (value !== undefined) setOwn(values, specFormKey(field), value);
  }
  return values;
}

/**
 * What an edit writes: apiVersion, kind, name and namespace, and the spec
 * fields the form owns, nothing else, so that a server-side apply of it
 * touches no field the form does not show.
 *
 * @public
 */
export function formOwnedManifest(
  xrd: Xrd,
  object: KubernetesObject,
  spec: Record<string, unknown> | undefined = object.spec,
): KubernetesObject {
  const at = xrdFormTargetOf(xrd, object);
  const own: Record<string, unknown> = {};
  if (isRecord(spec)) {
    for (const field of formOwnedSpecFields(xrd, at, spec)) {
      if (hasOwn(spec, field)) setOwn(own, field, spec[field]);
    }
  }
  const metadata: KubernetesObject['metadata'] = {
    name: object.metadata.name,
  };
  if (object.metadata.namespace) metadata.namespace = object.metadata.namespace;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata,
    spec: own,
  };
}

/**
 * Renders an edit of an existing claim or composite from its spec form's
 * values, with the code and checks of a create (see
 * {@link renderManifest}): control fields and Crossplane's machinery are
 * refused, values are prepared against the schema, the namespace must be
 * one the policy allows. Keys the form does not have (a name, an owner, a
 * composition) are refused, naming `values.<key>`. Returns the
 * {@link formOwnedManifest} of the result; the schema is checked by
 * `validateManifest`.
 *
 * @public
 */
export function renderSpecEdit(
  xrd: Xrd,
  object: KubernetesObject,
  values: Record<string, unknown>,
  options: { namespacePolicy?: NamespacePolicy } = {},
): KubernetesObject {
  if (!isRecord(values)) {
    throw new CrossplaneModelError(
      'values',
      'must be an object of form values',
    );
  }
  const at = xrdFormTargetOf(xrd, object);
  const steps = specFormSteps(xrd, at);
  const keys = new Set(steps.flatMap(step => Object.keys(step.properties)));
  for (const key of Object.keys(values)) {
    if (!keys.has(key)) {
      throw new CrossplaneModelError(
        `values.${key}`,
        `is not a field of the ${object.kind} form (fields: ${[...keys].join(
          ', ',
        )})`,
      );
    }
  }
  const input = templateFormDataToRenderInput(
    xrd,
    {
      ...values,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    },
    { ...at, namespacePolicy: options.namespacePolicy },
  );
  const { manifest } = renderManifest(input);
  return formOwnedManifest(xrd, object, manifest.spec);
}
