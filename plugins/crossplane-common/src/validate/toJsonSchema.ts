import { OpenAPISchema, isFreeform } from '../model/schema';
import { hasOwn, isRecord, setOwn } from '../model/util';
import { KUBERNETES_FORMATS } from './formats';

type JsonSchema = Record<string, unknown>;

const COPIED = [
  'enum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'default',
] as const;

function withNull(type: unknown, nullable: boolean | undefined): unknown {
  if (!nullable) return type;
  return Array.isArray(type) ? [...type, 'null'] : [type, 'null'];
}

/**
 * Converts a Kubernetes structural schema to the JSON Schema ajv checks,
 * with the API server's semantics: unknown fields are errors unless
 * `x-kubernetes-preserve-unknown-fields`; int-or-string; `nullable`; OpenAPI
 * v3 boolean `exclusiveMinimum`/`exclusiveMaximum`; list-type `set`.
 * Inside `oneOf`/`anyOf`/`allOf`/`not` (value validation only), no unknown
 * field rule is added.
 */
export function toJsonSchema(
  schema: OpenAPISchema,
  inJunctor = false,
): JsonSchema {
  const out: JsonSchema = {};
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    out.type = withNull(['integer', 'string'], schema.nullable);
  } else if (schema.type) {
    out.type = withNull(schema.type, schema.nullable);
  }
  for (const key of COPIED) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (inJunctor) delete out.default;
  if (schema.nullable && Array.isArray(out.enum) && !out.enum.includes(null)) {
    out.enum = [...out.enum, null];
  }
  if (schema.minimum !== undefined) {
    out[schema.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] =
      schema.minimum;
  }
  if (schema.maximum !== undefined) {
    out[schema.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] =
      schema.maximum;
  }
  if (schema.format && KUBERNETES_FORMATS.has(schema.format))
    out.format = schema.format;
  if (schema['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (
    schema['x-kubernetes-list-type'] === 'map' &&
    schema['x-kubernetes-list-map-keys']
  ) {
    out['x-list-map-keys'] = schema['x-kubernetes-list-map-keys'];
  }
  if (schema.required) out.required = [...schema.required];

  const freeform = isFreeform(schema);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!freeform) {
    if (schema.properties) {
      const props: JsonSchema = {};
      for (const key of Object.keys(schema.properties)) {
        setOwn(props, key, toJsonSchema(schema.properties[key], inJunctor));
      }
      out.properties = props;
    }
    if (isRecord(schema.additionalProperties)) {
      out.additionalProperties = toJsonSchema(
        schema.additionalProperties as OpenAPISchema,
        inJunctor,
      );
    } else if (
      !inJunctor &&
      !preserve &&
      schema.additionalProperties !== true &&
      (schema.type === 'object' || schema.properties)
    ) {
      out.additionalProperties = false;
    }
    if (schema.items) out.items = toJsonSchema(schema.items, inJunctor);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[key];
    if (list && list.length > 0)
      out[key] = list.map(s => toJsonSchema(s, true));
  }
  if (schema.not) out.not = toJsonSchema(schema.not, true);
  return out;
}

/** Adds properties to an object schema (without overriding declared ones). */
export function addProperties(
  schema: JsonSchema,
  extra: Record<string, JsonSchema>,
): JsonSchema {
  const props = { ...((schema.properties as JsonSchema) ?? {}) };
  for (const key of Object.keys(extra)) {
    if (!hasOwn(props, key)) setOwn(props, key, extra[key]);
  }
  return { ...schema, properties: props };
}
