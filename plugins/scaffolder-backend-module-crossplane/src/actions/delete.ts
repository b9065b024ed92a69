import { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { watchObject } from '../lib/watchObject';
import { examples } from './delete.examples';
import { DEFAULT_TIMEOUT_SECONDS, objectInputs } from './inputs';

/**
 * `crossplane:delete`: deletes an object with foreground propagation, so
 * that its composed resources go first, and waits until it is gone.
 *
 * @public
 */
export function createCrossplaneDeleteAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
}) {
  const { clusters, permissions } = options;
  return createTemplateAction({
    id: 'crossplane:delete',
    description:
      'Deletes a Crossplane claim or composite resource (foreground propagation) and waits until it is gone.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...objectInputs,
        wait: z =>
          z.boolean().default(true).describe('Wait until the object is gone'),
      },
      output: {
        deleted: z =>
          z.boolean().describe('False when the object did not exist'),
      },
    },
    async handler(ctx) {
      const input = {
        ...ctx.input,
        wait: ctx.input.wait ?? true,
        timeoutSeconds: ctx.input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      };
      const client = clusters.get(input.cluster);
      const what = `${input.kind} ${
        input.namespace ? `${input.namespace}/` : ''
      }${input.name} in cluster ${client.name}`;
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        'delete',
        { ...input, cluster: client.name },
      );
      if (ctx.isDryRun) {
        const exists = Boolean(await client.get(input));
        ctx.logger.info(
          `Dry run: would delete ${what}${
            exists ? '' : ' (it does not exist)'
          }`,
        );
        ctx.output('deleted', exists);
        return;
      }

      const deleted = await ctx.checkpoint({
        key: `crossplane-delete-${client.name}-${input.kind}-${
          input.namespace ?? ''
        }-${input.name}`,
        fn: async () =>
          client.delete(input, { propagationPolicy: 'Foreground' }),
      });
      ctx.logger.info(deleted ? `Deleting ${what}` : `${what} did not exist`);

      if (deleted && input.wait) {
        let last: KubernetesObject | undefined;
        let handle: { stop(): void } | undefined;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            handle?.stop();
            const finalizers =
              (last?.metadata.finalizers as string[] | undefined) ?? [];
            reject(
              new Error(
                `${what} was not gone within ${input.timeoutSeconds}s${
                  finalizers.length
                    ? `; finalizers left: ${finalizers.join(', ')}`
                    : ''
                }`,
              ),
            );
          }, input.timeoutSeconds * 1000);
          watchObject(
            client,
            input,
            object => {
              last = object;
              if (!object) {
                clearTimeout(timer);
                handle?.stop();
                resolve();
              }
            },
            error =>
              ctx.logger.warn(
                `Watching ${what} was interrupted, resuming: ${error.message}`,
              ),
          ).then(
            h => {
              handle = h;
              if (!last) h.stop();
            },
            error => {
              clearTimeout(timer);
              reject(error);
            },
          );
        });
        ctx.logger.info(`${what} is gone`);
      }
      ctx.output('deleted', deleted);
    },
  });
}
