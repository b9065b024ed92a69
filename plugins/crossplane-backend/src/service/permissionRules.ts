import {
  CROSSPLANE_RESOURCE_TYPE,
  CrossplaneObjectLocator,
  parseCrossplaneResourceRef,
} from '@platformops/plugin-crossplane-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** A filter the rules translate conditions into (not used for queries). */
export type CrossplaneObjectFilter = {
  property: 'cluster' | 'kind' | 'namespace';
  values: string[];
};

/**
 * The resource of PlatformOps permissions: an object of a cluster. Policies
 * decide on it with the rules below, e.g. allow reading NopResources only
 * in cluster `dev`.
 */
export const crossplaneObjectResourceRef = createPermissionResourceRef<
  CrossplaneObjectLocator,
  CrossplaneObjectFilter
>().with({ pluginId: 'crossplane', resourceType: CROSSPLANE_RESOURCE_TYPE });

const isKind = createPermissionRule({
  name: 'IS_KIND',
  description: 'Allow objects of these kinds',
  resourceRef: crossplaneObjectResourceRef,
  paramsSchema: z.object({
    kinds: z.array(z.string()).describe('Kinds, e.g. PostgreSQLInstance'),
  }),
  apply: (object, { kinds }) => kinds.includes(object.kind),
  toQuery: ({ kinds }) => ({ property: 'kind', values: kinds }),
});

const isInCluster = createPermissionRule({
  name: 'IS_IN_CLUSTER',
  description: 'Allow objects of these clusters',
  resourceRef: crossplaneObjectResourceRef,
  paramsSchema: z.object({
    clusters: z.array(z.string()).describe('Cluster names'),
  }),
  apply: (object, { clusters }) => clusters.includes(object.cluster),
  toQuery: ({ clusters }) => ({ property: 'cluster', values: clusters }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow objects of these Kubernetes namespaces',
  resourceRef: crossplaneObjectResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Namespaces'),
  }),
  apply: (object, { namespaces }) =>
    object.namespace !== undefined && namespaces.includes(object.namespace),
  toQuery: ({ namespaces }) => ({ property: 'namespace', values: namespaces }),
});

/** The rules policies can use in conditional decisions on PlatformOps objects. */
export const crossplaneObjectRules = { isKind, isInCluster, isInNamespace };

const conditionExports = createConditionExports({
  resourceRef: crossplaneObjectResourceRef,
  rules: crossplaneObjectRules,
});

/**
 * Conditions for policies on PlatformOps objects, one per rule, e.g.
 * `crossplaneConditions.isInNamespace({ namespaces: ['team-alpha'] })`.
 *
 * @public
 */
export const crossplaneConditions = conditionExports.conditions;

/**
 * A conditional decision on a PlatformOps resource permission, for policies:
 * the status backend applies the conditions to each object.
 *
 * @public
 */
export const createCrossplaneConditionalDecision =
  conditionExports.createConditionalDecision;

/** The objects behind resource refs: the ref holds everything the rules read. */
export async function getCrossplaneObjects(refs: string[]) {
  return refs.map(parseCrossplaneResourceRef);
}
