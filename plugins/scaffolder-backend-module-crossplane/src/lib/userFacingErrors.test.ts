import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { userFacingError, withUserFacingErrors } from './userFacingErrors';

describe('userFacingError', () => {
  it('keeps the name, message and class, and no file paths', () => {
    const error = userFacingError(new InputError('name: is required'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('name: is required');
    expect(error.stack).toBe('InputError: name: is required');
    expect(error.stack).not.toContain(__filename);
  });

  it('turns anything thrown into an error', () => {
    expect(userFacingError('boom').stack).toBe('Error: boom');
  });
});

describe('withUserFacingErrors', () => {
  it('rethrows an action’s failure without its stack', async () => {
    const action = withUserFacingErrors(
      createTemplateAction({
        id: 'test:fail',
        async handler() {
          throw new Error('cluster east: unreachable');
        },
      }),
    );
    const failure = await action
      .handler(mockActionContext({}).ctx as any)
      .catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).stack).toBe('Error: cluster east: unreachable');
  });
});

describe('withUserFacingErrors input check', () => {
  const strict = withUserFacingErrors(
    createTemplateAction({
      id: 'test:strict',
      schema: {
        input: {
          kind: z => z.string().describe('The kind'),
          timeoutSeconds: z => z.number().int().optional(),
        },
      },
      async handler() {},
    }),
  );

  it('leaves required inputs to the action, marked in their description', () => {
    const schema = strict.schema?.input as {
      required?: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(schema.required).toBeUndefined();
    expect(schema.properties.kind.description).toBe('Required. The kind');
  });

  it('names each missing or mistyped input, without a stack', async () => {
    const failure = await strict
      .handler(mockActionContext({ timeoutSeconds: 'soon' }).ctx as any)
      .catch((e: Error) => e);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toContain('kind: is required');
    expect((failure as Error).message).toContain(
      'timeoutSeconds: is not of a type(s) integer',
    );
    expect((failure as Error).stack).toBe(
      `InputError: ${(failure as Error).message}`,
    );
  });
});
