import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * An action context for unit tests of one action: records outputs, runs
 * checkpoints once, and gives a fresh workspace directory.
 */
export function mockActionContext<TInput>(
  input: TInput,
  overrides: Record<string, unknown> = {},
) {
  const outputs: Record<string, unknown> = {};
  const workspacePath = fs.mkdtempSync(
    path.join(os.tmpdir(), 'crossplane-action-'),
  );
  const logger = mockServices.logger.mock();
  const ctx = {
    input,
    logger,
    workspacePath,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { key: string; fn: () => Promise<unknown> }) =>
      fn(),
    getInitiatorCredentials: async () =>
      mockCredentials.user('user:default/jane'),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-tmp-')),
    task: { id: 'task-1' },
    templateInfo: { entityRef: 'template:default/postgresql' },
    user: { ref: 'user:default/jane' },
    isDryRun: false,
    ...overrides,
  };
  const logged = () => logger.info.mock.calls.map(call => String(call[0]));
  return { ctx: ctx as any, outputs, workspacePath, logged };
}
