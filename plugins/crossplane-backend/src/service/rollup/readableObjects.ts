import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  crossplaneReadPermission,
  KubernetesObject,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { PermissionSubjects } from '../PermissionSubjects';

/** Whether the caller may read one cached object of one cluster. */
export type ReadableObject = (
  cluster: string,
  object: KubernetesObject,
) => boolean;

/**
 * The caller's `crossplane.resource.read`, as the status routes ask it:
 * one decision, applied to what the cluster says each object is. Every
 * cluster object a status source shows passes it, so a pod of a namespace
 * the user may not read is never shown.
 */
export function readableObjects(options: {
  authorizer: ObjectAuthorizer;
  subjects: PermissionSubjects;
}): (credentials: BackstageCredentials) => Promise<ReadableObject> {
  return async credentials => {
    const visible = await options.authorizer.visibility(
      credentials,
      crossplaneReadPermission,
    );
    return (cluster, object) => {
      const { group, version } = splitApiVersion(object.apiVersion);
      return visible(
        options.subjects.of({
          cluster,
          group,
          version,
          kind: object.kind,
          namespace: object.metadata.namespace || undefined,
          name: object.metadata.name,
        }),
      );
    };
  };
}
