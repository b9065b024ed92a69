import { ConflictError, InputError } from '@backstage/errors';
import {
  compositeInfo,
  CrossplaneBlockingUsage,
  CrossplaneDeletionFate,
  CrossplaneDeletionImpact,
  CrossplaneDeletionItem,
  CrossplaneLifecycleObject,
  describeObjectId,
  getClaimRef,
  gitOpsSourceOf,
  KubernetesObject,
  managedInfo,
  ObjectClass,
} from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { ClusterClient, ObjectLocator } from '../client/types';
import { WriteTarget } from '../guard/writeTargets';
import { ComposedObject, composedTree } from './resolveLifecycleTarget';

/**
 * How PlatformOps deletes a claim or XR: `Background`, the API server's
 * and Crossplane's own default. A claim's deletion reaches its composite
 * through the claim controller, as the claim's `compositeDeletePolicy` (or
 * its XRD's default) says, whatever the request's policy (a claim owns
 * nothing by owner reference); an XR's composed resources go through the
 * garbage collector, and in the background they go in the order the
 * composition's Usages give, where a foreground deletion would have the
 * collector delete every one of them at once.
 *
 * @public
 */
export const DELETE_PROPAGATION = 'Background' as const;

/**
 * The kinds of Crossplane Usages, by the API versions that served them:
 * v1's `apiextensions.crossplane.io` (alpha, then beta; still served,
 * cluster-scoped, on v2) and v2's `protection.crossplane.io`.
 */
const USAGE_KINDS = [
  {
    kind: 'Usage',
    apiVersions: [
      'apiextensions.crossplane.io/v1beta1',
      'apiextensions.crossplane.io/v1alpha1',
    ],
  },
  { kind: 'Usage', apiVersions: ['protection.crossplane.io/v1beta1'] },
  { kind: 'ClusterUsage', apiVersions: ['protection.crossplane.io/v1beta1'] },
];

const ALL = '*';

/**
 * What deleting a managed resource does to its external resource, as
 * crossplane-runtime decides it: deleted when `deletionPolicy` is Delete
 * (the default) and `managementPolicies` allow Delete (`*` does, the
 * default), or when non-default `managementPolicies` list Delete (they
 * take precedence over an Orphan deletion policy); orphaned otherwise.
 *
 * @public
 */
export function deletionFate(managed: KubernetesObject): {
  deletionPolicy: string;
  managementPolicies: string[];
  fate: CrossplaneDeletionFate;
} {
  const info = managedInfo(managed);
  const deletionPolicy = info.deletionPolicy ?? 'Delete';
  const managementPolicies = info.managementPolicies?.length
    ? info.managementPolicies
    : [ALL];
  const isDefault =
    managementPolicies.length === 1 && managementPolicies[0] === ALL;
  const allowsDelete =
    managementPolicies.includes(ALL) || managementPolicies.includes('Delete');
  const deleted =
    (deletionPolicy === 'Delete' && allowsDelete) ||
    (!isDefault && managementPolicies.includes('Delete'));
  return {
    deletionPolicy,
    managementPolicies,
    fate: deleted ? 'deleted' : 'orphaned',
  };
}

function locatorOf(object: KubernetesObject): CrossplaneLifecycleObject {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata.name,
  };
}

/**
 * One object of a deletion: the fate of a managed resource's external
 * resource, and what still holds an object being deleted.
 *
 * @public
 */
export function deletionItem(
  object: KubernetesObject,
  objectClass: ObjectClass,
): CrossplaneDeletionItem {
  const finalizers = object.metadata.finalizers as string[] | undefined;
  const deletionTimestamp = object.metadata.deletionTimestamp as
    | string
    | undefined;
  return {
    object: locatorOf(object),
    objectClass,
    ...(objectClass === 'managed' ? deletionFate(object) : {}),
    ...(finalizers?.length ? { finalizers } : {}),
    ...(deletionTimestamp ? { deletionTimestamp } : {}),
  };
}

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/** The object a Usage's `of` or `by` names, once Crossplane resolved it. */
function usageReferent(
  usage: KubernetesObject,
  field: 'of' | 'by',
): CrossplaneLifecycleObject | undefined {
  const value = (usage.spec as Record<string, any> | undefined)?.[field];
  const name = value?.resourceRef?.name;
  if (
    typeof value?.apiVersion !== 'string' ||
    typeof value?.kind !== 'string' ||
    typeof name !== 'string'
  ) {
    return undefined;
  }
  // A namespaced Usage names objects of its own namespace.
  const namespace =
    typeof value.resourceRef.namespace === 'string'
      ? value.resourceRef.namespace
      : usage.metadata.namespace;
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    ...(namespace ? { namespace } : {}),
    name,
  };
}

