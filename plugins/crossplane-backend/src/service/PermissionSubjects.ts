import {
  apiVersionOf,
  CrossplaneObjectId,
  CrossplanePermissionSubject,
  KubernetesObject,
  parseCrossplaneResourceRef,
} from '@platformops/plugin-crossplane-common';
import { ClusterView } from './ClusterView';

/**
 * Works out what the permission rules decide on, from the cluster: an
 * object's own namespace, or for a cluster-scoped object (a v1 composite, a
 * cluster-scoped managed resource) the namespace and owner of the claim or
 * XR at the root of its tree. Only the identity comes from the request;
 * everything else is read from the cached objects, so no spelling or
 * namespace in a request can make an object look like someone else's.
 */
export class PermissionSubjects {
  readonly #view: (cluster: string) => ClusterView | undefined;
  readonly #ownerOf: (object: KubernetesObject) => string;

  constructor(options: {
    view: (cluster: string) => ClusterView | undefined;
    ownerOf: (object: KubernetesObject) => string;
  }) {
    this.#view = options.view;
    this.#ownerOf = options.ownerOf;
  }

  /** The subject of an object named by its identity (it may not exist yet). */
  of(id: CrossplaneObjectId): CrossplanePermissionSubject {
    const view = this.#view(id.cluster);
    let namespace = id.namespace;
    // A namespace given for a kind the cluster serves cluster-scoped names
    // nothing of its own: judge the cluster-scoped object by its owner.
    if (namespace && view?.isClusterScoped(id.group, id.kind)) {
      namespace = undefined;
    }
    const object = view?.find({ ...id, namespace });
    if (view && object) return this.ofObject(view, object);
    return this.ofNew({ ...id, namespace });
  }

  /**
   * The subject of an object that does not exist yet (one to be created):
   * its own namespace governs it, and it has no owner.
   */
  ofNew(id: CrossplaneObjectId): CrossplanePermissionSubject {
    return {
      cluster: id.cluster,
      apiVersion: apiVersionOf(id),
      kind: id.kind,
      namespace: id.namespace,
      name: id.name,
      governingNamespace: id.namespace,
    };
  }

  /** The subject of a cached object. */
  ofObject(
    view: ClusterView,
    object: KubernetesObject,
  ): CrossplanePermissionSubject {
    const root = view.rootOf(object);
    const namespace = object.metadata.namespace || undefined;
    return {
      cluster: view.cluster,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace,
      name: object.metadata.name,
      governingNamespace: namespace ?? (root.metadata.namespace || undefined),
      owner: this.#ownerOf(root),
    };
  }

  /**
   * The subjects of resource refs, for the permission framework's
   * conditional decisions (e.g. asked by the scaffolder's actions); a ref
   * that is not an exact identity has none, and is refused.
   */
  async ofRefs(
    refs: string[],
  ): Promise<Array<CrossplanePermissionSubject | undefined>> {
    return refs.map(ref => {
      const id = parseCrossplaneResourceRef(ref);
      return id ? this.of(id) : undefined;
    });
  }
}
