import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  apiVersionOf,
  CrossplaneObjectId,
  DEFAULT_NAMESPACE_POLICY,
  NamespacePolicy,
  namespaceWriteProblem,
  ObjectIdInput,
  parseObjectId,
  parseXrd,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';

/**
 * The API of Crossplane's XRDs that PlatformOps reads them in.
 *
 * @internal
 */
export const XRD_API_VERSION = 'apiextensions.crossplane.io/v1';
/**
 * The kind of Crossplane's XRDs.
 *
 * @internal
 */
export const XRD_KIND = 'CompositeResourceDefinition';
const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** Where the kinds beyond claims and XRs are allowed. */
export const WRITES_CONFIG_KEY = 'crossplane.writes';

/**
 * What PlatformOps may create, change or delete besides the claims and XRs
 * that the cluster's XRDs offer (`crossplane.writes`).
 *
 * @public
 */
export interface WritableKinds {
  /** Composites of v1 XRDs and `LegacyCluster` XRs, written directly. */
  composites: boolean;
  /** Managed resources (CRDs in Crossplane's `managed` category). */
  managedResources: boolean;
  /** Further kinds, by API group and kind. */
  kinds: ReadonlyArray<{ group: string; kind: string }>;
}

/**
 * Only claims and XRs.
 *
 * @public
 */
export const DEFAULT_WRITABLE_KINDS: WritableKinds = {
  composites: false,
  managedResources: false,
  kinds: [],
};

/**
 * The writable kinds of `crossplane.writes`.
 *
 * @public
 */
export function readWritableKinds(config: Config): WritableKinds {
  const section = config.getOptionalConfig(WRITES_CONFIG_KEY);
  if (!section) return DEFAULT_WRITABLE_KINDS;
  return {
    composites: section.getOptionalBoolean('composites') ?? false,
    managedResources: section.getOptionalBoolean('managedResources') ?? false,
    kinds: (section.getOptionalConfigArray('kinds') ?? []).map(kind => ({
      group: kind.getString('group'),
      kind: kind.getString('kind'),
    })),
  };
}

/**
 * What an object to be written is, as its cluster says.
 *
 * @internal
 */
export type WriteRole = 'claim' | 'xr' | 'composite' | 'managed' | 'configured';

/**
 * An object that may be written through PlatformOps: its exact identity (a
 * namespace given for a cluster-scoped kind dropped), what it is, and the
 * XRD that offers it.
 *
 * @internal
 */
export interface WriteTarget {
  id: CrossplaneObjectId;
  role: WriteRole;
  namespaced: boolean;
  xrd?: Xrd;
  /** Said to the user, not fatal: e.g. a namespace that was ignored. */
  warnings: string[];
}

/**
 * Decides, from the cluster and never from the input, whether an object may
 * be created, changed or deleted through PlatformOps, before any write is
 * sent: the kind must be served (discovery gives its scope), and be a claim
 * or XR kind that one of the cluster's XRDs offers at that version, or a
 * composite, managed resource or further kind that `writable` allows; a
 * namespaced object needs a namespace the namespace policy accepts. Throws
 * an `InputError` naming the field, or `NotAllowedError` for a namespace
 * the policy refuses.
 *
 * @internal
 */
export async function resolveWriteTarget(
  client: ClusterClient,
  input: Omit<ObjectIdInput, 'cluster'>,
  options: {
    writable?: WritableKinds;
    namespaces?: NamespacePolicy;
    /** Field names for messages, e.g. `manifest.kind`. */
    fields?: Partial<Record<keyof ObjectIdInput, string>>;
  } = {},
): Promise<WriteTarget> {
  const writable = options.writable ?? DEFAULT_WRITABLE_KINDS;
  const field = (key: keyof ObjectIdInput) => options.fields?.[key] ?? key;
  const { id, namespaced, warnings } = await resolveServedObject(
    client,
    input,
    options.fields,
  );
  const kindName = id.group ? `${id.kind}.${id.group}` : id.kind;
  const { role, xrd } = await roleOf(client, id, writable);
  if (!role) {
    throw new InputError(
      `${field(
        'kind',
      )}: ${kindName} is not a kind PlatformOps writes in cluster ${
        client.name
      }: only the claims and XRs that the cluster's XRDs offer${
        writable.composites ? ', composites' : ''
      }${
        writable.managedResources ? ', managed resources' : ''
      } and the kinds of ${WRITES_CONFIG_KEY}.kinds`,
    );
  }
  if (xrd && !xrd.versions.some(v => v.name === id.version && v.served)) {
    throw new InputError(
      `${field('apiVersion')}: ${
        id.version
      } of ${kindName} is not served by its XRD (served: ${xrd.versions
        .filter(v => v.served)
        .map(v => v.name)
        .join(', ')})`,
    );
  }
  if (id.namespace) {
    const problem = namespaceWriteProblem(
      id.namespace,
      options.namespaces ?? DEFAULT_NAMESPACE_POLICY,
    );
    if (problem) throw new NotAllowedError(`${field('namespace')}: ${problem}`);
  }
  return { id, role, namespaced, xrd, warnings };
}

