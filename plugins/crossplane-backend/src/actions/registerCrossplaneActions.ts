import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CrossplaneObjectId,
  crossplaneReadPermission,
  crossplaneViewEventsPermission,
  crossplaneViewYamlPermission,
  HEALTH_STATUSES,
} from '@platformops/plugin-crossplane-common';
import { ObjectAuthorizer } from '../service/ObjectAuthorizer';
import { StatusService } from '../service/StatusService';
import { LifecycleService } from '../service/lifecycle/LifecycleService';
import { DeleteService } from '../service/lifecycle/DeleteService';
import { EditService } from '../service/lifecycle/EditService';
import { CreateService } from '../service/lifecycle/CreateService';
import { UpgradeService } from '../service/lifecycle/UpgradeService';
import { TimelineService } from '../service/audit/TimelineService';
import {
  MAX_DELETION_PROGRESS_OBJECTS,
  MAX_UPGRADE_OBJECTS,
} from '../service/router';
import {
  clustersInput,
  dryRunInput,
  idOf,
  objectInput,
  requireClustersRead,
} from './actionInputs';
import { registerCreateActions } from './createActions';

/** Most resources one listing returns to an agent. */
const MAX_LISTED = 200;

/** The JSON answer of a service, as an action's output. */
const asOutput = (value: unknown) => value as Record<string, unknown>;

/**
 * Registers PlatformOps' operations with Backstage's actions registry, so
 * that agents (through the MCP actions backend) and other plugins use them
 * with the same permissions, checks and audit as the portal's routes: each
 * action calls the service method its route calls.
 */
