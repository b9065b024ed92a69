import { InputError } from '@backstage/errors';
import {
  CrossplaneCreatePreview,
  DEFAULT_NAMESPACE_POLICY,
  formatValidationIssues,
  isCrossplaneModelError,
  KubernetesObject,
  NamespacePolicy,
  redactObject,
  renderManifest,
  templateFormDataToRenderInput,
  toYaml,
  validateManifest,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';
import { findXrd } from '../guard/findXrd';
import { checkCompositionChoice } from '../guard/compositions';
import { resolveWriteTarget, WriteTarget } from '../guard/writeTargets';

/**
 * A create as a generated template's review step shows it: the manifest
 * its `crossplane:render` step renders from the form's values (same code,
 * same checks), and the write target the cluster says it is, for the
 * permission to be asked on before the dry run.
 *
 * @internal
 */
export async function renderCreate(options: {
  client: ClusterClient;
  /** The XRD's name. */
  xrd: string;
  /** The whole form's values, as the template's `parameters`. */
  values: Record<string, unknown>;
  /** The owner when the form names none: the user creating it. */
  defaultOwner?: string;
  namespaces?: NamespacePolicy;
}): Promise<{ manifest: KubernetesObject; target: WriteTarget }> {
  const { client } = options;
  const namespacePolicy = options.namespaces ?? DEFAULT_NAMESPACE_POLICY;
  const xrd = await findXrd(client, { xrd: options.xrd });
  let manifest: KubernetesObject;
  let input;
  try {
    input = templateFormDataToRenderInput(xrd, options.values, {
      namespacePolicy,
    });
    if (input.owner === undefined || input.owner === '')
      input.owner = options.defaultOwner;
    manifest = renderManifest(input).manifest;
  } catch (error) {
    if (isCrossplaneModelError(error)) {
      throw new InputError(
        error.field ? `values.${error.message}` : `values: ${error.message}`,
      );
    }
    throw error;
  }
  await checkCompositionChoice(
    client,
    xrd,
    input.compositionRef,
    'values.crossplane.compositionRef',
  );
  const issues = validateManifest(manifest, xrd);
  if (issues.length > 0) {
    throw new InputError(
      `values: the ${manifest.kind} ${
        manifest.metadata.name
      } they render is not valid for ${xrd.name}:\n${formatValidationIssues(
        issues,
      )}`,
    );
  }
  const target = await resolveWriteTarget(
    client,
    {
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      namespace: manifest.metadata.namespace,
      name: manifest.metadata.name,
    },
    { namespaces: namespacePolicy },
  );
  return { manifest, target };
}

/**
 * The API server's dry run of creating a rendered manifest (server-side
 * apply as `fieldManager`, `dryRun=All`), and the manifest as YAML,
 * redacted like the YAML route.
 *
 * @internal
 */
export async function dryRunCreate(
  client: ClusterClient,
  manifest: KubernetesObject,
  fieldManager: string,
): Promise<CrossplaneCreatePreview> {
  const yaml = toYaml(redactObject(manifest));
  try {
    await client.apply(manifest, { fieldManager, dryRun: true, force: false });
    return { manifest: yaml, validation: { ok: true } };
  } catch (error) {
    if (
      error instanceof InputError ||
      (error as Error).name === 'ConflictError'
    ) {
      return {
        manifest: yaml,
        validation: { ok: false, message: (error as Error).message },
      };
    }
    throw error;
  }
}
