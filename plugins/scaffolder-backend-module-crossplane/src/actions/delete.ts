import { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_NAMESPACE_POLICY,
  describeObjectId,
  KubernetesObject,
  NamespacePolicy,
} from '@platformops/plugin-crossplane-common';
import {
  assertDeletionRoot,
  assertNotGitOps,
  clientForWrites,
  CrossplaneClusters,
  DEFAULT_WRITABLE_KINDS,
  deleteTreeRoot,
  readDeletionImpact,
  resolveWriteTarget,
  summarizeDeletionImpact,
  WritableKinds,
} from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { watchObject } from '../lib/watchObject';
import { examples } from './delete.examples';
import { DEFAULT_TIMEOUT_SECONDS, objectInputs } from './inputs';

/**
 * `crossplane:delete`: deletes a claim or XR as the portal's delete does
 * (the same guards: only the root of a tree, never an object Git
 * delivers; the same background propagation, Crossplane's default), logs
 * the impact first, and waits until the object is gone.
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
      'Deletes a Crossplane claim or composite resource, after logging what goes with it, and waits until it is gone. Objects delivered through Git are refused.',
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
      const key = `crossplane-delete-${client.name}-${input.kind}-${
        target.id.namespace ?? ''
      }-${input.name}`;
      const object = await client.get(locator);
      if (!object) {
        // Gone already: deleted by an earlier run of this task, or never there.
        const deleted = await ctx.checkpoint({ key, fn: async () => false });
        ctx.logger.info(deleted ? `${what} is gone` : `${what} did not exist`);
        ctx.output('deleted', deleted);
        return;
      }
      assertDeletionRoot(target, object);
      assertNotGitOps(target, object);
      // A task carries no user cluster token: a cluster that writes with
      // the signed-in user's own refuses here (401, naming the header).
      const writer = await clientForWrites(client);
      const impact = await readDeletionImpact(client, target, object);
      summarizeDeletionImpact(impact).forEach(line => ctx.logger.info(line));
      if (ctx.isDryRun) {
        // The API server admits the deletion; nothing is deleted.
        await deleteTreeRoot(writer, locator, { dryRun: true });
        ctx.logger.info(`Dry run: would delete ${what}`);
        ctx.output('deleted', true);
        return;
      }

      const deleted = await ctx.checkpoint({
        key,
        fn: async () => deleteTreeRoot(writer, locator),
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
            current => {
              last = current;
              if (!current) {
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
