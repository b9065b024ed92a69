import { DNS1123_LABEL } from '../model/names';
import {
  Xrd,
  isNamespacedTarget,
  resolveXrdTarget,
  resolveXrdVersion,
} from '../model/xrd';
import { isFreeform } from '../model/schema';
import {
  crossplaneMachineryFields,
  supportsConnectionSecret,
} from './crossplaneFields';
import { schemaToForm } from './schemaToForm';
import {
  FormSchema,
  TemplateParameterStep,
  TemplateParameters,
  XrdFormOptions,
} from './types';
import { readUiHintsAnnotation } from './uiHints';
import { DELIVERY_FORM_KEYS } from './deliveryStep';
import { REVIEW_FORM_KEYS } from './reviewStep';
import {
  COMPOSITION_PICKER_FIELD,
  CreateOptionPickerUiOptions,
  NAMESPACE_PICKER_FIELD,
} from './pickerFields';

/**
 * Keys of the "Resource" step. Spec fields with one of these names (or of
 * {@link DELIVERY_FORM_KEYS}) appear in the form as `spec_<name>`;
 * {@link templateFormDataToRenderInput} maps them back.
 *
 * @public
 */
export const RESOURCE_FORM_KEYS = [
  'name',
  'namespace',
  'owner',
  'crossplane',
] as const;

/**
 * Keys a generated form uses for itself: the "Resource", "Delivery" and
 * "Review" steps. Never spec values.
 */
export const RESERVED_FORM_KEYS: readonly string[] = [
  ...RESOURCE_FORM_KEYS,
  ...DELIVERY_FORM_KEYS,
  ...REVIEW_FORM_KEYS,
];

/** The form key of a top-level spec field. */
export function specFormKey(field: string): string {
  return RESERVED_FORM_KEYS.includes(field) ? `spec_${field}` : field;
}

/**
 * Form key of the whole spec when the spec is free-form YAML.
 *
 * @public
 */
export const SPEC_YAML_KEY = 'spec_yaml';

const NAME_PATTERN = DNS1123_LABEL.source;

function resourceStep(
  xrd: Xrd,
  namespaced: boolean,
  kind: string,
  options: XrdFormOptions,
): TemplateParameterStep {
  const properties: Record<string, FormSchema> = {
    name: {
      type: 'string',
      title: 'Name',
      description: `Name of the ${kind}: lowercase letters, digits and '-', at most 63 characters.`,
      pattern: NAME_PATTERN,
      maxLength: 63,
      'ui:autofocus': true,
    },
  };
  const required = ['name'];
  if (namespaced) {
    properties.namespace = {
      type: 'string',
      title: 'Namespace',
      description: `Namespace the ${kind} is created in.`,
      pattern: NAME_PATTERN,
      maxLength: 63,
    };
    if (options.defaultNamespace)
      properties.namespace.default = options.defaultNamespace;
    if (options.pickers) {
      properties.namespace['ui:field'] = NAMESPACE_PICKER_FIELD;
      properties.namespace['ui:options'] = pickerOptions(xrd, options);
    }
    required.push('namespace');
  }
  properties.owner = {
    type: 'string',
    title: 'Owner',
    description: 'The group or user that owns the resource.',
    'ui:field': 'OwnerPicker',
    'ui:options': { catalogFilter: { kind: ['Group', 'User'] } },
  };
  required.push('owner');
  // The Composition, where the cluster has several to choose from (the
  // picker shows itself only then); the render checks the choice.
  if (options.pickers && !options.includeCrossplaneFields) {
    properties.crossplane = {
      type: 'object',
      properties: {
        compositionRef: {
          type: 'string',
          title: 'Composition',
          description: 'How the platform builds it; empty for the default.',
          'ui:field': COMPOSITION_PICKER_FIELD,
          'ui:options': pickerOptions(xrd, options),
        },
      },
    };
  }
  const description = xrd.versions.find(v => v.referenceable)?.schema
    ?.description;
  const step: TemplateParameterStep = {
    title: 'Resource',
    required,
    properties,
  };
  if (typeof description === 'string') step.description = description;
  return step;
}

function pickerOptions(
  xrd: Xrd,
  options: XrdFormOptions,
): CreateOptionPickerUiOptions {
  return { xrd: xrd.name, clusters: options.pickers?.clusters ?? [] };
}

