import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ClusterRequestError } from './ClusterRequestError';

/** The `message` and `reason` of a Kubernetes `Status` body, if it is one. */
export function parseStatus(body: unknown): {
  message?: string;
  reason?: string;
} {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { message: value ? (value as string) : undefined };
    }
  }
  if (value && typeof value === 'object') {
    const { message, reason } = value as {
      message?: unknown;
      reason?: unknown;
    };
    return {
      message: typeof message === 'string' ? message : undefined,
      reason: typeof reason === 'string' ? reason : undefined,
    };
  }
  return {};
}

/**
 * The error of a request the API server answered with an HTTP error status,
 * whatever the transport: a missing object or kind is a NotFoundError, a
 * conflict a ConflictError, a rejected input an InputError; everything else
 * (401, 403, 410 Gone, 429, 5xx) a ClusterRequestError with the status, so
 * the cache knows the server answered and a watch knows when to relist.
 */
export function errorOfStatus(
  cluster: string,
  what: string,
  statusCode: number,
  body: unknown,
  fallbackMessage?: string,
): Error {
  const status = parseStatus(body);
  const message = `cluster ${cluster}: ${what}: ${
    status.message ?? fallbackMessage ?? `HTTP ${statusCode}`
  }`;
  switch (statusCode) {
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 400:
    case 422:
      return new InputError(message);
    default:
      return new ClusterRequestError(
        cluster,
        message,
        statusCode,
        status.reason,
      );
  }
}

/**
 * The error of a request the API server did not answer (refused, reset,
 * TLS failure, timed out, a response that is not JSON): no status, so the
 * cache asks whether the cluster is up.
 */
export function errorOfFailure(
  cluster: string,
  what: string,
  error: unknown,
): ClusterRequestError {
  const cause = error instanceof Error ? error : new Error(String(error));
  return new ClusterRequestError(
    cluster,
    `cluster ${cluster}: ${what}: ${cause.message}`,
    undefined,
    undefined,
    cause,
  );
}

/** A watch's ERROR event (a `Status`, e.g. 410 Expired) as an error. */
export function errorOfWatchEvent(
  cluster: string,
  kind: string,
  status: unknown,
): ClusterRequestError {
  const { message, reason } = parseStatus(status);
  const code = (status as { code?: number } | undefined)?.code;
  return new ClusterRequestError(
    cluster,
    `cluster ${cluster}: watch ${kind}: ${message ?? 'watch failed'}`,
    code,
    reason,
  );
}
