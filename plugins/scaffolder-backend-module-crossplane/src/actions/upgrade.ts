import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CrossplaneObjectId,
  CrossplaneUpgradeStep,
  describeObjectId,
  locatorOfId,
  objectIdKey,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  MAX_UPGRADE_OBJECTS,
  readLatestRevisions,
  resolveLifecycleTarget,
  runInSequence,
  upgradeToLatestRevision,
} from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { FIELD_MANAGER } from '../lib/fieldManager';
import { examples } from './upgrade.examples';

/** Seconds each object may take to be Ready and Synced on its new revision. */
const DEFAULT_WAIT_SECONDS = 60;
/** The most the template may ask for, as the portal's upgrade allows. */
const MAX_WAIT_SECONDS = 300;

/**
 * `crossplane:upgrade`: moves claims and XRs whose composition update
 * policy is Manual to their Composition's newest revision, one by one, as
 * the portal's upgrade does (the same shared sequence and checks): a
 * refused object is skipped, the first that turns unhealthy stops the run.
 *
 * @public
 */
export function createCrossplaneUpgradeAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
}) {
  const { clusters, permissions, auditor } = options;
  return createTemplateAction({
    id: 'crossplane:upgrade',
    description:
      "Moves Crossplane claims and composite resources with a Manual update policy to their Composition's newest revision, one by one, stopping at the first that turns unhealthy.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        objects: z =>
          z
            .array(
              z.object({
                cluster: z.string().min(1),
                apiVersion: z.string().min(1),
                kind: z.string().min(1),
                namespace: z.string().optional(),
                name: z.string().min(1),
              }),
            )
            .min(1)
            .max(MAX_UPGRADE_OBJECTS)
            .describe('The claims and XRs to upgrade, in order'),
        dryRun: z =>
          z
            .boolean()
            .default(false)
            .describe('Only have the cluster check each change'),
        waitSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(MAX_WAIT_SECONDS)
            .default(DEFAULT_WAIT_SECONDS)
            .describe(
              'How long each object may take to be Ready and Synced again',
            ),
      },
      output: {
        steps: z =>
          z
            .array(
              z.object({
                object: z.object({
                  cluster: z.string(),
                  apiVersion: z.string(),
                  kind: z.string(),
                  namespace: z.string().optional(),
                  name: z.string(),
                }),
                from: z.string().optional(),
                to: z.string().optional(),
                outcome: z.enum([
                  'upgraded',
                  'unhealthy',
                  'refused',
                  'failed',
                  'not-run',
                ]),
                message: z.string().optional(),
              }),
            )
            .describe('What became of each object, in order'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // Checked here too: the input is what the template's author wrote.
      if (!Array.isArray(input.objects) || input.objects.length === 0) {
        throw new InputError('objects: must name at least one object');
      }
      if (input.objects.length > MAX_UPGRADE_OBJECTS) {
        throw new InputError(
          `objects: must name at most ${MAX_UPGRADE_OBJECTS} objects`,
        );
      }
      const ids = input.objects.map((object, i) =>
        parseObjectId(object, {
          cluster: `objects[${i}].cluster`,
          apiVersion: `objects[${i}].apiVersion`,
          kind: `objects[${i}].kind`,
          namespace: `objects[${i}].namespace`,
          name: `objects[${i}].name`,
        }),
      );
      const dryRun = (input.dryRun ?? false) || (ctx.isDryRun ?? false);
      const waitMs = (input.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
      const credentials = await ctx.getInitiatorCredentials();

      const upgradeOne = async (
        id: CrossplaneObjectId,
      ): Promise<CrossplaneUpgradeStep> => {
        const step = (
          outcome: CrossplaneUpgradeStep['outcome'],
          fields: Partial<CrossplaneUpgradeStep> = {},
        ): CrossplaneUpgradeStep => ({
          object: locatorOfId(id),
          outcome,
          ...fields,
        });
        const event = await auditor?.createEvent({
          eventId: 'upgrade',
          severityLevel: 'medium',
          meta: {
            action: 'upgrade',
            object: describeObjectId(id),
            objectKey: objectIdKey(id),
            actor: ctx.user?.ref ?? '',
            dryRun,
            task: ctx.task?.id ?? '',
          },
        });
        try {
          // Asked before the lookup: a hidden object and a missing one alike.
          try {
            await authorize(permissions, credentials, 'upgrade', id);
          } catch (error) {
            if (!(error instanceof NotAllowedError)) throw error;
            await event?.fail({ error });
            return step('refused', { message: error.message });
          }
          const client = clusters.get(id.cluster);
          const target = await resolveLifecycleTarget(client, locatorOfId(id));
          if (target.role === 'managed') {
            const message = `${describeObjectId(
              target.id,
            )} is not a claim or composite resource`;
            await event?.fail({ error: new NotAllowedError(message) });
            return step('refused', { message });
          }
          const result = await upgradeToLatestRevision({
            // A task carries no user cluster token: a cluster that writes with
            // the signed-in user's own refuses here (401, naming the header).
            client: await clientForWrites(client),
            object: target.object,
            latest: await readLatestRevisions(client),
            fieldManager: FIELD_MANAGER,
            dryRun,
            waitMs,
          });
          const { outcome, from, to, message } = result;
          if (outcome === 'refused') {
            await event?.fail({
              error: new NotAllowedError(message ?? outcome),
            });
          } else if (outcome === 'unhealthy') {
            await event?.fail({
              error: new Error(message ?? outcome),
              meta: { from, to },
            });
          } else {
            await event?.success({
              meta: from ? { from, to } : { changed: false },
            });
          }
          return step(outcome, {
            ...(from ? { from, to } : {}),
            ...(message ? { message } : {}),
          });
        } catch (error) {
          await event?.fail({ error: error as Error });
          return step('failed', { message: (error as Error).message });
        }
      };

      const log = (s: CrossplaneUpgradeStep) => {
        const line = `${s.object.kind} ${s.object.namespace ?? ''}/${
          s.object.name
        }: ${s.outcome}${s.from ? ` ${s.from} -> ${s.to}` : ''}${
          s.message ? ` (${s.message})` : ''
        }`;
        if (s.outcome === 'upgraded') ctx.logger.info(line);
        else ctx.logger.warn(line);
        return s;
      };
      const steps = await runInSequence(
        ids,
        async id => log(await upgradeOne(id)),
        id => log({ object: locatorOfId(id), outcome: 'not-run' }),
      );
      ctx.output('steps', steps);
      // Refused, unhealthy or failed objects fail the step: the run's user
      // sees it, and the steps output says which.
      const problem = steps.find(s => s.outcome !== 'upgraded');
      if (problem) {
        const left = steps.filter(s => s.outcome !== 'upgraded').length;
        throw new Error(
          `${left} of ${steps.length} object(s) not upgraded; ${
            problem.object.kind
          } ${problem.object.namespace ?? ''}/${problem.object.name}: ${
            problem.outcome
          }${problem.message ? ` (${problem.message})` : ''}`,
        );
      }
    },
  });
}