function crossplaneStep(
  xrd: Xrd,
  target: 'claim' | 'composite',
): TemplateParameterStep {
  const properties: Record<string, FormSchema> = {
    compositionRef: {
      type: 'string',
      title: 'Composition',
      description: xrd.defaultCompositionRef
        ? `Composition to use; empty for the default (${xrd.defaultCompositionRef.name}).`
        : 'Composition to use; empty to select by labels or let Crossplane choose.',
    },
    compositionSelector: {
      type: 'object',
      title: 'Composition labels',
      description: 'Select the composition by these labels.',
      additionalProperties: {
        type: 'string',
        maxLength: 63,
        pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
      },
      propertyNames: {
        pattern:
          '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
      },
    },
  };
  if (xrd.enforcedCompositionRef) {
    properties.compositionRef.default = xrd.enforcedCompositionRef.name;
    properties.compositionRef['ui:readonly'] = true;
    delete properties.compositionSelector;
  }
  if (
    supportsConnectionSecret(xrd, target) &&
    (xrd.connectionSecretKeys?.length ?? 0) > 0
  ) {
    properties.writeConnectionSecretToRef = {
      type: 'string',
      title: 'Connection secret',
      description: `Name of the Secret that receives ${xrd.connectionSecretKeys!.join(
        ', ',
      )}.`,
      pattern: NAME_PATTERN,
    };
  }
  return {
    title: 'Crossplane',
    properties: {
      crossplane: { type: 'object', title: 'Composition', properties },
    },
  };
}

/**
 * Generates the form of a Backstage template (`spec.parameters`) from an
 * XRD: a "Resource" step (name; namespace for namespaced targets; owner),
 * then one step per object section of the spec (e.g. "Parameters") and one
 * for the remaining top-level fields, and optionally a "Crossplane" step.
 *
 * Titles, descriptions, required fields, defaults, enums, bounds, patterns
 * and formats come from the chosen version's schema; free-form objects
 * (`x-kubernetes-preserve-unknown-fields`) become YAML text fields;
 * int-or-string fields become text fields. `x-ui-*` schema keys and the
 * `platformops.io/ui-schema` annotation add `ui:*` hints. Fields Crossplane
 * manages are never part of the spec steps.
 *
 * @public
 */
export function xrdToTemplateParameters(
  xrd: Xrd,
  options: XrdFormOptions = {},
): TemplateParameters {
  const target = resolveXrdTarget(xrd, options.target);
  const version = resolveXrdVersion(xrd, options.version);
  const kind = target === 'claim' ? xrd.claimNames!.kind : xrd.names.kind;
  const hints = readUiHintsAnnotation(xrd);
  const steps: TemplateParameters = [
    resourceStep(xrd, isNamespacedTarget(xrd, target), kind, options),
  ];

  const spec = version.schema?.properties?.spec;
  if (spec && spec.properties && !isFreeform(spec)) {
    const specRequired = new Set(spec.required ?? []);
    const rest: TemplateParameterStep = {
      title: spec.title ?? 'Settings',
      properties: {},
    };
    const restRequired: string[] = [];
    const machinery: readonly string[] = crossplaneMachineryFields(xrd, target);
    for (const field of Object.keys(spec.properties)) {
      if (machinery.includes(field)) continue;
      const schema = spec.properties[field];
      const form = schemaToForm(schema, field, field, { hints });
      if (!form) continue;
      const key = specFormKey(field);
      if (form.type === 'object' && form.properties) {
        const step: TemplateParameterStep = {
          title: String(form.title),
          properties: { [key]: form },
        };
        if (typeof form.description === 'string')
          step.description = form.description;
        if (specRequired.has(field)) step.required = [key];
        steps.push(step);
      } else {
        rest.properties[key] = form;
        if (specRequired.has(field)) restRequired.push(key);
      }
    }
    if (Object.keys(rest.properties).length > 0) {
      if (restRequired.length > 0) rest.required = restRequired;
      if (spec.description) rest.description = spec.description;
      const specHints = hints.get('');
      if (specHints) Object.assign(rest, specHints);
      // Sections come after the plain fields, as they do in most XRDs.
      steps.splice(1, 0, rest);
    }
  } else if (spec && isFreeform(spec)) {
    const form = schemaToForm(spec, 'spec', '', { hints })!;
    steps.push({ title: 'Settings', properties: { [SPEC_YAML_KEY]: form } });
  }

  if (options.includeCrossplaneFields) steps.push(crossplaneStep(xrd, target));
  return steps;
}

/**
 * The fields of one form, for all XRD versions or targets at once: every
 * served version of every target the XRD offers.
 *
 * @public
 */
export function xrdToTemplateParameterVariants(
  xrd: Xrd,
  options: Omit<XrdFormOptions, 'version' | 'target'> = {},
): {
  version: string;
  target: 'claim' | 'composite';
  parameters: TemplateParameters;
}[] {
  const targets: ('claim' | 'composite')[] = xrd.claimNames
    ? ['claim', 'composite']
    : ['composite'];
  const out = [];
  for (const version of xrd.versions.filter(v => v.served)) {
    for (const target of targets) {
      out.push({
        version: version.name,
        target,
        parameters: xrdToTemplateParameters(xrd, {
          ...options,
          version: version.name,
          target,
        }),
      });
    }
  }
  return out;
}
