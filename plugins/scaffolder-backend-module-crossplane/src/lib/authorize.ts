import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  crossplaneCreatePermission,
  crossplaneDeletePermission,
  CrossplaneObjectId,
  crossplanePausePermission,
  crossplaneReadPermission,
  crossplaneReconcilePermission,
  crossplaneResourceRef,
  crossplaneUpdatePermission,
  crossplaneUpgradePermission,
  describeObjectId,
} from '@platformops/plugin-crossplane-common';

const PERMISSIONS = {
  read: crossplaneReadPermission,
  create: crossplaneCreatePermission,
  delete: crossplaneDeletePermission,
  pause: crossplanePausePermission,
  resume: crossplanePausePermission,
  reconcile: crossplaneReconcilePermission,
  update: crossplaneUpdatePermission,
  upgrade: crossplaneUpgradePermission,
};

/**
 * Asks the permission framework whether the task's initiator may read,
 * create, delete, pause, resume, reconcile, update (edit) or upgrade this
 * object; throws before anything is sent to the
 * cluster. Conditional decisions are applied by the status backend to what
 * the cluster says of the object (e.g. the claim that owns a composite).
 */
export async function authorize(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  action: keyof typeof PERMISSIONS,
  target: CrossplaneObjectId,
): Promise<void> {
  const permission = PERMISSIONS[action];
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: crossplaneResourceRef(target) }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${permission.name}: not allowed to ${action} ${describeObjectId(
        target,
      )}`,
    );
  }
}
