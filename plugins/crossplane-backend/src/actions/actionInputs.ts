import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  crossplaneClustersReadPermission,
  CrossplaneObjectId,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import type { z as zod } from 'zod/v3';

/** The zod the actions registry hands to schemas. */
export type Zod = typeof zod;

/**
 * The identity of one object, as every action takes it. Checked again by
 * `parseObjectId`, whose errors name the field and the rule.
 */
export function objectInput(z: Zod) {
  return {
    cluster: z.string().describe('Cluster name, as the portal lists it'),
    apiVersion: z
      .string()
      .describe('apiVersion of the object, e.g. example.org/v1alpha1'),
    kind: z.string().describe('Kind of the object, e.g. Database'),
    namespace: z
      .string()
      .optional()
      .describe('Namespace; absent for cluster-scoped objects'),
    name: z.string().describe('Name of the object'),
  };
}

/** The cluster filter of an action that lists across clusters. */
export const clustersInput = (z: Zod) =>
  z.array(z.string()).optional().describe('Only these clusters (default: all)');

/** The `dryRun` input of a write action. */
export const dryRunInput = (z: Zod, what: string) =>
  z
    .boolean()
    .optional()
    .describe(`Check only; ${what} nothing (default false)`);

/** The exact identity an action's input names. */
export function idOf(input: Record<string, unknown>): CrossplaneObjectId {
  const { cluster, apiVersion, kind, namespace, name } = input;
  return parseObjectId({ cluster, apiVersion, kind, namespace, name });
}

/**
 * As the cross-cluster routes ask it: whether the caller may read the
 * clusters at all, before anything of them is listed.
 */
export async function requireClustersRead(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
) {
  const permission = crossplaneClustersReadPermission;
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`not allowed: ${permission.name}`);
  }
}
