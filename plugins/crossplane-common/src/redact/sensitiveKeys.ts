/**
 * Words that, anywhere in a field name, say the field holds a secret.
 * Matched against the name lowercased and without separators, so that
 * `apiKey`, `api_key`, `api-key` and `X-API-KEY` are one name.
 */
const SENSITIVE =
  /(password|passwd|passphrase|pwd|secret|token|apikey|privatekey|signingkey|encryptionkey|masterkey|accesskey|credential|kubeconfig|dockerconfig|connectionstring|clientkey|dsn)/;
/** Suffixes of fields that name or point at a secret rather than hold one. */
const REFERENCE =
  /(Ref|Refs|Selector|Name|Names|Namespace|Policy|Type|SecretKeys|Source|Hash|Version|Path|Seconds|TTL|Ttl|Duration|Length|Enabled|Count|Period|Expiry)$/;
/** Patch paths of Compositions: `fromFieldPath`, `toConnectionSecretKey`. */
const PATCH_FIELD = /^(from|to)[A-Z]/;

/**
 * The part of a key that says what it holds: the segment after the last
 * `/` (`example.com/token` is a `token`), in camelCase (`client-key-data`
 * is `clientKeyData`, `SECRET_NAME` is `secretName`).
 */
function lastSegment(key: string): string {
  const words = key
    .slice(key.lastIndexOf('/') + 1)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(w => (w === w.toUpperCase() ? w.toLowerCase() : w));
  return words
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

/** Whether a field or annotation of this name names or points at a secret. */
export function isReferenceKey(key: string): boolean {
  const name = lastSegment(key);
  return REFERENCE.test(name) || PATCH_FIELD.test(name);
}

/**
 * Whether a field, annotation or label of this name holds a secret value:
 * `password`, `apiToken`, `example.com/token`, `client-key-data`,
 * `AWS_SECRET_ACCESS_KEY`; not `passwordSecretRef`, `secretName` or
 * `token-ttl`, which only point at one or describe it.
 */
export function isSensitiveKey(key: string): boolean {
  const name = lastSegment(key);
  return (
    SENSITIVE.test(name.toLowerCase()) &&
    !REFERENCE.test(name) &&
    !PATCH_FIELD.test(name)
  );
}
