import { InputError } from '@backstage/errors';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { validate, ValidationError } from 'jsonschema';

/** The part of an action's JSON Schema that the input check reads. */
type InputSchema = {
  required?: string[];
  properties?: Record<string, unknown>;
  [key: string]: unknown;
};

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

/**
 * The input schema as the scaffolder checks it before the action runs: the
 * same, without `required`. The scaffolder's own check writes its error's
 * stack into the task log, so the action checks required inputs itself;
 * the template editor still shows which ones are required.
 */
function relaxed(schema: InputSchema): InputSchema {
  const required = schema.required ?? [];
  if (required.length === 0 || !schema.properties) return schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([key, value]) => [
      key,
      required.includes(key) && value && typeof value === 'object'
        ? {
            ...value,
            description: `Required. ${
              (value as { description?: string }).description ?? ''
            }`.trim(),
          }
        : value,
    ]),
  );
  const { required: _, ...rest } = schema;
  return { ...rest, properties };
}

/**
 * An action whose failures reach the task log without a stack trace, its
 * input check included.
 */
export function withUserFacingErrors<T extends TemplateAction<any, any, any>>(
  action: T,
): T {
  const input = action.schema?.input as InputSchema | undefined;
  return {
    ...action,
    schema: action.schema && {
      ...action.schema,
      input: input && relaxed(input),
    },
    async handler(ctx: Parameters<T['handler']>[0]) {
      try {
        if (input) {
          const result = validate(ctx.input, input);
          if (!result.valid) {
            throw new InputError(result.errors.map(describeProblem).join('; '));
          }
        }
        await action.handler(ctx);
      } catch (error) {
        throw userFacingError(error);
      }
    },
  };
}

/** `kind: is required`, `timeoutSeconds: is not of a type(s) integer`. */
function describeProblem(error: ValidationError): string {
  const path = error.property.replace(/^instance\.?/, '');
  if (error.name === 'required') {
    const field = [path, String(error.argument)].filter(Boolean).join('.');
    return `${field}: is required`;
  }
  return `${path || 'input'}: ${error.message}`;
}
