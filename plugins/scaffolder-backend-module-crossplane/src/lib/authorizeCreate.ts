import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { crossplaneCreatePermission } from '@platformops/plugin-crossplane-common';

/**
 * Asks the permission framework whether the task's initiator may create in
 * this cluster and namespace; throws before anything is sent to the cluster.
 */
export async function authorizeCreate(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  target: { cluster: string; namespace?: string },
): Promise<void> {
  const [decision] = await permissions.authorize(
    [{ permission: crossplaneCreatePermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    const where = target.namespace
      ? `namespace ${target.namespace} of cluster ${target.cluster}`
      : `cluster ${target.cluster}`;
    throw new NotAllowedError(
      `${crossplaneCreatePermission.name}: not allowed to create in ${where}`,
    );
  }
}