function sameObject(
  a: CrossplaneLifecycleObject,
  b: CrossplaneLifecycleObject,
): boolean {
  return (
    groupOf(a.apiVersion) === groupOf(b.apiVersion) &&
    a.kind === b.kind &&
    (a.namespace ?? '') === (b.namespace ?? '') &&
    a.name === b.name
  );
}

/**
 * The Usages that block deleting the objects: each one in use by nothing
 * named, or by an object that does not go with them (a Usage between two
 * objects that both go only orders their deletion).
 *
 * @public
 */
export function blockingUsages(
  usages: KubernetesObject[],
  objects: CrossplaneLifecycleObject[],
): CrossplaneBlockingUsage[] {
  const goes = (o: CrossplaneLifecycleObject) =>
    objects.some(object => sameObject(object, o));
  const blocking: CrossplaneBlockingUsage[] = [];
  for (const usage of usages) {
    const of = usageReferent(usage, 'of');
    if (!of || !goes(of)) continue;
    const by = usageReferent(usage, 'by');
    if (by && goes(by)) continue;
    const reason = (usage.spec as Record<string, any> | undefined)?.reason;
    blocking.push({
      usage: locatorOf(usage),
      of,
      ...(by ? { by } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
    });
  }
  return blocking;
}

/**
 * The connection Secrets that go with the objects (names only): those a
 * claim, composite or managed resource writes, in its own namespace unless
 * the reference names one.
 *
 * @public
 */
export function connectionSecretsOf(
  objects: ComposedObject[],
): Array<{ namespace?: string; name: string }> {
  const secrets = new Map<string, { namespace?: string; name: string }>();
  for (const { object, objectClass } of objects) {
    const ref =
      objectClass === 'managed'
        ? managedInfo(object).writeConnectionSecretToRef
        : compositeInfo(object).writeConnectionSecretToRef;
    if (!ref) continue;
    const namespace = ref.namespace ?? object.metadata.namespace;
    secrets.set(`${namespace ?? ''}/${ref.name}`, {
      ...(namespace ? { namespace } : {}),
      name: ref.name,
    });
  }
  return [...secrets.values()];
}

/**
 * While a deletion runs, what keeps it from finishing: the finalizers of
 * each object still there, and each Usage that blocks it.
 *
 * @public
 */
export function deletionHeldBy(
  items: CrossplaneDeletionItem[],
  usages: CrossplaneBlockingUsage[],
): string[] {
  const name = (o: CrossplaneLifecycleObject) =>
    `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  return [
    ...items
      .filter(item => item.finalizers?.length)
      .map(
        item =>
          `${name(item.object)}: finalizer ${item.finalizers!.join(', ')}`,
      ),
    ...usages.map(
      u =>
        `${name(u.usage)}: ${name(u.of)} is in use${
          u.by ? ` by ${name(u.by)}` : ''
        }${u.reason ? ` (${u.reason})` : ''}`,
    ),
  ];
}

/**
 * The impact of deleting an object, from what the cluster holds: the
 * target and its composed tree, the Usages, Secrets and catalog
 * dependents, and how far a deletion that started is.
 *
 * @public
 */
export function deletionImpactOf(options: {
  cluster: string;
  target: ComposedObject;
  composed: ComposedObject[];
  usages: KubernetesObject[];
  dependents?: string[];
}): CrossplaneDeletionImpact {
  const { target } = options;
  const all = [target, ...options.composed];
  const items = all.map(({ object, objectClass }) =>
    deletionItem(object, objectClass),
  );
  const usages = blockingUsages(
    options.usages,
    items.map(item => item.object),
  );
  const deleting = items.some(item => item.deletionTimestamp);
  const gitOps = gitOpsSourceOf(target.object);
  return {
    object: { cluster: options.cluster, ...locatorOf(target.object) },
    items,
    usages,
    connectionSecrets: connectionSecretsOf(all),
    dependents: options.dependents ?? [],
    ...(gitOps ? { gitOps } : {}),
    deleting,
    ...(deleting ? { heldBy: deletionHeldBy(items, usages) } : {}),
  };
}

/**
 * Every Usage and ClusterUsage the cluster serves; none where the kind is
 * not installed, or PlatformOps may not list it.
 *
 * @public
 */
export async function listUsages(
  client: ClusterClient,
): Promise<KubernetesObject[]> {
  const usages: KubernetesObject[] = [];
  for (const { kind, apiVersions } of USAGE_KINDS) {
    for (const apiVersion of apiVersions) {
      if (!(await client.discover(apiVersion, kind))) continue;
      try {
        usages.push(...(await client.list(apiVersion, kind)).items);
      } catch (error) {
        if (!(error instanceof ClusterRequestError)) throw error;
        if (error.statusCode !== 403 && error.statusCode !== 404) throw error;
      }
      break;
    }
  }
  return usages;
}

/**
 * What an object to delete is in its resource tree (and the catalog).
 *
 * @internal
 */
export function objectClassOfTarget(target: WriteTarget): ObjectClass {
  switch (target.role) {
    case 'claim':
      return 'claim';
    case 'xr':
    case 'composite':
      return 'composite';
    case 'managed':
      return 'managed';
    default:
      return 'other';
  }
}

/**
 * Reads the impact of deleting an object from its cluster.
 *
 * @internal
 */
export async function readDeletionImpact(
  client: ClusterClient,
  target: WriteTarget,
  object: KubernetesObject,
  options: { dependents?: string[] } = {},
): Promise<CrossplaneDeletionImpact> {
  const [composed, usages] = await Promise.all([
    composedTree(client, object),
    listUsages(client),
  ]);
  return deletionImpactOf({
    cluster: client.name,
    target: { object, objectClass: objectClassOfTarget(target) },
    composed,
    usages,
    dependents: options.dependents,
  });
}

/**
 * Refuses to delete what is not the root of its tree: a composite bound to
 * a claim goes with the claim, and a composed object with its composite
 * (which would compose it again). Throws an `InputError` naming what to
 * delete instead.
 *
 * @internal
 */
export function assertDeletionRoot(
  target: WriteTarget,
  object: KubernetesObject,
): void {
  const reason = notDeletionRootReason(object, target.role === 'claim');
  if (reason) {
    throw new InputError(`name: ${describeObjectId(target.id)} ${reason}`);
  }
}

/**
 * Why an object is not the root of its tree, in words that say what to
 * delete instead; undefined for a root. `isClaim`: the cluster says the
 * object is a claim (a claim has a composite, not a claim, above it).
 *
 * @internal
 */
export function notDeletionRootReason(
  object: KubernetesObject,
  isClaim: boolean,
): string | undefined {
  if (!isClaim) {
    const claim = getClaimRef(object);
    if (claim) {
      return `belongs to the claim ${claim.kind} ${
        claim.namespace ? `${claim.namespace}/` : ''
      }${claim.name}: delete the claim instead`;
    }
  }
  const owner = managedInfo(object).owner;
  if (owner) {
    return `is composed by ${owner.kind} ${owner.name}: delete its claim or composite resource instead`;
  }
  return undefined;
}

/**
 * Refuses to delete an object Git delivers: its GitOps tool would create
 * it again, or the change belongs in Git. Throws a `ConflictError` naming
 * the tool.
 *
 * @internal
 */
export function assertNotGitOps(
  target: WriteTarget,
  object: KubernetesObject,
): void {
  const gitOps = gitOpsSourceOf(object);
  if (gitOps) {
    throw new ConflictError(
      `${describeObjectId(target.id)} is delivered by ${gitOps.description} (${
        gitOps.tool
      }): remove it from Git, PlatformOps never deletes it directly`,
    );
  }
}

/**
 * Deletes the root of a tree (see {@link DELETE_PROPAGATION}), or has the
 * API server only admit the deletion (`dryRun`); false when it was gone.
 *
 * @internal
 */
export function deleteTreeRoot(
  client: ClusterClient,
  locator: ObjectLocator,
  options: { dryRun?: boolean } = {},
): Promise<boolean> {
  return client.delete(locator, {
    propagationPolicy: DELETE_PROPAGATION,
    dryRun: options.dryRun,
  });
}

/**
 * The impact in a few lines, for a task log or a message: what goes,
 * which external resources are deleted and which kept, the Secrets, the
 * blocking Usages and the dependents.
 *
 * @internal
 */
export function summarizeDeletionImpact(
  impact: CrossplaneDeletionImpact,
): string[] {
  const name = (o: CrossplaneLifecycleObject) =>
    `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  const managed = impact.items.filter(i => i.fate);
  const byFate = (fate: CrossplaneDeletionFate) =>
    managed.filter(i => i.fate === fate).map(i => name(i.object));
  const lines = [
    `Deleting ${name(impact.object)} removes ${impact.items.length} object(s)`,
  ];
  const deleted = byFate('deleted');
  const orphaned = byFate('orphaned');
  if (deleted.length) {
    lines.push(`External resources deleted: ${deleted.join(', ')}`);
  }
  if (orphaned.length) {
    lines.push(`External resources kept (orphaned): ${orphaned.join(', ')}`);
  }
  if (impact.connectionSecrets.length) {
    lines.push(
      `Connection Secrets removed: ${impact.connectionSecrets
        .map(s => (s.namespace ? `${s.namespace}/${s.name}` : s.name))
        .join(', ')}`,
    );
  }
  if (impact.usages.length) {
    lines.push(`Blocked by: ${deletionHeldBy([], impact.usages).join('; ')}`);
  }
  if (impact.dependents.length) {
    lines.push(
      `Catalog entities depending on it: ${impact.dependents.join(', ')}`,
    );
  }
  return lines;
}
