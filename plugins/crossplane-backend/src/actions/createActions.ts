import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CreateService } from '../service/lifecycle/CreateService';
import {
  clustersInput,
  dryRunInput,
  requireClustersRead,
  Zod,
} from './actionInputs';

/** The input of a create from an XRD's form. */
function createInput(z: Zod) {
  return {
    cluster: z.string().describe('Cluster name, as the portal lists it'),
    xrd: z
      .string()
      .describe(
        'Name of the XRD, e.g. xpostgresqlinstances.database.example.org (see list-crossplane-xrds)',
      ),
    values: z
      .record(z.unknown())
      .describe(
        "The form's values, as the XRD's valuesSchema describes them: name, namespace, optional owner (entity ref; default: the caller) and the spec fields",
      ),
  };
}

/**
 * The actions that create claims and XRs: the XRDs with their forms, the
 * preview of a create and the create itself, each calling CreateService
 * as the portal's routes do.
 */
export function registerCreateActions(options: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  creates: CreateService;
}) {
  const { actionsRegistry, permissions, creates } = options;

  actionsRegistry.register({
    name: 'list-crossplane-xrds',
    title: 'List what can be created: the XRDs and their forms',
    description:
      'The XRDs (CompositeResourceDefinitions) of the clusters, each with the kind a create makes (its claim where it offers one), its description, the steps of the form the portal generates from its schema (JSON Schema), and valuesSchema: the JSON Schema of the `values` that create-crossplane-resource and preview-crossplane-creation take. Whether the caller may create in a namespace is decided on the create.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          cluster: clustersInput(z),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              cluster: z.string(),
              xrd: z.string().describe('The XRD name, as a create takes it'),
              creates: z.object({
                apiVersion: z.string(),
                kind: z.string(),
                namespaced: z.boolean(),
              }),
              description: z.string().optional(),
              form: z.array(z.record(z.unknown())),
              valuesSchema: z.record(z.unknown()),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await requireClustersRead(permissions, credentials);
      return { output: { items: await creates.forms(input.cluster) } };
    },
  });

  actionsRegistry.register({
    name: 'preview-crossplane-creation',
    title: 'Preview a new Crossplane resource',
    description:
      "The exact manifest (YAML) a create from an XRD's form would apply, and the API server's dry run of it (validation.ok, or its message); nothing is created. The same as create-crossplane-resource with dryRun, except that an existing object of that name is not reported.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object(createInput(z)),
      output: z => z.object({ result: z.unknown() }),
    },
    action: async ({ input, credentials }) => ({
      output: { result: await creates.preview(input, credentials) },
    }),
  });

  actionsRegistry.register({
    name: 'create-crossplane-resource',
    title: 'Create a Crossplane claim or composite resource from its XRD',
    description:
      "Creates a claim (or a composite where the XRD offers no claim) from the XRD's form values (see list-crossplane-xrds), with the portal's checks: the XRD's schema, no Crossplane, Kubernetes or GitOps control fields, namespaces the platform allows and the caller may create in. A name that exists already is refused (change it with edit-crossplane-resource). Answers the object, its manifest (YAML) and the API server's verdict. With dryRun (recommended first) nothing is created: the API server only checks it. Crossplane then provisions it: follow it with get-crossplane-resource-tree.",
    attributes: { destructive: false, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({ ...createInput(z), dryRun: dryRunInput(z, 'create') }),
      output: z =>
        z.object({
          object: z.object({
            cluster: z.string(),
            apiVersion: z.string(),
            kind: z.string(),
            namespace: z.string().optional(),
            name: z.string(),
          }),
          dryRun: z.boolean(),
          created: z.boolean().describe('Whether the object now exists'),
          manifest: z.string().describe('The manifest, as YAML'),
          validation: z.object({
            ok: z.boolean(),
            message: z.string().optional(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const { dryRun, ...request } = input;
      return {
        output: await creates.create(request, credentials, { dryRun }),
      };
    },
  });
}
