import {
  CROSSPLANE_SPEC_FIELDS_BY_LAYOUT,
  CrossplaneSpecField,
  crossplaneMachineryFields,
} from '../form/crossplaneFields';
import { Xrd, XrdTarget } from '../model/xrd';
import { JsonSchema } from './toJsonSchema';

// Shapes as Crossplane declares them (internal/xcrd); with strict field
// validation the API server rejects fields they do not declare.
const nameRef: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
  additionalProperties: false,
};
const stringMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
};
const selector: JsonSchema = {
  type: 'object',
  required: ['matchLabels'],
  properties: { matchLabels: stringMap },
  additionalProperties: false,
};
const updatePolicy: JsonSchema = {
  type: 'string',
  enum: ['Automatic', 'Manual'],
};

function objectRef(required: string[], optional: string[] = []): JsonSchema {
  const properties: JsonSchema = {};
  for (const name of [...required, ...optional])
    properties[name] = { type: 'string' };
  return { type: 'object', required, properties, additionalProperties: false };
}

const FIELD_SCHEMAS: Record<CrossplaneSpecField, JsonSchema> = {
  compositionRef: nameRef,
  compositionSelector: selector,
  compositionRevisionRef: nameRef,
  compositionRevisionSelector: selector,
  compositionUpdatePolicy: updatePolicy,
  compositeDeletePolicy: { type: 'string', enum: ['Background', 'Foreground'] },
  claimRef: objectRef(['apiVersion', 'kind', 'namespace', 'name']),
  resourceRef: objectRef(['apiVersion', 'kind', 'name']),
  resourceRefs: {
    type: 'array',
    items: objectRef(['apiVersion', 'kind'], ['name', 'namespace']),
  },
  environmentConfigRefs: {
    type: 'array',
    items: objectRef(['apiVersion', 'kind'], ['name']),
  },
  writeConnectionSecretToRef: objectRef(['name', 'namespace']),
  publishConnectionDetailsTo: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      configRef: {
        type: 'object',
        properties: { name: { type: 'string' } },
        additionalProperties: false,
      },
      metadata: {
        type: 'object',
        properties: {
          labels: stringMap,
          annotations: stringMap,
          type: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  crossplane: {
    type: 'object',
    properties: {},
    additionalProperties: false,
  },
};

function schemaOf(
  field: CrossplaneSpecField,
  xrd: Xrd,
  target: XrdTarget,
): JsonSchema {
  if (field === 'writeConnectionSecretToRef' && target === 'claim') {
    // A claim's secret lives in the claim's namespace.
    return objectRef(['name']);
  }
  if (field === 'resourceRefs' && xrd.scope === 'Namespaced') {
    // Namespaced composites compose only in their own namespace.
    return {
      type: 'array',
      items: objectRef(['apiVersion', 'kind'], ['name']),
    };
  }
  if (field === 'crossplane') {
    const properties: JsonSchema = {};
    for (const inner of CROSSPLANE_SPEC_FIELDS_BY_LAYOUT.v2CompositeMachinery)
      properties[inner] = schemaOf(inner, xrd, target);
    return { ...FIELD_SCHEMAS.crossplane, properties };
  }
  return FIELD_SCHEMAS[field];
}

/**
 * The spec fields Crossplane adds to the CRD it generates from an XRD, for
 * a claim or a composite of the XRD's scope.
 */
export function crossplaneSpecProperties(
  xrd: Xrd,
  target: XrdTarget,
): JsonSchema {
  const properties: JsonSchema = {};
  for (const field of crossplaneMachineryFields(xrd, target))
    properties[field] = schemaOf(field, xrd, target);
  return properties;
}
