import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CrossplaneObjectId,
  crossplaneReadPermission,
  KubernetesObject,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { PermissionSubjects } from '../PermissionSubjects';

/** Whether the caller may read a cluster object. */
export interface Readable {
  /** A cached object of a cluster. */
  object(cluster: string, object: KubernetesObject): boolean;
  /** An object named by its identity. */
  id(id: CrossplaneObjectId): boolean;
}

/**
 * The caller's `crossplane.resource.read`, as the status routes ask it:
 * one decision, applied to what the cluster says each object is. Every
 * cluster object a status source shows passes it, so a pod of a namespace
 * the user may not read is never shown. The decision is asked once per
 * credentials (one request's), however many sources and members use it.
 */
export function readableObjects(options: {
  authorizer: ObjectAuthorizer;
  subjects: PermissionSubjects;
}): (credentials: BackstageCredentials) => Promise<Readable> {
  const { authorizer, subjects } = options;
  const decisions = new WeakMap<BackstageCredentials, Promise<Readable>>();
  return credentials => {
    let readable = decisions.get(credentials);
    if (!readable) {
      readable = authorizer
        .visibility(credentials, crossplaneReadPermission)
        .then(visible => ({
          id: id => visible(subjects.of(id)),
          object: (cluster, object) => {
            const { group, version } = splitApiVersion(object.apiVersion);
            return visible(
              subjects.of({
                cluster,
                group,
                version,
                kind: object.kind,
                namespace: object.metadata.namespace || undefined,
                name: object.metadata.name,
              }),
            );
          },
        }));
      decisions.set(credentials, readable);
    }
    return readable;
  };
}
