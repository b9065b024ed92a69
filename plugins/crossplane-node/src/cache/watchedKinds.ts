import {
  splitApiVersion,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { WatchedKind } from './KindWatcher';

/** CRDs: watched first, because they say which other kinds exist. */
export const CRD_KIND: WatchedKind = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
};

/** Built-in kinds always watched: workloads and what they run. */
export const WORKLOAD_KINDS: WatchedKind[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'v1', kind: 'Service' },
  // A service's roll-up: its pods, and its pipelines' runs.
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
];

/** Crossplane's own API groups whose kinds are always worth caching. */
const CROSSPLANE_GROUPS = new Set([
  'apiextensions.crossplane.io',
  'pkg.crossplane.io',
]);

/** CRD categories Crossplane sets on claims, composites and managed resources. */
const CROSSPLANE_CATEGORIES = new Set(['claim', 'composite', 'managed']);

/**
 * A provider family's configuration kinds (`default` in every family), read
 * so that each one is found as itself by its group.
 */
const PROVIDER_CONFIG_KINDS = new Set([
  'ProviderConfig',
  'ClusterProviderConfig',
]);

/** Kinds of Crossplane's own groups that are bulky and of no use here. */
const SKIPPED_KINDS = new Set([
  'CompositionRevision',
  'ProviderRevision',
  'FunctionRevision',
  'ConfigurationRevision',
  'Lock',
  'EnvironmentConfig',
  'ImageConfig',
  'DeploymentRuntimeConfig',
  'ControllerConfig',
  'Usage',
  'ClusterUsage',
  'ManagedResourceDefinition',
  'ManagedResourceActivationPolicy',
]);

/**
 * The kind a CRD defines, at the version to read it in, when PlatformOps
 * caches it: Crossplane's XRDs, Compositions and packages, every claim,
 * composite and managed resource kind, and providers' ProviderConfigs. Undefined for any other CRD.
 */
export function watchedKindOfCrd(
  crd: KubernetesObject,
): WatchedKind | undefined {
  const spec = crd.spec as
    | {
        group?: string;
        names?: { kind?: string; categories?: string[] };
        versions?: { name: string; served?: boolean; storage?: boolean }[];
      }
    | undefined;
  const group = spec?.group;
  const kind = spec?.names?.kind;
  if (!group || !kind || SKIPPED_KINDS.has(kind)) return undefined;

  const categories = spec?.names?.categories ?? [];
  const relevant =
    CROSSPLANE_GROUPS.has(group) ||
    categories.some(c => CROSSPLANE_CATEGORIES.has(c)) ||
    (PROVIDER_CONFIG_KINDS.has(kind) && categories.includes('crossplane'));
  if (!relevant || !isEstablished(crd)) return undefined;

  const served = (spec?.versions ?? []).filter(v => v.served !== false);
  const version = served.find(v => v.storage) ?? served[0];
  if (!version) return undefined;
  return { apiVersion: `${group}/${version.name}`, kind };
}

function isEstablished(crd: KubernetesObject): boolean {
  const conditions = (
    crd.status as
      | { conditions?: { type: string; status: string }[] }
      | undefined
  )?.conditions;
  return Boolean(
    conditions?.some(c => c.type === 'Established' && c.status === 'True'),
  );
}

/**
 * A stable key of a kind, whatever version it is read in: a CRD whose
 * storage version changes names the same objects.
 */
export function kindKey(kind: WatchedKind): string {
  return `${splitApiVersion(kind.apiVersion).group}/${kind.kind}`;
}

/** How people name a kind, as kubectl does: `NopResource.nop.crossplane.io`. */
export function kindName(kind: WatchedKind): string {
  const { group } = splitApiVersion(kind.apiVersion);
  return group ? `${kind.kind}.${group}` : kind.kind;
}
