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