/**
 * The exact identity of an object as its cluster serves it: the kind must
 * be served (discovery gives its scope); a namespaced object needs a
 * namespace, and a namespace given for a cluster-scoped kind is dropped
 * with a warning, so that it never decides anything. Throws an
 * `InputError` naming the field.
 *
 * @internal
 */
export async function resolveServedObject(
  client: ClusterClient,
  input: Omit<ObjectIdInput, 'cluster'>,
  fields?: Partial<Record<keyof ObjectIdInput, string>>,
): Promise<{
  id: CrossplaneObjectId;
  namespaced: boolean;
  warnings: string[];
}> {
  const field = (key: keyof ObjectIdInput) => fields?.[key] ?? key;
  const id = parseObjectId({ ...input, cluster: client.name }, fields);
  const apiVersion = apiVersionOf(id);
  const kindName = id.group ? `${id.kind}.${id.group}` : id.kind;
  const served = await client.discover(apiVersion, id.kind);
  if (!served) {
    throw new InputError(
      `${field('kind')}: cluster ${client.name} serves no kind ${
        id.kind
      } in ${apiVersion} (check ${field('apiVersion')} and ${field('kind')})`,
    );
  }
  const warnings: string[] = [];
  if (!served.namespaced && id.namespace) {
    warnings.push(
      `${field('namespace')}: ignored, ${kindName} is cluster-scoped`,
    );
    delete id.namespace;
  }
  if (served.namespaced && !id.namespace) {
    throw new InputError(
      `${field('namespace')}: is required, ${kindName} is namespaced`,
    );
  }
  return { id, namespaced: served.namespaced, warnings };
}

/**
 * What an object is among the kinds PlatformOps follows, as the cluster
 * says (the XRDs for claims, XRs and composites; the CRD's `managed`
 * category for managed resources), whatever `crossplane.writes` allows;
 * undefined for any other kind. For operations on existing objects, such
 * as pause and reconcile.
 *
 * @internal
 */
export async function crossplaneRoleOf(
  client: ClusterClient,
  id: CrossplaneObjectId,
): Promise<Exclude<WriteRole, 'configured'> | undefined> {
  const { role } = await roleOf(client, id, {
    composites: true,
    managedResources: true,
    kinds: [],
  });
  return role === 'configured' ? undefined : role;
}

async function roleOf(
  client: ClusterClient,
  id: CrossplaneObjectId,
  writable: WritableKinds,
): Promise<{ role?: WriteRole; xrd?: Xrd }> {
  const { items } = await client.list(XRD_API_VERSION, XRD_KIND);
  for (const item of items) {
    let xrd: Xrd;
    try {
      xrd = parseXrd(item);
    } catch {
      continue; // A malformed XRD offers nothing.
    }
    if (xrd.group !== id.group) continue;
    if (xrd.claimNames?.kind === id.kind) return { role: 'claim', xrd };
    if (xrd.names.kind === id.kind) {
      // v2 XRs are what users create; v1 composites sit behind claims.
      if (xrd.scope === 'Namespaced' || xrd.scope === 'Cluster') {
        return { role: 'xr', xrd };
      }
      return writable.composites ? { role: 'composite', xrd } : {};
    }
  }
  if (writable.kinds.some(k => k.group === id.group && k.kind === id.kind)) {
    return { role: 'configured' };
  }
  if (writable.managedResources && (await isManagedKind(client, id))) {
    return { role: 'managed' };
  }
  return {};
}

/** Whether the kind's CRD is in Crossplane's `managed` category. */
async function isManagedKind(
  client: ClusterClient,
  id: CrossplaneObjectId,
): Promise<boolean> {
  if (!id.group) return false;
  const served = await client.discover(`${id.group}/${id.version}`, id.kind);
  if (!served) return false;
  const crd = await client.get({
    apiVersion: CRD_API_VERSION,
    kind: 'CustomResourceDefinition',
    name: `${served.plural}.${id.group}`,
  });
  const categories = crd?.spec?.names?.categories;
  return Array.isArray(categories) && categories.includes('managed');
}
