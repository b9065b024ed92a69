import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { compilePattern } from '../model/schema';

const CIDR_V4 =
  /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
const MAC = /^([0-9A-Fa-f]{2}([:-]))([0-9A-Fa-f]{2}\2){4}[0-9A-Fa-f]{2}$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w))+$/;

function isCidr(value: string): boolean {
  if (CIDR_V4.test(value)) return true;
  const slash = value.lastIndexOf('/');
  if (slash < 0) return false;
  const prefix = Number(value.slice(slash + 1));
  const ip = value.slice(0, slash);
  return (
    /^\d+$/.test(value.slice(slash + 1)) &&
    prefix <= 128 &&
    ip.includes(':') &&
    /^[0-9A-Fa-f:.]+$/.test(ip)
  );
}

/** Formats the API server knows, beyond ajv-formats' ones. */
const K8S_FORMATS: Record<string, (value: string) => boolean> = {
  cidr: isCidr,
  mac: v => MAC.test(v),
  duration: v => GO_DURATION.test(v),
  datetime: v => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v),
  password: () => true,
};
const K8S_NUMBER_FORMATS: Record<string, (value: number) => boolean> = {
  int32: v => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647,
  int64: v => Number.isSafeInteger(v) || Number.isInteger(v),
  float: v => Number.isFinite(v),
  double: v => Number.isFinite(v),
};
const AJV_FORMATS = [
  'date',
  'date-time',
  'time',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uuid',
  'byte',
] as const;

/** Every format this validator checks; other formats are ignored, as the API server does. */
export const KNOWN_FORMATS = new Set<string>([
  ...AJV_FORMATS,
  ...Object.keys(K8S_FORMATS),
  ...Object.keys(K8S_NUMBER_FORMATS),
]);

/** Kubernetes patterns are RE2; translate what JavaScript spells differently. */
const regExp = Object.assign(
  (pattern: string, _flags: string) => compilePattern(pattern),
  { code: 'new RegExp' },
);

/** Keyword for `x-kubernetes-list-type: map`: items unique by their map keys. */
export const UNIQUE_KEYS_KEYWORD = 'x-platformops-unique-keys';

function uniqueByKeys(keys: string[], data: unknown): string | undefined {
  if (!Array.isArray(data)) return undefined;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (item === null || typeof item !== 'object') continue;
    const id = JSON.stringify(
      keys.map(k => (item as Record<string, unknown>)[k] ?? null),
    );
    const first = seen.get(id);
    if (first !== undefined) {
      const shown = keys
        .map(
          k => `${k}=${JSON.stringify((item as Record<string, unknown>)[k])}`,
        )
        .join(', ');
      return `must not contain two items with the same ${keys.join(
        ', ',
      )} (items ${first} and ${i} have ${shown})`;
    }
    seen.set(id, i);
  }
  return undefined;
}

let shared: Ajv | undefined;

/** The ajv instance, created on first use. */
export function getAjv(): Ajv {
  if (!shared) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      useDefaults: true,
      strict: false,
      validateFormats: true,
      code: { regExp },
    });
    addFormats(ajv, [...AJV_FORMATS]);
    for (const [name, validate] of Object.entries(K8S_FORMATS)) {
      ajv.addFormat(name, { type: 'string', validate });
    }
    for (const [name, validate] of Object.entries(K8S_NUMBER_FORMATS)) {
      ajv.addFormat(name, { type: 'number', validate });
    }
    ajv.addKeyword({
      keyword: UNIQUE_KEYS_KEYWORD,
      type: 'array',
      schemaType: 'array',
      errors: true,
      validate: function validateUniqueKeys(
        keys: string[],
        data: unknown,
      ): boolean {
        const message = uniqueByKeys(keys, data);
        (validateUniqueKeys as { errors?: unknown[] }).errors = message
          ? [{ keyword: UNIQUE_KEYS_KEYWORD, message, params: {} }]
          : [];
        return !message;
      },
    });
    shared = ajv;
  }
  return shared;
}

const MAX_CACHED = 256;
const bySource = new Map<string, ValidateFunction>();

/**
 * Compiles a schema, or returns the validator compiled for an identical one
 * (the same XRD parsed again). ajv keeps what it compiled in its instance
 * for good, so after {@link MAX_CACHED} distinct schemas the instance is
 * replaced, bounding memory in a long-running backend.
 */
export function compileSchema(
  schema: Record<string, unknown>,
): ValidateFunction {
  const source = JSON.stringify(schema);
  const cached = bySource.get(source);
  if (cached) {
    // Most recently used last.
    bySource.delete(source);
    bySource.set(source, cached);
    return cached;
  }
  if (bySource.size >= MAX_CACHED) {
    bySource.clear();
    shared = undefined;
  }
  const validate = getAjv().compile(schema);
  bySource.set(source, validate);
  return validate;
}

export type { ErrorObject, ValidateFunction };
