import { stringify } from 'yaml';
import {
  OpenAPISchema,
  compilePattern,
  isFreeform,
  schemaKind,
} from '../model/schema';
import { hasOwn, humanize, isRecord, setOwn } from '../model/util';
import { FormSchema } from './types';
import { UiHints, schemaUiHints } from './uiHints';

/** Formats the scaffolder's form validator knows (ajv-formats). */
const FORM_FORMATS = new Set([
  'date',
  'date-time',
  'time',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uuid',
]);

const IPV4 =
  '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/**
 * Formats the API server checks but the scaffolder's validator does not
 * know, as patterns, so that the form accepts only what the server will.
 */
const FORMAT_PATTERNS: Record<string, string> = {
  cidr: `^(${IPV4}\\/(3[0-2]|[12]?[0-9])|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`,
  mac: '^[0-9A-Fa-f]{2}([:-])([0-9A-Fa-f]{2}\\1){4}[0-9A-Fa-f]{2}$',
  duration: '^[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h|d|w))+$',
  byte: '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  bsonobjectid: '^[0-9a-fA-F]{24}$',
  hexcolor: '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$',
};

export interface FormContext {
  hints: UiHints;
}

/** The field path used for UI hints: `parameters.disks[].size`. */
function hintPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function isValidFormPattern(pattern: string): boolean {
  try {
    // The scaffolder's validator compiles patterns with the unicode flag.
    compilePattern(pattern);
    return new RegExp(pattern, 'u').source.length > 0;
  } catch {
    return false;
  }
}

function copyScalarKeywords(schema: OpenAPISchema, out: FormSchema) {
  if (schema.enum !== undefined) out.enum = [...schema.enum];
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum) out.exclusiveMinimum = schema.minimum;
    else out.minimum = schema.minimum;
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum) out.exclusiveMaximum = schema.maximum;
    else out.maximum = schema.maximum;
  }
  if (schema.multipleOf !== undefined) out.multipleOf = schema.multipleOf;
  if (schema.minLength !== undefined) out.minLength = schema.minLength;
  if (schema.maxLength !== undefined) out.maxLength = schema.maxLength;
  if (schema.pattern !== undefined && isValidFormPattern(schema.pattern)) {
    out.pattern = schema.pattern;
  }
  if (schema.format === 'password') out['ui:widget'] = 'password';
  else if (schema.format === 'datetime') out.format = 'date-time';
  else if (schema.format && FORM_FORMATS.has(schema.format))
    out.format = schema.format;
  else if (schema.format && FORMAT_PATTERNS[schema.format]) {
    const pattern = FORMAT_PATTERNS[schema.format];
    if (out.pattern === undefined) out.pattern = pattern;
    else out.allOf = [{ pattern }];
  }
}

function convertJunctors(schema: OpenAPISchema, out: FormSchema) {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (!branches || branches.length === 0) continue;
    out[key] = branches.map((b, i) => {
      const branch: FormSchema = {};
      if (b.required && b.required.length > 0) {
        branch.required = [...b.required];
        branch.title =
          b.title ??
          `With ${b.required
            .map(r => humanize(r).toLowerCase())
            .join(' and ')}`;
      } else {
        branch.title = b.title ?? `Option ${i + 1}`;
      }
      if (b.enum) branch.enum = [...b.enum];
      if (b.pattern && isValidFormPattern(b.pattern))
        branch.pattern = b.pattern;
      for (const k of [
        'minimum',
        'maximum',
        'minLength',
        'maxLength',
        'minItems',
        'maxItems',
      ] as const) {
        if (b[k] !== undefined) branch[k] = b[k];
      }
      return branch;
    });
  }
  if (schema.allOf) {
    const required = schema.allOf.flatMap(b => b.required ?? []);
    if (required.length > 0) {
      out.required = [
        ...new Set([...((out.required as string[]) ?? []), ...required]),
      ];
    }
  }
}

/**
 * The order of an object's fields in the form: required fields first, then
 * optional ones, then nested sections (objects and arrays), each group as
 * listed. The API server returns schema properties sorted by name, so the
 * author's order is lost; this puts what must be filled in at the top.
 * Undefined when that is the listed order. `x-ui-order` or the ui-schema
 * annotation override it.
 */
