import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_ENTITY_MAPPING,
  DEFAULT_NAMESPACE_POLICY,
  EntityMappingConfig,
  entityRefOf,
  formatValidationIssues,
  isCrossplaneModelError,
  NamespacePolicy,
  PlatformOpsMetadata,
  RenderManifestInput,
  renderManifest,
  templateFormDataToRenderInput,
  validateManifest,
} from '@platformops/plugin-crossplane-common';
import {
  CrossplaneClusters,
  checkCompositionChoice,
  findXrd,
} from '@platformops/plugin-crossplane-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  checkLayout,
  DEFAULT_MANIFEST_LAYOUT,
  manifestPath,
} from '../lib/manifestPath';
import { examples } from './render.examples';

/**
 * `crossplane:render`: renders a claim or composite from form values and
 * validates it against the XRD's schema, as read from the cluster. Input is
 * not trusted, forms can be bypassed: it may set no control field (see
 * `renderManifest`), the namespace must be one the namespace policy allows,
 * and an owner given as input must be a user or group in the catalog, as
 * the user running the template sees it.
 *
 * @public
 */
export function createCrossplaneRenderAction(options: {
  clusters: CrossplaneClusters;
  /**
   * Which objects the catalog ingests and how, for the `entityRef` output
   * (none for an object the catalog leaves out).
   */
  mapping?: EntityMappingConfig;
  /** Where the owner given as input is looked up; without it, it is not. */
  catalog?: CatalogService;
  /** Namespaces that may receive resources. Default: `DEFAULT_NAMESPACE_POLICY`. */
  namespacePolicy?: NamespacePolicy;
}) {
  const { clusters, catalog } = options;
  const namespacePolicy = options.namespacePolicy ?? DEFAULT_NAMESPACE_POLICY;
  const mapping = options.mapping ?? DEFAULT_ENTITY_MAPPING;
  return createTemplateAction({
    id: 'crossplane:render',
    description:
      'Renders a Crossplane claim or composite resource from form values and validates it against its XRD; optionally writes it into the workspace for GitOps.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z.string().min(1).describe('Cluster to read the XRD from'),
        xrd: z =>
          z
            .string()
            .optional()
            .describe('Name of the CompositeResourceDefinition'),
        apiVersion: z =>
          z
            .string()
            .optional()
            .describe('apiVersion of the claim or composite, instead of xrd'),
        kind: z =>
          z
            .string()
            .optional()
            .describe('kind of the claim or composite, instead of xrd'),
        version: z =>
          z
            .string()
            .optional()
            .describe('XRD version; default: the referenceable one'),
        target: z =>
          z
            .enum(['claim', 'composite'])
            .optional()
            .describe(
              'Claim or composite; default: a claim when the XRD offers one',
            ),
        name: z =>
          z
            .string()
            .optional()
            .describe('Name of the resource (or in parameters)'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Namespace of a claim or namespaced composite (or in parameters)',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'Owner entity ref; default: the user running the template',
            ),
        values: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe('The spec values'),
        parameters: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe('All values of a form generated from the XRD'),
        compositionRef: z =>
          z.string().optional().describe('Name of the Composition to use'),
        compositionSelector: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Labels that select the Composition'),
        labels: z => z.record(z.string(), z.string()).optional(),
        annotations: z => z.record(z.string(), z.string()).optional(),
        writeToWorkspace: z =>
          z
            .boolean()
            .default(false)
            .describe('Write the YAML into the workspace (GitOps)'),
        sourceRepo: z =>
          z
            .string()
            .optional()
            .describe(
              'With writeToWorkspace: the repository the pull request goes to, recorded on the object with its file so that its edits and deletion from the portal open pull requests there too',
            ),
        layout: z =>
          z
            .string()
            .default(DEFAULT_MANIFEST_LAYOUT)
            .describe(
              'Workspace path of the file; placeholders {cluster} {namespace} {kind} {name} {apiVersion}',
            ),
      },
      output: {
        manifest: z =>
          z.record(z.string(), z.unknown()).describe('The rendered object'),
        yaml: z => z.string(),
        filePath: z =>
          z
            .string()
            .optional()
            .describe('Workspace-relative path of the written file'),
        apiVersion: z => z.string(),
        kind: z => z.string(),
        name: z => z.string(),
        namespace: z => z.string().optional(),
        entityRef: z =>
          z
            .string()
            .describe(
              "Catalog entity the object becomes once the catalog ingests it; absent when the catalog's filters leave it out",
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      if (input.writeToWorkspace)
        checkLayout(input.layout ?? DEFAULT_MANIFEST_LAYOUT);
      const client = clusters.get(input.cluster);
      const xrd = await findXrd(client, input);

      // An owner from input is checked against the catalog; the default,
      // the user running the template, comes from their sign-in.
      const givenOwner = ownerInput(input.parameters?.owner ?? input.owner);
      let rendered;
      let compositionRef: string | undefined;
      let filePath: string | undefined;
      try {
        const common: Partial<RenderManifestInput> = {
          version: input.version,
          target: input.target,
          templateEntityRef: ctx.templateInfo?.entityRef,
          compositionRef: input.compositionRef,
          compositionSelector: input.compositionSelector,
          labels: input.labels,
          annotations: input.annotations,
          namespacePolicy,
        };
        const renderInput = input.parameters
          ? templateFormDataToRenderInput(
              xrd,
              input.parameters,
              dropUndefined({
                ...common,
                name: input.name,
                namespace: input.namespace,
              }),
            )
          : ({
              ...common,
              xrd,
              name: input.name ?? '',
              namespace: input.namespace,
              values: input.values ?? {},
            } as RenderManifestInput);
        renderInput.owner = (givenOwner ?? ctx.user?.ref) as string;
        compositionRef = renderInput.compositionRef;
        rendered = renderManifest(renderInput);
        if (input.writeToWorkspace && input.sourceRepo) {
          // The file's path follows from the object's identity, which the
          // source annotations do not change: render once more with them.
          filePath = manifestPath(
            input.layout ?? DEFAULT_MANIFEST_LAYOUT,
            rendered.manifest,
            client.name,
          );
          rendered = renderManifest({
            ...renderInput,
            source: {
              repoUrl: input.sourceRepo,
              path: filePath,
              cluster: client.name,
            },
          });
        }
      } catch (error) {
        if (isCrossplaneModelError(error)) throw new InputError(error.message);
        throw error;
      }

      const owner =
        rendered.manifest.metadata.annotations?.[
          PlatformOpsMetadata.ownerAnnotation
        ];
      if (givenOwner !== undefined && owner && catalog) {
        const entity = await catalog.getEntityByRef(owner, {
          credentials: await ctx.getInitiatorCredentials(),
        });
        if (!entity) {
          throw new InputError(
            `owner: ${JSON.stringify(owner)} is not an entity in the catalog`,
          );
        }
      }

      // A Composition chosen in the form must be one of the XRD's own.
      await checkCompositionChoice(
        client,
        xrd,
        compositionRef,
        input.parameters ? 'parameters.crossplane.compositionRef' : undefined,
      );
      const issues = validateManifest(rendered.manifest, xrd, {
        version: input.version,
      });
      if (issues.length > 0) {
        // The manifest is made from `values`: name the input, then the
        // manifest's fields as the XRD's schema names them.
        throw new InputError(
          `values: the ${rendered.manifest.kind} ${
            rendered.manifest.metadata.name
          } they render is not valid for ${xrd.name}:\n${formatValidationIssues(
            issues,
          )}`,
        );
      }
      ctx.logger.info(
        `Rendered ${rendered.manifest.kind} ${rendered.manifest.metadata.name}:\n${rendered.yaml}`,
      );

      if (input.writeToWorkspace) {
        filePath ??= manifestPath(
          input.layout ?? DEFAULT_MANIFEST_LAYOUT,
          rendered.manifest,
          client.name,
        );
        await writeIntoWorkspace(ctx.workspacePath, filePath, rendered.yaml);
        ctx.output('filePath', filePath);
      }
      const { manifest } = rendered;
      ctx.output('manifest', manifest);
      ctx.output('yaml', rendered.yaml);
      ctx.output('apiVersion', manifest.apiVersion);
      ctx.output('kind', manifest.kind);
      ctx.output('name', manifest.metadata.name);
      if (manifest.metadata.namespace)
        ctx.output('namespace', manifest.metadata.namespace);
      const isClaim = xrd.claimNames?.kind === manifest.kind;
      const entityRef = entityRefOf(
        manifest,
        isClaim ? 'claim' : 'composite',
        client.name,
        mapping,
      );
      if (entityRef) ctx.output('entityRef', entityRef);
    },
  });
}

/** The owner input; empty means none, the user running the template. */
function ownerInput(value: unknown): unknown {
  return value === undefined || value === null || value === ''
    ? undefined
    : value;
}

/**
 * Writes the manifest at a workspace-relative path. A failure names the
 * path in the workspace, never the server's directory.
 */
async function writeIntoWorkspace(
  workspacePath: string,
  filePath: string,
  content: string,
): Promise<void> {
  try {
    const absolute = resolveSafeChildPath(workspacePath, filePath);
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await fs.writeFile(absolute, content, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `layout: cannot write ${JSON.stringify(filePath)} in the workspace${
        code ? ` (${code}: another file or directory is in the way)` : ''
      }`,
    );
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
