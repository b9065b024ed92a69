import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CrossplaneEditForm,
  CrossplaneEditResult,
  CrossplaneFieldConflict,
  CrossplaneObjectId,
  DEFAULT_NAMESPACE_POLICY,
  describeObjectId,
  fieldOwnersOf,
  formatValidationIssues,
  formOwnedManifest,
  formOwnedSpecFields,
  gitOpsSourceOf,
  isCrossplaneModelError,
  KubernetesObject,
  NamespacePolicy,
  ObjectIdInput,
  redactObject,
  renderSpecEdit,
  restoreRedacted,
  specFormSteps,
  specToFormValues,
  toYaml,
  unifiedDiff,
  validateManifest,
  Xrd,
  xrdFormTargetOf,
} from '@platformops/plugin-crossplane-common';
import { fieldConflictsOf } from '../client/fieldConflicts';
import { ClusterClient } from '../client/types';
import { resolveWriteTarget } from '../guard/writeTargets';

/**
 * A claim or XR to edit, as its cluster says it is: its exact identity,
 * the XRD that defines it, and the live object (with its managed fields).
 *
 * @public
 */
export interface EditTarget {
  id: CrossplaneObjectId;
  xrd: Xrd;
  object: KubernetesObject;
}

/**
 * Resolves the object of an edit from the cluster, never from the input:
 * a claim or XR kind one of the cluster's XRDs offers, in a namespace the
 * policy lets the portal write, that exists. Throws `InputError` naming
 * the field, `NotAllowedError` for a refused namespace, or `NotFoundError`.
 *
 * @public
 */
export async function resolveEditTarget(
  client: ClusterClient,
  input: Omit<ObjectIdInput, 'cluster'>,
  options: { namespaces?: NamespacePolicy } = {},
): Promise<EditTarget> {
  const target = await resolveWriteTarget(client, input, {
    namespaces: options.namespaces,
  });
  if (!target.xrd || (target.role !== 'claim' && target.role !== 'xr')) {
    throw new InputError(
      `kind: ${target.id.kind} is not a claim or composite resource that the portal edits`,
    );
  }
  const object = await client.get({
    apiVersion: input.apiVersion as string,
    kind: target.id.kind,
    namespace: target.id.namespace,
    name: target.id.name,
  });
  if (!object) {
    throw new NotFoundError(`${describeObjectId(target.id)}: not found`);
  }
  return { id: target.id, xrd: target.xrd, object };
}

/** Field paths under the spec fields the form owns. */
function ownedPaths(xrd: Xrd, object: KubernetesObject): string[] {
  const at = xrdFormTargetOf(xrd, object);
  return formOwnedSpecFields(
    xrd,
    at,
    (object.spec ?? {}) as Record<string, unknown>,
  ).map(field => `spec.${field}`);
}

/**
 * The edit form of a claim or XR: its XRD's spec steps, prefilled with the
 * live values of the fields the form owns, who owns those fields, and
 * whether Git delivers the object.
 *
 * @public
 */
export function editFormOf(target: EditTarget): CrossplaneEditForm {
  const { xrd, object, id } = target;
  const at = xrdFormTargetOf(xrd, object);
  const gitOps = gitOpsSourceOf(object);
  return {
    object: {
      cluster: id.cluster,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    },
    steps: specFormSteps(xrd, at),
    values: specToFormValues(
      xrd,
      at,
      // Values as the YAML route shows them: never a secret's.
      redactObject(object).spec as Record<string, unknown>,
    ),
    fieldOwners: fieldOwnersOf(object, { under: ownedPaths(xrd, object) }),
    ...(gitOps ? { gitOps } : {}),
  };
}

/** Keys in one order at every level, so that a diff shows values only. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map(k => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A manifest as an edit shows it: redacted like the YAML route, sorted. */
function shownYaml(manifest: KubernetesObject): string {
  return toYaml(sortKeys(redactObject(manifest)));
}

/**
 * Options of {@link editObject}.
 *
 * @public
 */
export interface EditObjectOptions {
  client: ClusterClient;
  target: EditTarget;
  /** The spec form's values, keyed as {@link editFormOf} keys them. */
  values: Record<string, unknown>;
  fieldManager: string;
  dryRun?: boolean;
  /** Conflicting fields the caller explicitly takes over. */
  takeOver?: string[];
  namespaces?: NamespacePolicy;
}

/**
 * The claim or XR an edit's values render: the fields its form owns, with
 * the code and checks of a create, values shown redacted restored to their
 * live ones, valid for its XRD's schema. Bad values throw `InputError`
 * naming the field. {@link editObject} applies it; a pull request proposes
 * it for an object Git delivers.
 *
 * @public
 */
