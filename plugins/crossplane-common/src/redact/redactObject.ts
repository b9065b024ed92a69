import { KubernetesObject } from '../model/types';
import { isRecord, setOwn } from '../model/util';

/**
 * What a redacted value is replaced with.
 *
 * @public
 */
export const REDACTED_VALUE = '<redacted>';

/**
 * The annotation in which `kubectl apply` keeps the whole last-applied
 * object, Secret data included; {@link redactObject} drops it.
 *
 * @public
 */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

const SENSITIVE =
  /(password|passwd|passphrase|secret|token|apikey|api_key|privatekey|private_key|credential|accesskey|access_key|kubeconfig|connectionstring|connection_string|clientkey|client_key|dsn)/i;
/** Fields that name or point at a secret rather than hold one. */
const REFERENCE =
  /(Ref|Refs|Selector|Name|Names|Namespace|Policy|Type|Keys|Source|Hash|Version|Path|Seconds|TTL|Ttl|Duration|Length|Enabled|Count|Period|Expiry)$/;
const MAX_DEPTH = 200;

/** Whether a field of this name holds a secret value. */
export function isSensitiveKey(key: string): boolean {
  return (
    SENSITIVE.test(key) && !REFERENCE.test(key) && !/^(from|to)[A-Z]/.test(key)
  );
}

function isSecretManifest(value: Record<string, unknown>): boolean {
  return (
    value.kind === 'Secret' &&
    (value.apiVersion === 'v1' || value.apiVersion === undefined) &&
    isRecord(value.metadata)
  );
}

function redactScalar(value: unknown): unknown {
  return typeof value === 'string' || typeof value === 'number'
    ? REDACTED_VALUE
    : value;
}

function redact(
  value: unknown,
  key: string,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > MAX_DEPTH) return REDACTED_VALUE;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map(v =>
        // Composition connection details: literal values may be secrets.
        key === 'connectionDetails' && isRecord(v) && 'value' in v
          ? {
              ...(redact(v, '', depth + 1, seen) as object),
              value: redactScalar(v.value),
            }
          : redact(v, key, depth + 1, seen),
      );
    }
    const obj = value as Record<string, unknown>;
    const secret = isSecretManifest(obj);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (secret && (k === 'data' || k === 'stringData')) continue;
      if (k === 'managedFields' && key === 'metadata') continue;
      if (k === 'annotations' && key === 'metadata' && isRecord(v)) {
        const annotations: Record<string, unknown> = {};
        for (const a of Object.keys(v)) {
          if (a !== LAST_APPLIED_ANNOTATION) setOwn(annotations, a, v[a]);
        }
        if (Object.keys(annotations).length > 0) setOwn(out, k, annotations);
        continue;
      }
      if (
        isSensitiveKey(k) &&
        (typeof v === 'string' || typeof v === 'number')
      ) {
        setOwn(out, k, REDACTED_VALUE);
        continue;
      }
      setOwn(out, k, redact(v, k, depth + 1, seen));
    }
    // name/value pairs: environment variables, Helm `set` entries.
    if (
      typeof obj.name === 'string' &&
      isSensitiveKey(
        obj.name
          .replace(/[^A-Za-z0-9]/g, '_')
          .split(/[_.]/)
          .join('_'),
      ) &&
      'value' in obj
    ) {
      out.value = redactScalar(obj.value);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A copy of an object that is safe to hand to a browser: Secrets (and
 * Secret manifests embedded anywhere, e.g. in a provider-kubernetes
 * Object) lose `data` and `stringData`; the `last-applied-configuration`
 * annotation and `managedFields` are dropped; literal values of
 * connection details and of fields that hold secrets (`password`, `token`,
 * `privateKey`, `credentials`, environment variables named like them, ...)
 * become {@link REDACTED_VALUE}. References to secrets
 * (`writeConnectionSecretToRef`, `passwordSecretRef`, `secretName`, ...)
 * keep their names. Never mutates its input.
 *
 * @public
 */
export function redactObject<T extends KubernetesObject>(obj: T): T {
  if (!isRecord(obj)) return obj;
  return redact(obj, '', 0, new WeakSet()) as T;
}