function fieldOrder(
  properties: Record<string, FormSchema>,
  required: string[],
): string[] | undefined {
  const names = Object.keys(properties);
  const isSection = (name: string) =>
    properties[name].type === 'object' || properties[name].type === 'array';
  const rank = (name: string) => {
    if (isSection(name)) return 2;
    return required.includes(name) ? 0 : 1;
  };
  const order = [...names].sort((a, b) => rank(a) - rank(b));
  return order.every((name, i) => name === names[i]) ? undefined : order;
}

/**
 * Converts one node of an XRD's structural schema to the scaffolder's form
 * schema. Returns undefined for fields that cannot hold a value (objects
 * without properties whose content the API server would prune).
 */
export function schemaToForm(
  schema: OpenAPISchema,
  key: string,
  path: string,
  ctx: FormContext,
): FormSchema | undefined {
  const out: FormSchema = {};
  out.title = schema.title ?? humanize(key);
  if (schema.description) out.description = schema.description;
  const kind = schemaKind(schema);

  if (isFreeform(schema)) {
    out.type = 'string';
    out['ui:widget'] = 'textarea';
    out['ui:options'] = { rows: 8 };
    out.description = `${
      schema.description ? `${schema.description} ` : ''
    }(YAML)`;
    if (schema.default !== undefined) {
      out.default =
        typeof schema.default === 'string'
          ? schema.default
          : stringify(schema.default);
    }
  } else if (kind === 'int-or-string') {
    out.type = 'string';
    if (schema.default !== undefined) out.default = String(schema.default);
    if (schema.enum) out.enum = schema.enum.map(v => String(v));
    if (schema.pattern !== undefined && isValidFormPattern(schema.pattern)) {
      out.pattern = schema.pattern;
    }
  } else if (kind === 'object') {
    out.type = 'object';
    if (schema.properties) {
      const properties: Record<string, FormSchema> = {};
      for (const name of Object.keys(schema.properties)) {
        const child = schemaToForm(
          schema.properties[name],
          name,
          hintPath(path, name),
          ctx,
        );
        if (child) setOwn(properties, name, child);
      }
      if (Object.keys(properties).length === 0) return undefined;
      out.properties = properties;
      const required = (schema.required ?? []).filter(r =>
        hasOwn(properties, r),
      );
      if (required.length > 0) out.required = required;
      const order = fieldOrder(properties, required);
      if (order) out['ui:order'] = order;
    } else if (isRecord(schema.additionalProperties)) {
      const child = schemaToForm(
        schema.additionalProperties,
        'value',
        `${path}{}`,
        ctx,
      );
      if (!child) return undefined;
      delete child.title;
      out.additionalProperties = child;
    } else if (schema.additionalProperties === true) {
      out.additionalProperties = { type: 'string' };
    } else {
      return undefined;
    }
    if (schema.minProperties !== undefined)
      out.minProperties = schema.minProperties;
    if (schema.maxProperties !== undefined)
      out.maxProperties = schema.maxProperties;
    if (isRecord(schema.default)) out.default = schema.default;
    convertJunctors(schema, out);
  } else if (kind === 'array') {
    out.type = 'array';
    const items = schema.items
      ? schemaToForm(schema.items, key, `${path}[]`, ctx)
      : { type: 'string' };
    if (!items) return undefined;
    delete items.title;
    out.items = items;
    if (schema.minItems !== undefined) out.minItems = schema.minItems;
    if (schema.maxItems !== undefined) out.maxItems = schema.maxItems;
    if (schema.uniqueItems || schema['x-kubernetes-list-type'] === 'set')
      out.uniqueItems = true;
    if (Array.isArray(schema.default)) out.default = schema.default;
  } else if (
    kind === 'string' ||
    kind === 'integer' ||
    kind === 'number' ||
    kind === 'boolean'
  ) {
    out.type = kind;
    copyScalarKeywords(schema, out);
    if (schema.default !== undefined) out.default = schema.default;
    convertJunctors(schema, out);
  } else {
    // No type: accept text.
    out.type = 'string';
    if (schema.default !== undefined) out.default = String(schema.default);
  }

  if (schema['x-ui-hidden'] === true) out['ui:widget'] = 'hidden';
  const hints = { ...schemaUiHints(schema), ...(ctx.hints.get(path) ?? {}) };
  delete hints['ui:hidden'];
  Object.assign(out, hints);
  return out;
}
