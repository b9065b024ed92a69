import { KubernetesObject } from '../model/types';
import { hasOwn, isRecord, setOwn } from '../model/util';
import { LAST_APPLIED_ANNOTATION, REDACTED_VALUE } from './constants';
import { redactText } from './redactText';
import { isReferenceKey, isSensitiveKey } from './sensitiveKeys';

const MAX_DEPTH = 200;
/** Fields that stay readable inside a secret-holding object: what it is and where it points. */
const DESCRIPTIVE_KEYS = new Set([
  'name',
  'namespace',
  'kind',
  'apiVersion',
  'type',
  'source',
]);

/** Where a value sits: its field name and whether an enclosing field holds a secret. */
interface Place {
  key: string;
  inSecret: boolean;
  depth: number;
  seen: WeakSet<object>;
}

function child(place: Place, key: string): Place {
  let inSecret = place.inSecret;
  if (isSensitiveKey(key)) inSecret = true;
  else if (isReferenceKey(key)) inSecret = false;
  return { key, inSecret, depth: place.depth + 1, seen: place.seen };
}

function isSecretManifest(value: Record<string, unknown>): boolean {
  return (
    value.kind === 'Secret' &&
    (value.apiVersion === 'v1' || value.apiVersion === undefined) &&
    isRecord(value.metadata)
  );
}

/** Whether a scalar at this place is a secret to hide. */
function hidesScalar(place: Place): boolean {
  return (
    place.inSecret &&
    !DESCRIPTIVE_KEYS.has(place.key) &&
    !isReferenceKey(place.key)
  );
}

/** A name/value (or key/value) pair whose name says it is a secret: `DB_PASSWORD`, `auth.password`. */
function isSecretPair(obj: Record<string, unknown>): boolean {
  if (!hasOwn(obj, 'value')) return false;
  const name = typeof obj.name === 'string' ? obj.name : obj.key;
  return typeof name === 'string' && isSensitiveKey(name);
}

function redactRecord(
  obj: Record<string, unknown>,
  place: Place,
  secret: boolean,
): Record<string, unknown> {
  // SecretList items carry no kind: each is a Secret all the same.
  const secretItems = obj.kind === 'SecretList';
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (k === LAST_APPLIED_ANNOTATION) continue;
    if (secret && (k === 'data' || k === 'stringData')) continue;
    if (k === 'managedFields' && place.key === 'metadata') continue;
    const value =
      secretItems && k === 'items' && Array.isArray(v)
        ? v.map(item => redactValue(item, child(place, k), true))
        : redactValue(v, child(place, k));
    // An annotations map that held only last-applied-configuration goes.
    if (
      k === 'annotations' &&
      isRecord(value) &&
      Object.keys(value).length === 0 &&
      isRecord(v) &&
      Object.keys(v).length > 0
    ) {
      continue;
    }
    setOwn(out, k, value);
  }
  if (isSecretPair(obj)) {
    out.value = redactValue(obj.value, {
      ...child(place, 'value'),
      inSecret: true,
    });
  }
  return out;
}

function redactArray(value: unknown[], place: Place): unknown[] {
  return Array.from(value, v => {
    const item = redactValue(v, { ...place, depth: place.depth + 1 });
    // Composition connection details: literal values may be secrets.
    if (place.key === 'connectionDetails' && isRecord(v) && 'value' in v) {
      return {
        ...(item as object),
        value: redactValue(v.value, {
          ...child(place, 'value'),
          inSecret: true,
        }),
      };
    }
    return item;
  });
}

function redactValue(value: unknown, place: Place, secret = false): unknown {
  if (typeof value === 'string') {
    if (hidesScalar(place)) return REDACTED_VALUE;
    return redactText(value, document =>
      redactValue(document, { ...place, key: '', depth: place.depth + 1 }),
    );
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return hidesScalar(place) ? REDACTED_VALUE : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (place.seen.has(value) || place.depth > MAX_DEPTH) return REDACTED_VALUE;
  place.seen.add(value);
  try {
    return Array.isArray(value)
      ? redactArray(value, place)
      : redactRecord(
          value as Record<string, unknown>,
          place,
          secret || isSecretManifest(value as Record<string, unknown>),
        );
  } finally {
    place.seen.delete(value);
  }
}

/** What is left of an object that could not be walked: its identity only. */
function identityOnly(obj: unknown): KubernetesObject {
  const rec = obj as Record<string, any>;
  const pick = (v: unknown) => (typeof v === 'string' ? v : undefined);
  try {
    return {
      apiVersion: pick(rec.apiVersion) ?? '',
      kind: pick(rec.kind) ?? '',
      metadata: {
        name: pick(rec.metadata?.name) ?? '',
        namespace: pick(rec.metadata?.namespace),
      },
    };
  } catch {
    return { apiVersion: '', kind: '', metadata: { name: '' } };
  }
}

/**
 * A copy of an object that is safe to hand to a browser. Secrets (and
 * Secret manifests or SecretLists embedded anywhere, e.g. in a
 * provider-kubernetes Object) lose `data` and `stringData`; the
 * `last-applied-configuration` annotation is dropped wherever it appears,
 * and `managedFields` with it. Values under fields, annotations and labels
 * whose names say they hold secrets (`password`, `token`, `privateKey`,
 * `credentials`, `example.com/token`, `client-key-data`, environment
 * variables and Helm values named like them, literal connection details)
 * become {@link REDACTED_VALUE}; so do secrets inside text (private key
 * blocks, URL passwords, kubeconfigs, JSON or YAML with such fields).
 * References to secrets (`writeConnectionSecretToRef`, `passwordSecretRef`,
 * `secretName`, ...) keep their names. Never mutates its input and never
 * throws: what cannot be walked is reduced to its kind and name.
 *
 * @public
 */
export function redactObject<T extends KubernetesObject>(obj: T): T {
  if (!isRecord(obj)) return obj;
  try {
    return redactValue(obj, {
      key: '',
      inSecret: false,
      depth: 0,
      seen: new WeakSet(),
    }) as T;
  } catch {
    return identityOnly(obj) as T;
  }
}
