import { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  computeHealth,
  getConditions,
  getCompositeRef,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import {
  CrossplaneClusters,
  resolveServedObject,
} from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { describeConditions } from '../lib/describeConditions';
import { watchComposedResources } from '../lib/watchComposedResources';
import { watchObject } from '../lib/watchObject';
import {
  DEFAULT_CONDITIONS,
  DEFAULT_TIMEOUT_SECONDS,
  objectInputs,
} from './inputs';
import { examples } from './wait.examples';

/**
 * `crossplane:wait`: waits, by watching, until an object's conditions are
 * True; logs every change of its conditions, and of the Ready condition of
 * each resource it composes, and fails with the reason and message of the
 * condition that is not.
 *
 * @public
 */
export function createCrossplaneWaitAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
}) {
  const { clusters, permissions } = options;
  return createTemplateAction({
    id: 'crossplane:wait',
    description:
      'Waits until a Crossplane claim or composite has the given conditions True (default Ready and Synced), watching the cluster.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...objectInputs,
        conditions: z =>
          z
            .array(z.string().min(1))
            .min(1)
            .default(DEFAULT_CONDITIONS)
            .describe('Conditions that must be True'),
      },
      output: {
        conditions: z => z.array(z.record(z.string(), z.unknown())),
        composite: z =>
          z
            .string()
            .optional()
            .describe('Name of the composite bound to the claim'),
      },
    },
    async handler(ctx) {
      const input = {
        ...ctx.input,
        conditions: ctx.input.conditions ?? DEFAULT_CONDITIONS,
        timeoutSeconds: ctx.input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      };
      const client = clusters.get(input.cluster);
      const { id, warnings } = await resolveServedObject(client, input);
      warnings.forEach(warning => ctx.logger.warn(warning));
      // Waiting reports the object's conditions: it is a read.
      await authorize(
        permissions,
        await ctx.getInitiatorCredentials(),
        'read',
        id,
      );
      const locator = {
        apiVersion: input.apiVersion,
        kind: id.kind,
        namespace: id.namespace,
        name: id.name,
      };
      const what = `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${
        id.name
      }`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would wait for ${input.conditions.join(', ')} of ${what}`,
        );
        return;
      }

      let last: KubernetesObject | undefined;
      let lastReport = '';
      let handle: { stop(): void } | undefined;
      const composed = watchComposedResources(
        client,
        line => ctx.logger.info(line),
        error =>
          ctx.logger.warn(
            `Watching the composed resources of ${what}: ${error.message}`,
          ),
      );
      const result = await new Promise<KubernetesObject>((resolve, reject) => {
        let finished = false;
        const stopWatching = () => {
          finished = true;
          handle?.stop();
          composed.stop();
        };
        const timer = setTimeout(() => {
          stopWatching();
          reject(
            timeoutError(what, input.conditions, last, input.timeoutSeconds),
          );
        }, input.timeoutSeconds * 1000);
        const finish = (fn: () => void) => {
          clearTimeout(timer);
          stopWatching();
          fn();
        };
        watchObject(
          client,
          locator,
          object => {
            if (finished) return;
            last = object;
            if (!object) {
              ctx.logger.info(`${what} does not exist (yet)`);
              return;
            }
            const conditions = getConditions(object);
            const report = describeConditions(conditions);
            if (report !== lastReport) {
              lastReport = report;
              ctx.logger.info(`${what}: ${report || 'no conditions yet'}`);
            }
            const done = input.conditions.every(type =>
              conditions.some(c => c.type === type && c.status === 'True'),
            );
            if (done) finish(() => resolve(object));
            else composed.observe(object);
          },
          error =>
            ctx.logger.warn(
              `Watching ${what} was interrupted, resuming: ${error.message}`,
            ),
        ).then(
          h => {
            handle = h;
            // Done on the first read: the watch started after finish().
            if (finished) h.stop();
          },
          error => finish(() => reject(error)),
        );
      });

      ctx.logger.info(`${what} is ${input.conditions.join(' and ')}`);
      ctx.output(
        'conditions',
        getConditions(result) as unknown as Record<string, unknown>[],
      );
      const composite = getCompositeRef(result);
      if (composite) ctx.output('composite', composite.name);
    },
  });
}

function timeoutError(
  what: string,
  wanted: string[],
  object: KubernetesObject | undefined,
  seconds: number,
): Error {
  if (!object) {
    return new Error(`${what} did not appear within ${seconds}s`);
  }
  const conditions = getConditions(object);
  const failing = wanted
    .map(
      type =>
        conditions.find(c => c.type === type) ?? {
          type,
          status: 'Unknown' as const,
        },
    )
    .filter(c => c.status !== 'True');
  const health = computeHealth(object);
  const detail = failing
    .map(
      c =>
        `${c.type}=${c.status}${c.reason ? `, reason ${c.reason}` : ''}${
          c.message ? `: ${c.message}` : ''
        }`,
    )
    .join('; ');
  return new Error(
    `${what} was not ${wanted.join(' and ')} within ${seconds}s: ${detail}${
      health.message && !detail.includes(health.message)
        ? ` (${health.message})`
        : ''
    }`,
  );
}
