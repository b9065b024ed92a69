import { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_NAMESPACE_POLICY,
  describeObjectId,
  KubernetesObject,
  NamespacePolicy,
} from '@platformops/plugin-crossplane-common';
import {
  CrossplaneClusters,
  DEFAULT_WRITABLE_KINDS,
  resolveWriteTarget,
  WritableKinds,
} from '@platformops/plugin-crossplane-node';
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
  writable?: WritableKinds;
  namespaces?: NamespacePolicy;
}) {
  const { clusters, permissions } = options;
  const writable = options.writable ?? DEFAULT_WRITABLE_KINDS;
  const namespaces = options.namespaces ?? DEFAULT_NAMESPACE_POLICY;
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
      // Only what PlatformOps may write, as the cluster says it is.
      const target = await resolveWriteTarget(client, input, {
        writable,
        namespaces,
      });
      target.warnings.forEach(warning => ctx.logger.warn(warning));
      const locator = {
        apiVersion: input.apiVersion,
        kind: target.id.kind,
        namespace: target.id.namespace,
        name: target.id.name,
      };
      const what = describeObjectId(target.id);
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        'delete',
        target.id,
      );
      if (ctx.isDryRun) {
        const exists = Boolean(await client.get(locator));
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
          target.id.namespace ?? ''
        }-${input.name}`,
        fn: async () =>
          client.delete(locator, { propagationPolicy: 'Foreground' }),
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
            locator,
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