export function registerCrossplaneActions(options: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  authorizer: ObjectAuthorizer;
  status: StatusService;
  lifecycle: LifecycleService;
  deletion: DeleteService;
  upgrades: UpgradeService;
  timeline: TimelineService;
  edits: EditService;
  creates: CreateService;
}) {
  const { actionsRegistry, permissions, authorizer, status } = options;
  const { lifecycle, deletion, upgrades, timeline, edits } = options;

  /**
   * An action that reads one object. With `permission`, it is asked on the
   * object first, as the route asks it; without, the service asks its own.
   */
  function registerObjectRead(read: {
    name: string;
    title: string;
    description: string;
    permission?: ResourcePermission;
    run: (
      id: CrossplaneObjectId,
      credentials: BackstageCredentials,
    ) => Promise<unknown>;
  }) {
    actionsRegistry.register({
      name: read.name,
      title: read.title,
      description: read.description,
      attributes: { readOnly: true, idempotent: true },
      schema: {
        input: z => z.object(objectInput(z)),
        output: z => z.object({ result: z.unknown() }),
      },
      action: async ({ input, credentials }) => {
        const id = idOf(input);
        if (read.permission) {
          await authorizer.authorize(credentials, read.permission, id);
        }
        return { output: { result: await read.run(id, credentials) } };
      },
    });
  }

  actionsRegistry.register({
    name: 'list-crossplane-resources',
    title: 'List Crossplane resources',
    description:
      "Lists the Crossplane claims and composite resources the caller may read, worst health first, with each one's health, rolled-up health and the object responsible for it (the root cause). Filters narrow the list.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          cluster: clustersInput(z),
          namespace: z
            .array(z.string())
            .optional()
            .describe('Only these namespaces'),
          owner: z
            .array(z.string())
            .optional()
            .describe(
              'Only these owners (entity refs, e.g. group:default/team-a)',
            ),
          health: z
            .array(z.enum(HEALTH_STATUSES))
            .optional()
            .describe('Only resources of these health statuses'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(MAX_LISTED)
            .optional()
            .describe(`How many to return (default 50, at most ${MAX_LISTED})`),
        }),
      output: z =>
        z.object({
          total: z.number().describe('How many resources match the filters'),
          totals: z.record(z.number()).describe('Counts per health status'),
          items: z.array(z.record(z.unknown())),
        }),
    },
    action: async ({ input, credentials }) => {
      await requireClustersRead(permissions, credentials);
      const visible = await authorizer.visibility(
        credentials,
        crossplaneReadPermission,
      );
      const { limit, ...filters } = input;
      const summary = status.summary(filters, visible, {
        offset: 0,
        limit: limit ?? 50,
      });
      return {
        output: {
          total: summary.page.total,
          totals: summary.totals as Record<string, number>,
          items: summary.resources.map(asOutput),
        },
      };
    },
  });

  registerObjectRead({
    name: 'get-crossplane-resource-tree',
    title: 'Get the resource tree of a Crossplane resource',
    description:
      "The tree of a claim or composite resource down to its managed resources, each node with its health, conditions and whether it is the cause of the root's health.",
    permission: crossplaneReadPermission,
    run: async id => status.tree(id),
  });

  registerObjectRead({
    name: 'get-crossplane-resource-events',
    title: 'Get the Kubernetes events of a Crossplane resource',
    description:
      'Kubernetes events of a Crossplane object and of every object of its tree, newest first.',
    permission: crossplaneViewEventsPermission,
    run: id => status.events(id, true),
  });

  registerObjectRead({
    name: 'get-crossplane-resource-yaml',
    title: 'Get the YAML of a Crossplane resource',
    description:
      'The live object as YAML, with sensitive annotations, labels and secret-looking values redacted.',
    permission: crossplaneViewYamlPermission,
    run: id => status.yaml(id),
  });

  registerObjectRead({
    name: 'get-crossplane-resource-timeline',
    title: 'Get the history of a Crossplane resource',
    description:
      'What was done to a Crossplane object through the portal (who, what, outcome), its Kubernetes events and who last wrote its fields, newest first.',
    // As the route: the timeline is the object's events and more.
    permission: crossplaneViewEventsPermission,
    run: id => timeline.timeline(id),
  });

  registerObjectRead({
    name: 'preview-crossplane-deletion',
    title: 'Preview what deleting a Crossplane resource does',
    description:
      'Before a delete: the composed resources that go, for each managed resource whether its external resource is deleted or kept (deletion and management policies), the Usages that block it, the connection Secrets that disappear (names only), the catalog entities that depend on it, and whether Git delivers it (then it is not deleted from here). While a deletion runs: what still holds it.',
    run: (id, credentials) => deletion.impact(id, credentials),
  });

  registerObjectRead({
    name: 'get-crossplane-edit-form',
    title: 'Get the edit form of a Crossplane resource',
    description:
      "The form of a claim or composite resource's XRD (JSON Schema steps), with the live values of the fields it owns, who last wrote which fields, and whether Git delivers the object (then changes go through its repository). Pass the values, changed, to edit-crossplane-resource.",
    run: (id, credentials) => edits.form(id, credentials),
  });

  actionsRegistry.register({
    name: 'edit-crossplane-resource',
    title: 'Change a Crossplane claim or composite resource',
    description:
      "Changes the fields the XRD's form owns, from the form's values (see get-crossplane-edit-form), with the same checks as a create. Answers the diff, the API server's validation and the fields another manager owns (never taken over). With dryRun (recommended first) nothing changes. Objects delivered through Git are never changed here: for one PlatformOps delivers, a pull request changing its file is opened instead (result.pullRequest); others are refused.",
    // Values a change drops or lowers are gone from the resource.
    attributes: { destructive: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          ...objectInput(z),
          values: z
            .record(z.unknown())
            .describe(
              "The form's values, keyed as get-crossplane-edit-form keys them",
            ),
          dryRun: dryRunInput(z, 'change'),
          takeOver: z
            .array(z.string())
            .optional()
            .describe(
              'Fields a dry run reported as conflicts that the change takes from their managers; ask the user first',
            ),
        }),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        result: await edits.edit(idOf(input), input.values, credentials, {
          dryRun: input.dryRun,
          takeOver: input.takeOver,
        }),
      },
    }),
  });

  const operations = [
    {
      operation: 'pause',
      title: 'Pause a Crossplane resource',
      description:
        'Stops Crossplane (and the provider) reconciling a claim, composite or managed resource: sets crossplane.io/paused.',
    },
    {
      operation: 'resume',
      title: 'Resume a paused Crossplane resource',
      description: 'Removes crossplane.io/paused so reconciling starts again.',
    },
    {
      operation: 'reconcile',
      title: 'Reconcile a Crossplane resource now',
      description:
        'Makes Crossplane and the provider reconcile the object and what it composes at once, then reports whether its Ready and Synced conditions changed.',
    },
  ] as const;
  for (const { operation, title, description } of operations) {
    actionsRegistry.register({
      name: `${operation}-crossplane-resource`,
      title,
      description: `${description} Answers the objects written and whether the target is paused now. With dryRun, the API server checks the change and nothing is written.`,
      attributes: { destructive: false, idempotent: operation !== 'reconcile' },
      schema: {
        input: z =>
          z.object({ ...objectInput(z), dryRun: dryRunInput(z, 'change') }),
        output: z => z.object({ result: z.unknown() }),
      },
      action: async ({ input, credentials }) => ({
        output: {
          result: await lifecycle.run(operation, idOf(input), credentials, {
            dryRun: input.dryRun,
          }),
        },
      }),
    });
  }

  actionsRegistry.register({
    name: 'delete-crossplane-resource',
    title: 'Delete a Crossplane claim or composite resource',
    description:
      'Deletes a claim or composite resource and what it composes, after preview-crossplane-deletion. `confirm` must repeat the name. Objects delivered through Git are not deleted here: for one PlatformOps delivers, a pull request removing its file is opened instead (result.pullRequest); others are refused: remove them from their repository. Answers what the deletion removes and keeps; Crossplane and the providers then finish it: preview-crossplane-deletion shows what still holds it while it is there, get-crossplane-deletion-progress what it took with it once it is gone. With dryRun, the API server checks the delete and nothing is deleted.',
    attributes: { destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          ...objectInput(z),
          confirm: z.string().describe("The object's name, typed again"),
          dryRun: dryRunInput(z, 'delete'),
        }),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        result: await deletion.delete(
          idOf(input),
          { confirm: input.confirm, dryRun: input.dryRun },
          credentials,
        ),
      },
    }),
  });

  actionsRegistry.register({
    name: 'get-crossplane-deletion-progress',
    title: 'Follow a Crossplane deletion after its root is gone',
    description:
      "Once a deleted claim or composite resource is gone (preview-crossplane-deletion then answers not found), how far the deletion of what it took with it is: pass the objects preview-crossplane-deletion listed under it. Answers each object gone, or still there with its finalizers, deletion timestamp and its external resource's fate, and what holds those still there; `deleting` is false once every object the caller may read is gone. An object the caller may not read is `hidden`: not followed, neither gone nor there.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          objects: z
            .array(z.object(objectInput(z)))
            .max(MAX_DELETION_PROGRESS_OBJECTS)
            .describe('The objects the deletion took with it'),
        }),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => {
      // Every object named exactly before any is read.
      const ids = input.objects.map(idOf);
      return {
        output: { result: await deletion.progress(ids, credentials) },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-crossplane-revision-upgrades',
    title: 'List Crossplane resources behind their Composition',
    description:
      'Claims and composite resources with a Manual composition update policy whose composition revision is older than the newest revision of their Composition, with their health.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          cluster: clustersInput(z),
        }),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => {
      await requireClustersRead(permissions, credentials);
      return {
        output: { result: await upgrades.lags(credentials, input.cluster) },
      };
    },
  });

  actionsRegistry.register({
    name: 'upgrade-crossplane-resources',
    title: 'Move Crossplane resources to the newest composition revision',
    description:
      'Moves each object, in order, to the newest revision of its Composition and waits until it is Ready and Synced on it; the first that turns unhealthy stops the run. Objects the caller may not upgrade, or that Git delivers, are refused and skipped. Answers, for each object, the revisions it moved from and to and its outcome (upgraded, unhealthy, refused, failed, not-run). With dryRun, the API server checks each change and nothing is written.',
    // A new revision may replace what the object composes.
    attributes: { destructive: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          objects: z
            .array(z.object(objectInput(z)))
            .min(1)
            .max(MAX_UPGRADE_OBJECTS),
          dryRun: dryRunInput(z, 'change'),
        }),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => {
      // Every object named exactly before any is upgraded.
      const ids = input.objects.map(idOf);
      return {
        output: {
          result: await upgrades.upgrade(ids, credentials, {
            dryRun: input.dryRun,
          }),
        },
      };
    },
  });

  registerCreateActions({
    actionsRegistry,
    permissions,
    creates: options.creates,
  });
}