export function renderEdit(
  target: EditTarget,
  values: Record<string, unknown>,
  options: { namespaces?: NamespacePolicy } = {},
): KubernetesObject {
  const { xrd, object } = target;
  let after: KubernetesObject;
  try {
    after = renderSpecEdit(xrd, object, values, {
      namespacePolicy: options.namespaces ?? DEFAULT_NAMESPACE_POLICY,
    });
  } catch (error) {
    if (isCrossplaneModelError(error)) {
      throw new InputError(
        error.field.startsWith('values')
          ? error.message
          : `values: ${error.message}`,
      );
    }
    throw error;
  }
  // The form was prefilled from the redacted object: what comes back as
  // shown keeps its live value.
  after.spec = restoreRedacted(
    after.spec,
    object.spec,
    redactObject(object).spec,
  ) as Record<string, unknown>;
  const issues = validateManifest(after, xrd, {
    version: xrdFormTargetOf(xrd, object).version,
  });
  if (issues.length > 0) {
    throw new InputError(
      `values: the ${object.kind} ${
        object.metadata.name
      } they render is not valid for ${xrd.name}:\n${formatValidationIssues(
        issues,
      )}`,
    );
  }
  return after;
}

/**
 * Edits the spec of a claim or XR from its form's values: renders the
 * fields the form owns with the code and checks of a create, shows them
 * before and after (redacted) with a unified diff, has the API server
 * dry-run the server-side apply, and then, unless a dry run, applies it
 * as `fieldManager`. Fields another manager owns are reported as
 * conflicts and never silently taken: a real edit with conflicts is
 * refused (409) unless the caller lists every one of them in `takeOver`
 * (then the apply is forced, as `kubectl apply --force-conflicts`),
 * as is any real edit of an object Git delivers (its change belongs in
 * the repository). Bad values throw `InputError` naming the field.
 *
 * @public
 */
export async function editObject(
  options: EditObjectOptions,
): Promise<CrossplaneEditResult> {
  const { client, target, fieldManager } = options;
  const { xrd, object, id } = target;
  const dryRun = options.dryRun ?? false;
  const after = renderEdit(target, options.values, {
    namespaces: options.namespaces,
  });
  const before = formOwnedManifest(xrd, object);
  const beforeYaml = shownYaml(before);
  const afterYaml = shownYaml(after);
  const diff = unifiedDiff(beforeYaml, afterYaml, {
    from: `${describeObjectId(id)} (live)`,
    to: `${describeObjectId(id)} (edited)`,
  });
  const changed =
    JSON.stringify(sortKeys(before.spec)) !==
    JSON.stringify(sortKeys(after.spec));
  const gitOps = gitOpsSourceOf(object);

  const validation: CrossplaneEditResult['validation'] = { ok: true };
  let conflicts: CrossplaneFieldConflict[] = [];
  try {
    await client.apply(after, { fieldManager, dryRun: true, force: false });
  } catch (error) {
    if (error instanceof ConflictError) {
      conflicts = fieldConflictsOf(error);
      if (conflicts.length === 0) throw error;
    } else if (error instanceof InputError) {
      validation.ok = false;
      validation.message = error.message;
    } else {
      throw error;
    }
  }

  const result: CrossplaneEditResult = {
    object: {
      cluster: id.cluster,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    },
    dryRun,
    before: beforeYaml,
    after: afterYaml,
    diff,
    changed,
    validation,
    conflicts,
    applied: false,
    ...(gitOps ? { gitOps } : {}),
  };
  if (dryRun) return result;

  if (gitOps) {
    throw new ConflictError(
      `${describeObjectId(id)} is delivered through Git by ${
        gitOps.description
      }: change it in its repository${
        gitOps.repoUrl
          ? ` (${gitOps.repoUrl}${gitOps.path ? `, ${gitOps.path}` : ''})`
          : ''
      }`,
    );
  }
  // Conflicts are read again at apply time: a field another manager took
  // since the preview is not taken over unseen.
  const acknowledged = new Set(options.takeOver ?? []);
  const unacknowledged = conflicts.filter(c => !acknowledged.has(c.field));
  if (unacknowledged.length > 0) {
    throw new ConflictError(
      `${describeObjectId(
        id,
      )}: the edit would take fields from other field managers, so nothing was changed: ${unacknowledged
        .map(c => `${c.field} (owned by ${c.manager})`)
        .join(', ')}; list them in takeOver to take them over`,
    );
  }
  if (!validation.ok) {
    throw new InputError(`values: ${validation.message}`);
  }
  if (!changed) return result;
  await client.apply(after, { fieldManager, force: conflicts.length > 0 });
  return { ...result, applied: true };
}
