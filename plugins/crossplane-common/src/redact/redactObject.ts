import { KubernetesObject } from '../model/types';
import { isRecord, setOwn } from '../model/util';

/**
 * What redacted values are replaced with.
 *
 * @public
 */
export const REDACTED = '<redacted>';

/**
 * Options of {@link redactObject}.
 *
 * @public
 */
export interface RedactOptions {
  /**
   * Keep the keys of a Secret's `data` and `stringData` (with redacted
   * values) instead of removing both fields.
   */
  keepSecretKeys?: boolean;
}

/** Field names whose scalar values are credentials. */
const SECRET_KEY =
  /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|secret[-_]?key|credential|client[-_]?secret|connection[-_]?string|auth[-_]?key|sas[-_]?key|kubeconfig|certificate[-_]?key|tls[-_.]?key|ssh[-_]?key)/i;
/** Suffixes that make such a name a reference, a name or a setting, not a value. */
const NOT_A_VALUE =
  /(Ref|Refs|Selector|Name|Names|Namespace|Path|Type|Policy|Length|Arn|ARN|Id|ID|Version|Rotation|Enabled|Required|Expiry|Expiration|Ttl|TTL|Field|Keys|SecretRefs|Count|Source)$/;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_DEPTH = 200;

/** Whether a field name denotes a secret value (not a reference to one). */
export function isSecretFieldName(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_VALUE.test(key);
}

function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint'
  );
}

function isSecretManifest(value: Record<string, unknown>): boolean {
  return (
    value.kind === 'Secret' &&
    (value.apiVersion === 'v1' || value.apiVersion === undefined) &&
    (isRecord(value.data) ||
      isRecord(value.stringData) ||
      isRecord(value.metadata))
  );
}

class Redactor {
  private readonly ancestors = new Set<object>();
  constructor(private readonly options: RedactOptions) {}

  value(value: unknown, key: string | undefined, depth: number): unknown {
    if (value === null || typeof value !== 'object') {
      if (
        key !== undefined &&
        isScalar(value) &&
        isSecretFieldName(key) &&
        value !== ''
      )
        return REDACTED;
      return value;
    }
    if (depth > MAX_DEPTH || this.ancestors.has(value)) return REDACTED;
    this.ancestors.add(value);
    try {
      if (Array.isArray(value)) {
        return value.map(item => this.value(item, key, depth + 1));
      }
      if (!isRecord(value)) return REDACTED;
      return this.object(value, key, depth);
    } finally {
      this.ancestors.delete(value);
    }
  }

  private object(
    value: Record<string, any>,
    parentKey: string | undefined,
    depth: number,
  ) {
    const out: Record<string, unknown> = {};
    const secret = isSecretManifest(value);
    // `{name: DB_PASSWORD, value: ...}` (env vars, connection details, Helm sets).
    const namedSecret =
      (typeof value.name === 'string' && isSecretFieldName(value.name)) ||
      (typeof value.key === 'string' && isSecretFieldName(value.key));
    const inConnectionDetails =
      parentKey !== undefined && /connectionDetails$/i.test(parentKey);
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (secret && (key === 'data' || key === 'stringData')) {
        if (this.options.keepSecretKeys && isRecord(child)) {
          const masked: Record<string, string> = {};
          for (const k of Object.keys(child)) setOwn(masked, k, REDACTED);
          setOwn(out, key, masked);
        }
        continue;
      }
      if (key === 'metadata' && isRecord(child)) {
        setOwn(out, key, this.metadata(child, depth + 1));
        continue;
      }
      if (
        key === 'value' &&
        (namedSecret || inConnectionDetails) &&
        child !== undefined &&
        child !== null
      ) {
        setOwn(out, key, REDACTED);
        continue;
      }
      setOwn(out, key, this.value(child, key, depth + 1));
    }
    return out;
  }

  private metadata(metadata: Record<string, any>, depth: number) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(metadata)) {
      if (key === 'managedFields') continue;
      const child = metadata[key];
      if (key === 'annotations' && isRecord(child)) {
        const annotations: Record<string, unknown> = {};
        for (const a of Object.keys(child)) {
          if (a === LAST_APPLIED) continue;
          setOwn(annotations, a, this.value(child[a], a, depth + 1));
        }
        setOwn(out, key, annotations);
        continue;
      }
      // Names, labels and the like are never secret values.
      setOwn(
        out,
        key,
        key === 'labels'
          ? this.copy(child, depth + 1)
          : this.value(child, key, depth + 1),
      );
    }
    return out;
  }

  private copy(value: unknown, depth: number): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_DEPTH || this.ancestors.has(value)) return REDACTED;
    if (Array.isArray(value)) return value.map(v => this.copy(v, depth + 1));
    if (!isRecord(value)) return REDACTED;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      setOwn(out, key, this.copy(value[key], depth + 1));
    return out;
  }
}

/**
 * A copy of an object that is safe to send to a browser: a Secret (also one
 * embedded anywhere, such as a provider-kubernetes Object's manifest or a
 * Composition's base) loses `data` and `stringData`; the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation and
 * `managedFields` are removed; values of connection details and of fields
 * whose names denote secret values (`password`, `token`, `apiKey`,
 * `privateKey`, env vars named like them, ...) are replaced by
 * {@link REDACTED}. References to secrets (`passwordSecretRef`,
 * `writeConnectionSecretToRef`, `secretName`, ...) are kept. Never mutates
 * its input.
 *
 * @public
 */
export function redactObject<T extends KubernetesObject>(
  obj: T,
  options: RedactOptions = {},
): T {
  if (!isRecord(obj)) return obj;
  return new Redactor(options).value(obj, undefined, 0) as T;
}

/**
 * {@link redactObject} for a list.
 *
 * @public
 */
export function redactObjects<T extends KubernetesObject>(
  objects: readonly T[],
  options: RedactOptions = {},
): T[] {
  return objects.map(o => redactObject(o, options));
}
