import type { ResponseError } from '@backstage/errors';

/** The backend's own message (it names the field or permission), if any. */
export function messageOf(error: unknown): string {
  const body = (error as Partial<ResponseError>)?.body;
  return body?.error?.message ?? (error as Error)?.message ?? String(error);
}

/** Whether the backend answered 404: the object is not (or no longer) there. */
export function isNotFound(error: unknown): boolean {
  return (error as Partial<ResponseError>)?.statusCode === 404;
}
