import { PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  checkManifestControlFields,
  DEFAULT_NAMESPACE_POLICY,
  describeObjectId,
  formatValidationIssues,
  gitOpsSourceOf,
  validateManifest,
  isCrossplaneModelError,
  NamespacePolicy,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  DEFAULT_WRITABLE_KINDS,
  resolveWriteTarget,
  WritableKinds,
} from '@platformops/plugin-crossplane-node';
import { authorize } from '../lib/authorize';
import { FIELD_MANAGER } from '../lib/fieldManager';
import { examples } from './apply.examples';

const MANIFEST_FIELDS = {
  apiVersion: 'manifest.apiVersion',
  kind: 'manifest.kind',
  namespace: 'manifest.metadata.namespace',
  name: 'manifest.metadata.name',
};

/**
 * `crossplane:apply`: server-side apply of a manifest to a named cluster.
 *
 * @public
 */
export function createCrossplaneApplyAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  writable?: WritableKinds;
  namespaces?: NamespacePolicy;
}) {
  const { clusters, permissions } = options;
  const writable = options.writable ?? DEFAULT_WRITABLE_KINDS;
  const namespaces = options.namespaces ?? DEFAULT_NAMESPACE_POLICY;
  return createTemplateAction({
    id: 'crossplane:apply',
    description:
      'Server-side applies a Crossplane claim or composite resource to a cluster, as the field manager "platformops".',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .min(1)
            .describe(
              'Name of the cluster, as in kubernetes.clusterLocatorMethods',
            ),
        manifest: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'The object to apply, e.g. the output of crossplane:render',
            ),
        force: z =>
          z
            .boolean()
            .default(false)
            .describe('Take over fields that another field manager owns'),
      },
      output: {
        apiVersion: z => z.string(),
        kind: z => z.string(),
        name: z => z.string(),
        namespace: z => z.string().optional(),
        uid: z => z.string().optional(),
        resourceVersion: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const input = checkManifest(ctx.input.manifest);
      const client = clusters.get(ctx.input.cluster);
      // What the object is comes from the cluster: only kinds its XRDs
      // offer (or configuration allows), in its own scope.
      const target = await resolveWriteTarget(
        client,
        {
          apiVersion: input.apiVersion,
          kind: input.kind,
          namespace: input.metadata.namespace,
          name: input.metadata.name,
        },
        { writable, namespaces, fields: MANIFEST_FIELDS },
      );
      target.warnings.forEach(warning => ctx.logger.warn(warning));
      const manifest: KubernetesObject = {
        ...input,
        metadata: { ...input.metadata, namespace: target.id.namespace },
      };
      if (!target.id.namespace) delete manifest.metadata.namespace;
      // No role sets Crossplane's or Kubernetes' control fields from input
      // (an external name would adopt someone else's resource, a claimRef
      // someone else's claim); claims and composites are also checked
      // against their XRD's schema.
      const isComposite = target.role === 'xr' || target.role === 'composite';
      try {
        checkManifestControlFields(manifest, {
          namespacePolicy: namespaces,
          xrd: target.xrd,
          target: isComposite ? 'composite' : 'claim',
          machinery: target.role === 'claim' || isComposite,
        });
      } catch (error) {
        if (!isCrossplaneModelError(error)) throw error;
        throw new InputError(
          error.field ? `manifest.${error.message}` : error.message,
        );
      }
      // What the API server would refuse is said here, naming the field,
      // not by the server's less telling answer.
      const issues = target.xrd
        ? validateManifest(manifest, target.xrd, {
            version: target.id.version,
          })
        : [];
      if (issues.length > 0) {
        throw new InputError(
          `manifest is not valid for ${
            target.xrd!.name
          }:\n${formatValidationIssues(
            issues.map(issue => ({
              ...issue,
              path: issue.path ? `manifest.${issue.path}` : 'manifest',
            })),
          )}`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      await authorize(permissions, credentials, 'create', target.id);

      const namespace = target.id.namespace;
      const what = describeObjectId(target.id);
      const applied = await ctx.checkpoint({
        key: `crossplane-apply-${client.name}-${manifest.kind}-${
          namespace ?? ''
        }-${manifest.metadata.name}-${ctx.isDryRun ? 'dry' : 'live'}`,
        fn: async () => {
          // Applied over an object that exists, the manifest changes it in
          // place: that is an edit, with the edit's permission and its
          // respect for Git as the source of truth.
          const existing = await client.get({
            apiVersion: manifest.apiVersion,
            kind: manifest.kind,
            namespace,
            name: manifest.metadata.name,
          });
          if (existing) {
            await authorize(permissions, credentials, 'update', target.id);
            const gitOps = gitOpsSourceOf(existing);
            if (gitOps) {
              throw new ConflictError(
                `${what} exists and is delivered by ${gitOps.description}: change it in Git`,
              );
            }
          }
          try {
            // A task carries no user cluster token: a cluster that writes with
            // the signed-in user's own refuses here (401, naming the header).
            const writer = await clientForWrites(client);
            const result = await writer.apply(manifest, {
              fieldManager: FIELD_MANAGER,
              dryRun: ctx.isDryRun,
              force: ctx.input.force,
            });
            return {
              uid: result.metadata.uid ?? '',
              resourceVersion: result.metadata.resourceVersion ?? '',
            };
          } catch (error) {
            if (error instanceof ConflictError) {
              throw new ConflictError(
                `${what}: fields are owned by another manager; set force: true to take them over. ${error.message}`,
              );
            }
            throw error;
          }
        },
      });

      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry-run applied' : 'Applied'} ${what}`,
      );
      ctx.output('apiVersion', manifest.apiVersion);
      ctx.output('kind', manifest.kind);
      ctx.output('name', manifest.metadata.name);
      if (namespace) ctx.output('namespace', namespace);
      if (applied.uid) ctx.output('uid', applied.uid);
      if (applied.resourceVersion)
        ctx.output('resourceVersion', applied.resourceVersion);
    },
  });
}

function checkManifest(value: Record<string, unknown>): KubernetesObject {
  const { apiVersion, kind, metadata } = value as Partial<KubernetesObject>;
  if (typeof apiVersion !== 'string' || !apiVersion) {
    throw new InputError('manifest.apiVersion: is required');
  }
  if (typeof kind !== 'string' || !kind) {
    throw new InputError('manifest.kind: is required');
  }
  if (!metadata || typeof metadata.name !== 'string' || !metadata.name) {
    throw new InputError('manifest.metadata.name: is required');
  }
  return value as unknown as KubernetesObject;
}
