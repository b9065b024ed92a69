import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import type { PortalClient, Reply } from './portalClient';

/** A template whose one step runs an action, as a user could write it. */
export function oneStepTemplate(
  name: string,
  owner: string,
  parameters: Record<string, { type: string }>,
  step: { action: string; input: Record<string, unknown> },
) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, title: name },
    spec: {
      owner,
      type: 'resource',
      parameters: [{ properties: parameters }],
      steps: [{ id: 'run', ...step }],
    },
  };
}

/**
 * Runs a template (`template:default/<name>`) as a user, to its end: its
 * status, its log, and every reply the run took (to check them all).
 */
export async function runTask(
  api: PortalClient,
  user: string,
  templateName: string,
  values: Record<string, unknown>,
): Promise<{ status: string; log: string; replies: Reply[] }> {
  const started = await api.post(user, 'scaffolder/v2/tasks', {
    templateRef: `template:default/${templateName}`,
    values,
  });
  if (started.status !== 201) {
    throw new Error(
      `task of ${templateName}: ${started.status} ${started.text}`,
    );
  }
  const id = started.body.id as string;
  const task = await waitFor(
    `task ${id} to finish`,
    async () => {
      const { body } = await api.get(user, `scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(body?.status)
        ? body
        : undefined;
    },
    120_000,
  );
  const events = await api.get(user, `scaffolder/v2/tasks/${id}/events`);
  return {
    status: task.status as string,
    log: ((events.body ?? []) as Array<{ body: { message?: string } }>)
      .map(e => e.body.message ?? '')
      .join('\n'),
    replies: [started, events],
  };
}
