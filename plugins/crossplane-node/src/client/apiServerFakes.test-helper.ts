/*
 * What the tests' in-process HTTPS servers answer like kube-apiserver.
 */

/** OpenSSL's arguments of a new P-256 key, unencrypted. */
export const EC_KEY_ARGS = [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:prime256v1',
  '-nodes',
];

/** A Kubernetes `Status` body of a failure. */
export function statusBody(code: number, reason: string, message: string) {
  return JSON.stringify({
    kind: 'Status',
    status: 'Failure',
    code,
    reason,
    message,
  });
}
