import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import { describeObjectId } from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  composedObjects,
  CrossplaneClusters,
  LifecycleOperation,
  resolveLifecycleTarget,
  runLifecycleOperation,
} from '@platformops/plugin-crossplane-node';
import { objectInputs } from '../actions/inputs';
import { authorize } from './authorize';
import { describeConditions } from './describeConditions';
import { FIELD_MANAGER } from './fieldManager';

/**
 * A `crossplane:pause`, `crossplane:resume` or `crossplane:reconcile`
 * action: the same checks as the status backend's routes (the target
 * resolved from the cluster, a claim, composite or managed resource only;
 * the operation's own permission asked on it; the operation audited), and
 * the same write, through the shared `runLifecycleOperation`.
 */
export function createLifecycleAction(options: {
  operation: LifecycleOperation;
  description: string;
  examples: TemplateExample[];
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
}) {
  const { operation, clusters, permissions, auditor } = options;
  return createTemplateAction({
    id: `crossplane:${operation}`,
    description: options.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: objectInputs.cluster,
        apiVersion: objectInputs.apiVersion,
        kind: objectInputs.kind,
        name: objectInputs.name,
        namespace: objectInputs.namespace,
        ...(operation === 'reconcile'
          ? {
              waitSeconds: (z: typeof import('zod/v3').z) =>
                z
                  .number()
                  .int()
                  .min(0)
                  .max(600)
                  .default(20)
                  .describe('How long to wait for the outcome, in seconds'),
            }
          : {}),
      },
      output: {
        paused: z =>
          z.boolean().describe('Whether the object is paused afterwards'),
        conditions: z =>
          z
            .array(z.record(z.unknown()))
            .optional()
            .describe('Reconcile: the Ready and Synced conditions after it'),
      },
    },
    async handler(ctx) {
      const input = ctx.input as typeof ctx.input & { waitSeconds?: number };
      const client = clusters.get(input.cluster);
      const credentials = await ctx.getInitiatorCredentials();
      const event = await auditor?.createEvent({
        eventId: operation,
        severityLevel: 'medium',
        meta: {
          action: operation,
          object: `${input.kind} ${input.namespace ?? ''}/${
            input.name
          } in cluster ${input.cluster}`,
          actor: ctx.user?.ref ?? '',
          dryRun: ctx.isDryRun ?? false,
          task: ctx.task?.id ?? '',
        },
      });
      try {
        const target = await resolveLifecycleTarget(client, input);
        target.warnings.forEach(warning => ctx.logger.warn(warning));
        await authorize(permissions, credentials, operation, target.id);
        const what = describeObjectId(target.id);
        const composed =
          operation === 'reconcile'
            ? await composedObjects(client, target.object)
            : [];
        // A task carries no user cluster token: a cluster that writes with
        // the signed-in user's own refuses here (401, naming the header).
        const writer = await clientForWrites(client);
        const run = () =>
          runLifecycleOperation({
            client: writer,
            operation,
            target: target.locator,
            composed,
            fieldManager: FIELD_MANAGER,
            dryRun: ctx.isDryRun,
            waitMs: (input.waitSeconds ?? 20) * 1000,
          });
        const result = ctx.isDryRun
          ? await run()
          : await ctx.checkpoint({
              key: `crossplane-${operation}-${client.name}-${input.kind}-${
                target.id.namespace ?? ''
              }-${input.name}`,
              fn: async () => JSON.parse(JSON.stringify(await run())),
            });
        ctx.logger.info(
          `${ctx.isDryRun ? 'Dry run: would ' : ''}${operation} ${what}${
            result.objects.length > 1
              ? ` and ${result.objects.length - 1} composed object(s)`
              : ''
          }`,
        );
        for (const { object, reason } of result.skipped ?? []) {
          ctx.logger.warn(
            `Not annotated: ${object.kind} ${object.name}: ${reason}`,
          );
        }
        if (result.reconcile) {
          ctx.logger.info(
            `${
              result.reconcile.observed
                ? 'Reconciled'
                : 'No change written by a controller'
            } within ${Math.round(
              result.reconcile.waitedMs / 1000,
            )}s: ${describeConditions(result.reconcile.conditions)}`,
          );
          ctx.output('conditions', result.reconcile.conditions);
        }
        ctx.output('paused', result.paused);
        await event?.success();
      } catch (error) {
        await event?.fail({ error: error as Error });
        throw error;
      }
    },
  });
}
