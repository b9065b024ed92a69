import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  describeObjectId,
  NamespacePolicy,
  objectIdKey,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  editObject,
  resolveEditTarget,
} from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { FIELD_MANAGER } from '../lib/fieldManager';
import { examples } from './edit.examples';
import { objectInputs } from './inputs';

/**
 * `crossplane:edit`: edits the spec of a claim or XR from its XRD form's
 * values, as the portal's edit does (the same shared `editObject`: the
 * diff and the API server's dry run first; fields of other managers only
 * when listed in `takeOver`; never an object Git delivers).
 *
 * @public
 */
export function createCrossplaneEditAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
  namespaces?: NamespacePolicy;
}) {
  const { clusters, permissions, auditor, namespaces } = options;
  return createTemplateAction({
    id: 'crossplane:edit',
    description:
      'Edits the spec of a Crossplane claim or composite resource from its form values, after logging the diff and the cluster dry run. Objects delivered through Git are refused.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: objectInputs.cluster,
        apiVersion: objectInputs.apiVersion,
        kind: objectInputs.kind,
        name: objectInputs.name,
        namespace: objectInputs.namespace,
        values: z =>
          z
            .record(z.unknown())
            .describe(
              "The XRD form's values, keyed as the portal's edit form keys them",
            ),
        dryRun: z =>
          z
            .boolean()
            .default(false)
            .describe('Only show the diff and the cluster dry run'),
        takeOver: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Fields owned by other field managers that the edit takes over, e.g. spec.parameters.storage.sizeGB',
            ),
      },
      output: {
        changed: z =>
          z.boolean().describe('Whether the values change the spec'),
        applied: z => z.boolean().describe('Whether the edit was written'),
        diff: z => z.string().describe('Unified diff of the spec (redacted)'),
        conflicts: z =>
          z
            .array(z.object({ field: z.string(), manager: z.string() }))
            .describe('Fields other field managers own'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // Checked here too: the input is what the template's author wrote.
      const id = parseObjectId(input);
      if (!input.values || typeof input.values !== 'object') {
        throw new InputError('values: must be an object of form values');
      }
      const dryRun = (input.dryRun ?? false) || (ctx.isDryRun ?? false);
      const event = await auditor?.createEvent({
        eventId: 'edit',
        severityLevel: dryRun ? 'low' : 'medium',
        meta: {
          action: 'edit',
          object: describeObjectId(id),
          objectKey: objectIdKey(id),
          actor: ctx.user?.ref ?? '',
          dryRun,
          task: ctx.task?.id ?? '',
          ...(input.takeOver?.length ? { takeOver: input.takeOver } : {}),
        },
      });
      try {
        // Asked before the lookup: a hidden object and a missing one alike.
        await authorize(
          permissions,
          await ctx.getInitiatorCredentials(),
          'update',
          id,
        );
        const client = clusters.get(id.cluster);
        const target = await resolveEditTarget(client, input, { namespaces });
        const result = await editObject({
          // A task carries no user cluster token: a cluster that writes with
          // the signed-in user's own refuses here (401, naming the header).
          client: await clientForWrites(client),
          target,
          values: input.values,
          fieldManager: FIELD_MANAGER,
          dryRun,
          takeOver: input.takeOver,
          namespaces,
        });
        const what = describeObjectId(target.id);
        ctx.logger.info(
          result.changed ? result.diff : `${what}: the values change nothing`,
        );
        ctx.logger.info(
          result.validation.ok
            ? `The cluster's dry run accepts the edit of ${what}`
            : `The cluster's dry run refuses the edit of ${what}: ${result.validation.message}`,
        );
        for (const conflict of result.conflicts) {
          ctx.logger.warn(
            `${conflict.field} is owned by ${conflict.manager}${
              input.takeOver?.includes(conflict.field) ? ': taken over' : ''
            }`,
          );
        }
        if (result.gitOps) {
          ctx.logger.warn(
            `${what} is delivered through Git by ${result.gitOps.description}: only a dry run is possible`,
          );
        }
        ctx.logger.info(
          result.applied
            ? `Edited ${what}`
            : `${dryRun ? 'Dry run: ' : ''}${what} is unchanged`,
        );
        ctx.output('changed', result.changed);
        ctx.output('applied', result.applied);
        ctx.output('diff', result.diff);
        ctx.output('conflicts', result.conflicts);
        await event?.success({
          meta: {
            changed: result.changed,
            applied: result.applied,
            conflicts: result.conflicts.map(c => `${c.field} (${c.manager})`),
          },
        });
      } catch (error) {
        await event?.fail({ error: error as Error });
        throw error;
      }
    },
  });
}
