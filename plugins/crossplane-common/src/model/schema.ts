import { CrossplaneModelError } from './errors';
import { isRecord, joinPath } from './util';

/**
 * A Kubernetes structural OpenAPI v3 schema node, as written in an XRD's
 * `openAPIV3Schema` (with the `x-kubernetes-*` extensions and, for
 * PlatformOps, optional `x-ui-*` hints).
 *
 * @public
 */
export interface OpenAPISchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  title?: string;
  description?: string;
  format?: string;
  default?: unknown;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, OpenAPISchema>;
  additionalProperties?: boolean | OpenAPISchema;
  required?: string[];
  items?: OpenAPISchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: OpenAPISchema[];
  anyOf?: OpenAPISchema[];
  allOf?: OpenAPISchema[];
  not?: OpenAPISchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: unknown[];
  [key: string]: unknown;
}

const TYPES = new Set([
  'object',
  'array',
  'string',
  'integer',
  'number',
  'boolean',
]);
const NUMBER_KEYS = [
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
];
const BOOLEAN_KEYS = [
  'nullable',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'uniqueItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
];
const STRING_KEYS = ['title', 'description', 'format', 'pattern'];
const MAX_DEPTH = 64;

/**
 * Checks that a value has the shape of an OpenAPI schema (the shape only:
 * keyword types, nesting, patterns that compile). Throws a
 * {@link CrossplaneModelError} naming the offending keyword otherwise.
 *
 * @public
 */
export function checkOpenAPISchema(
  value: unknown,
  path: string,
  depth = 0,
): OpenAPISchema {
  if (!isRecord(value)) {
    throw new CrossplaneModelError(path, 'must be a schema object');
  }
  if (depth > MAX_DEPTH) {
    throw new CrossplaneModelError(
      path,
      `schema is nested deeper than ${MAX_DEPTH} levels`,
    );
  }
  const s = value as Record<string, unknown>;
  if (
    s.type !== undefined &&
    !(typeof s.type === 'string' && TYPES.has(s.type))
  ) {
    throw new CrossplaneModelError(
      joinPath(path, 'type'),
      `must be one of ${[...TYPES].join(', ')}`,
    );
  }
  for (const key of NUMBER_KEYS) {
    if (
      s[key] !== undefined &&
      (typeof s[key] !== 'number' || !Number.isFinite(s[key]))
    ) {
      throw new CrossplaneModelError(joinPath(path, key), 'must be a number');
    }
  }
  for (const key of BOOLEAN_KEYS) {
    if (s[key] !== undefined && typeof s[key] !== 'boolean') {
      throw new CrossplaneModelError(joinPath(path, key), 'must be a boolean');
    }
  }
  for (const key of STRING_KEYS) {
    if (s[key] !== undefined && typeof s[key] !== 'string') {
      throw new CrossplaneModelError(joinPath(path, key), 'must be a string');
    }
  }
  if (typeof s.pattern === 'string') {
    try {
      compilePattern(s.pattern);
    } catch (e) {
      throw new CrossplaneModelError(
        joinPath(path, 'pattern'),
        `is not a valid regular expression: ${(e as Error).message}`,
      );
    }
  }
  if (s.multipleOf !== undefined && (s.multipleOf as number) <= 0) {
    throw new CrossplaneModelError(
      joinPath(path, 'multipleOf'),
      'must be greater than 0',
    );
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) {
    throw new CrossplaneModelError(joinPath(path, 'enum'), 'must be an array');
  }
  if (s.required !== undefined) {
    if (
      !Array.isArray(s.required) ||
      Array.from(s.required as unknown[]).some(r => typeof r !== 'string')
    ) {
      throw new CrossplaneModelError(
        joinPath(path, 'required'),
        'must be an array of field names',
      );
    }
  }
  if (s.properties !== undefined) {
    if (!isRecord(s.properties)) {
      throw new CrossplaneModelError(
        joinPath(path, 'properties'),
        'must be an object',
      );
    }
    const props = s.properties;
    for (const key of Object.keys(props)) {
      checkOpenAPISchema(
        props[key],
        joinPath(joinPath(path, 'properties'), key),
        depth + 1,
      );
    }
  }
  if (
    s.additionalProperties !== undefined &&
    typeof s.additionalProperties !== 'boolean'
  ) {
    checkOpenAPISchema(
      s.additionalProperties,
      joinPath(path, 'additionalProperties'),
      depth + 1,
    );
  }
  if (s.items !== undefined) {
    checkOpenAPISchema(s.items, joinPath(path, 'items'), depth + 1);
  }
  if (s.not !== undefined) {
    checkOpenAPISchema(s.not, joinPath(path, 'not'), depth + 1);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      throw new CrossplaneModelError(
        joinPath(path, key),
        'must be an array of schemas',
      );
    }
    Array.from(list as unknown[]).forEach((item, i) =>
      checkOpenAPISchema(item, joinPath(joinPath(path, key), i), depth + 1),
    );
  }
  for (const key of ['x-kubernetes-list-map-keys']) {
    const list = s[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.some(k => typeof k !== 'string'))
    ) {
      throw new CrossplaneModelError(
        joinPath(path, key),
        'must be an array of strings',
      );
    }
  }
  return s as OpenAPISchema;
}

/**
 * Compiles a Kubernetes (RE2) pattern to a JavaScript regular expression,
 * translating what differs: `(?i)` flags, `\\A`, `\\z`. Throws a
 * `SyntaxError` when the pattern cannot be compiled.
 */
export function compilePattern(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const flagMatch = /^\(\?([imsU]+)\)/.exec(source);
  if (flagMatch) {
    source = source.slice(flagMatch[0].length);
    if (flagMatch[1].includes('i')) flags += 'i';
    if (flagMatch[1].includes('m')) flags += 'm';
    if (flagMatch[1].includes('s')) flags += 's';
  }
  source = source.replace(/\\A/g, '^').replace(/\\z/g, '$');
  return new RegExp(source, flags);
}

/** The (effective) type of a schema node, accounting for int-or-string. */
export function schemaKind(
  schema: OpenAPISchema | undefined,
): OpenAPISchema['type'] | 'int-or-string' | undefined {
  if (!schema) return undefined;
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** Whether the node accepts arbitrary content (preserve-unknown-fields, no properties). */
export function isFreeform(schema: OpenAPISchema | undefined): boolean {
  if (!schema) return false;
  const free =
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    schema['x-kubernetes-embedded-resource'] === true;
  return (
    free &&
    !schema.properties &&
    (schema.additionalProperties === undefined ||
      schema.additionalProperties === true)
  );
}
