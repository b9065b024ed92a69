import { OpenAPISchema, schemaKind } from '../model/schema';
import { isRecord, setOwn } from '../model/util';
import { KNOWN_FORMATS, UNIQUE_KEYS_KEYWORD } from './ajv';

/** A draft-07 JSON Schema node. */
export type JsonSchema = Record<string, unknown>;

const MAX_DEPTH = 100;

/**
 * Converts a Kubernetes structural schema node to the JSON Schema (draft-07)
 * that ajv checks, with the API server's semantics: unknown fields are
 * errors unless `x-kubernetes-preserve-unknown-fields`; `null` only where
 * `nullable`; int-or-string takes integers and strings; boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numeric ones; list type
 * `set` means unique items. `x-kubernetes-validations` (CEL) rules are not
 * evaluated.
 */
export function toJsonSchema(schema: OpenAPISchema, depth = 0): JsonSchema {
  if (depth > MAX_DEPTH) return {};
  const out: JsonSchema = {};
  const kind = schemaKind(schema);
  const nullable = schema.nullable === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;

  let types: string[] | undefined;
  if (kind === 'int-or-string') types = ['integer', 'string'];
  else if (schema.type) types = [schema.type];
  else if (kind === 'object' || kind === 'array') types = [kind];
  if (types) {
    if (nullable) types = [...types, 'null'];
    out.type = types.length === 1 ? types[0] : types;
  }

  if (schema.enum) {
    out.enum =
      nullable && !schema.enum.includes(null)
        ? [...schema.enum, null]
        : [...schema.enum];
  }
  if (schema.format && KNOWN_FORMATS.has(schema.format)) {
    out.format = schema.format;
  }
  if (schema.pattern !== undefined) out.pattern = schema.pattern;
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum) out.exclusiveMinimum = schema.minimum;
    else out.minimum = schema.minimum;
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum) out.exclusiveMaximum = schema.maximum;
    else out.maximum = schema.maximum;
  }
  for (const key of [
    'multipleOf',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
  ] as const) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (schema.uniqueItems || schema['x-kubernetes-list-type'] === 'set') {
    out.uniqueItems = true;
  }
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  if (
    schema['x-kubernetes-list-type'] === 'map' &&
    Array.isArray(mapKeys) &&
    mapKeys.length > 0
  ) {
    out[UNIQUE_KEYS_KEYWORD] = [...mapKeys];
  }
  // Defaults, applied (by ajv) to a copy before validating, as the API
  // server does.
  if (schema.default !== undefined && depth > 0) out.default = schema.default;

  if (schema.properties) {
    const properties: JsonSchema = {};
    for (const name of Object.keys(schema.properties)) {
      setOwn(
        properties,
        name,
        toJsonSchema(schema.properties[name], depth + 1),
      );
    }
    out.properties = properties;
  }
  if (isRecord(schema.additionalProperties)) {
    out.additionalProperties = toJsonSchema(
      schema.additionalProperties as OpenAPISchema,
      depth + 1,
    );
  } else if (
    kind === 'object' &&
    !preserve &&
    !embedded &&
    schema.additionalProperties !== true
  ) {
    // The API server drops (strict field validation: rejects) unknown fields.
    out.additionalProperties = false;
  }
  if (schema.required && schema.required.length > 0) {
    out.required = [...schema.required];
  }
  if (schema.items) out.items = toJsonSchema(schema.items, depth + 1);
  // Junctors in structural schemas only constrain; they declare no types.
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[key];
    if (branches && branches.length > 0) {
      out[key] = branches.map(b => junctorBranch(b, depth + 1));
    }
  }
  if (schema.not) out.not = junctorBranch(schema.not, depth + 1);
  return out;
}

/** A junctor branch: value validations only, no pruning of unknown fields. */
function junctorBranch(schema: OpenAPISchema, depth: number): JsonSchema {
  const converted = toJsonSchema(schema, depth);
  stripAdditional(converted);
  return converted;
}

function stripAdditional(schema: JsonSchema) {
  if (schema.additionalProperties === false) delete schema.additionalProperties;
  if (isRecord(schema.properties)) {
    for (const key of Object.keys(schema.properties)) {
      stripAdditional(schema.properties[key] as JsonSchema);
    }
  }
  if (isRecord(schema.items)) stripAdditional(schema.items as JsonSchema);
}
