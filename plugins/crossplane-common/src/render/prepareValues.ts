import { parse } from 'yaml';
import { CrossplaneModelError } from '../model/errors';
import { OpenAPISchema, isFreeform, schemaKind } from '../model/schema';
import { hasOwn, isRecord, joinPath, setOwn } from '../model/util';

const MAX_DEPTH = 100;
const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

/** Copies a JSON value, rejecting what JSON cannot carry. Drops nothing. */
export function copyJson(value: unknown, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH)
    throw new CrossplaneModelError(path, 'is nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new CrossplaneModelError(path, 'must be a finite number');
    return value;
  }
  if (Array.isArray(value))
    return value.map((v, i) => copyJson(v, joinPath(path, i), depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (value[key] === undefined) continue;
      setOwn(out, key, copyJson(value[key], joinPath(path, key), depth + 1));
    }
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  throw new CrossplaneModelError(path, `is not a JSON value (${typeof value})`);
}

function parseYamlField(
  text: string,
  schema: OpenAPISchema,
  path: string,
): unknown {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    throw new CrossplaneModelError(
      path,
      `is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (parsed === null || parsed === undefined) return undefined;
  if (schema.type === 'object' && !isRecord(parsed)) {
    throw new CrossplaneModelError(
      path,
      'must be a YAML mapping (key: value lines)',
    );
  }
  if (schema.type === 'array' && !Array.isArray(parsed)) {
    throw new CrossplaneModelError(path, 'must be a YAML list');
  }
  return copyJson(parsed, path);
}

function coerceScalar(value: unknown, kind: string | undefined): unknown {
  switch (kind) {
    case 'int-or-string':
      if (typeof value === 'string' && INTEGER.test(value.trim())) {
        const n = Number(value.trim());
        if (Number.isSafeInteger(n)) return n;
      }
      return value;
    case 'integer':
    case 'number':
      if (typeof value === 'string' && NUMBER.test(value.trim()))
        return Number(value.trim());
      return value;
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value;
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
      return value;
    default:
      return value;
  }
}

/**
 * A `x-kubernetes-list-type: map` list is keyed by its map keys and the API
 * server rejects two items with the same keys: items that repeat keys are
 * merged into the first one, later fields winning.
 */
function mergeMapListItems(
  items: unknown[],
  schema: OpenAPISchema | undefined,
): unknown[] {
  const keys = schema?.['x-kubernetes-list-map-keys'];
  if (
    schema?.['x-kubernetes-list-type'] !== 'map' ||
    !Array.isArray(keys) ||
    keys.length === 0
  ) {
    return items;
  }
  const out: unknown[] = [];
  const byId = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    if (!isRecord(item)) {
      out.push(item);
      continue;
    }
    const id = JSON.stringify(keys.map(k => item[k] ?? null));
    const first = byId.get(id);
    if (first) {
      for (const k of Object.keys(item)) setOwn(first, k, item[k]);
    } else {
      const copy: Record<string, unknown> = { ...item };
      byId.set(id, copy);
      out.push(copy);
    }
  }
  return out;
}

/**
 * Prepares form values for a manifest, guided by the schema: YAML text
 * fields of free-form objects are parsed, int-or-string digits become
 * integers, numbers and booleans written as text are converted, and empty
 * values (undefined, null, '', [], {}) are dropped, except empty lists and
 * objects of required fields. Object keys follow the
 * schema's order, then the remaining keys alphabetically. Returns undefined
 * when nothing is left.
 */
export function prepareValue(
  value: unknown,
  schema: OpenAPISchema | undefined,
  path: string,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH)
    throw new CrossplaneModelError(path, 'is nested too deeply');
  if (isEmpty(value)) return undefined;
  if (schema && isFreeform(schema)) {
    if (typeof value === 'string' && schema.type !== 'string') {
      const parsed = parseYamlField(value, schema, path);
      return isEmpty(parsed) ? undefined : parsed;
    }
    return copyJson(value, path, depth);
  }
  const kind = schemaKind(schema);
  if (Array.isArray(value)) {
    const items = value
      .map((v, i) =>
        prepareValue(v, schema?.items, joinPath(path, i), depth + 1),
      )
      .filter(v => v !== undefined);
    const merged = mergeMapListItems(items, schema);
    return merged.length === 0 ? undefined : merged;
  }
  if (isRecord(value)) {
    const props = schema?.properties ?? {};
    const additional = isRecord(schema?.additionalProperties)
      ? (schema!.additionalProperties as OpenAPISchema)
      : undefined;
    const keys = [
      ...Object.keys(props).filter(k => hasOwn(value, k)),
      ...Object.keys(value)
        .filter(k => !hasOwn(props, k))
        .sort(),
    ];
    const required = new Set(schema?.required ?? []);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const childSchema = hasOwn(props, key) ? props[key] : additional;
      const child = prepareValue(
        value[key],
        childSchema,
        joinPath(path, key),
        depth + 1,
      );
      if (child !== undefined) setOwn(out, key, child);
      else if (
        required.has(key) &&
        (Array.isArray(value[key]) || isRecord(value[key]))
      ) {
        // An empty list or object satisfies `required`; dropping it would not.
        setOwn(out, key, Array.isArray(value[key]) ? [] : {});
      }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new CrossplaneModelError(path, 'must be a finite number');
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return coerceScalar(value, kind);
  }
  if (value instanceof Date) return value.toISOString();
  throw new CrossplaneModelError(path, `is not a JSON value (${typeof value})`);
}
