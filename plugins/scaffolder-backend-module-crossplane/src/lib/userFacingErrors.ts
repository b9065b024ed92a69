import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The error a task's user sees, with its name and message only: the
 * scaffolder writes a failed step's `stack` into the task log, and a stack
 * names the server's files.
 */
export function userFacingError(error: unknown): Error {
  const cause = error instanceof Error ? error : new Error(String(error));
  const stack = `${cause.name}: ${cause.message}`;
  try {
    Object.defineProperty(cause, 'stack', { value: stack, configurable: true });
    return cause;
  } catch {
    const plain = new Error(cause.message);
    plain.name = cause.name;
    plain.stack = stack;
    return plain;
  }
}

/** An action whose failures reach the task log without a stack trace. */
export function withUserFacingErrors<T extends TemplateAction<any, any, any>>(
  action: T,
): T {
  return {
    ...action,
    async handler(ctx: Parameters<T['handler']>[0]) {
      try {
        await action.handler(ctx);
      } catch (error) {
        throw userFacingError(error);
      }
    },
  };
}
