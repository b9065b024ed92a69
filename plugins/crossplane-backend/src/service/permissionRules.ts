import {
  CROSSPLANE_RESOURCE_TYPE,
  CrossplanePermissionSubject,
} from '@platformops/plugin-crossplane-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * A filter the rules translate conditions into (not used for queries).
 *
 * @public
 */
export type CrossplaneObjectFilter = {
  property: 'cluster' | 'kind' | 'namespace' | 'owner';
  values: string[];
};

/**
 * The resource of PlatformOps permissions: an object of a cluster, with the
 * namespace and owner of the claim or XR it belongs to. Policies decide on
 * it with the rules below, e.g. allow reading NopResources only in cluster
 * `dev`.
 */
export const crossplaneObjectResourceRef = createPermissionResourceRef<
  CrossplanePermissionSubject,
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
  description:
    'Allow objects of these Kubernetes namespaces; a cluster-scoped object (a v1 composite, a cluster-scoped managed resource) is in the namespace of the claim or XR that owns it (once its claim is gone, the one Crossplane wrote on it: claimRef, else claim labels), and in none when nothing namespaced owns it',
  resourceRef: crossplaneObjectResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Namespaces'),
  }),
  apply: (object, { namespaces }) =>
    object.governingNamespace !== undefined &&
    namespaces.includes(object.governingNamespace),
  toQuery: ({ namespaces }) => ({ property: 'namespace', values: namespaces }),
});

const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allow objects whose claim or XR (the root of their tree) is owned by one of these entities, as the catalog maps owners, e.g. the ownership entity refs of the user',
  resourceRef: crossplaneObjectResourceRef,
  paramsSchema: z.object({
    owners: z
      .array(z.string())
      .describe('Entity refs, e.g. group:default/team-alpha'),
  }),
  apply: (object, { owners }) =>
    object.owner !== undefined && owners.includes(object.owner),
  toQuery: ({ owners }) => ({ property: 'owner', values: owners }),
});

/** The rules policies can use in conditional decisions on PlatformOps objects. */
export const crossplaneObjectRules = {
  isKind,
  isInCluster,
  isInNamespace,
  isOwnedBy,
};

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
