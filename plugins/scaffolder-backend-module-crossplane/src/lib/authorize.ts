import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  crossplaneCreatePermission,
  crossplaneDeletePermission,
  crossplaneResourceRef,
} from '@platformops/plugin-crossplane-common';

const PERMISSIONS = {
  create: crossplaneCreatePermission,
  delete: crossplaneDeletePermission,
};

/**
 * Asks the permission framework whether the task's initiator may create or
 * delete in this cluster and namespace; throws before anything is sent to
 * the cluster.
 */
export async function authorize(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  action: keyof typeof PERMISSIONS,
  target: {
    cluster: string;
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  },
): Promise<void> {
  const permission = PERMISSIONS[action];
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: crossplaneResourceRef(target) }],
    {
      credentials,
    },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    const where = target.namespace
      ? `namespace ${target.namespace} of cluster ${target.cluster}`
      : `cluster ${target.cluster}`;
    throw new NotAllowedError(
      `${permission.name}: not allowed to ${action} in ${where}`,
    );
  }
}
