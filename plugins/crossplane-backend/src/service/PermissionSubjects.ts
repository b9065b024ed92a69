import {
  apiVersionOf,
  CrossplaneLabels,
  CrossplaneObjectId,
  CrossplanePermissionSubject,
  getClaimRef,
  KubernetesObject,
  parseCrossplaneResourceRef,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import { ClusterView } from './ClusterView';
import { DepartedObjects } from './DepartedObjects';

/**
 * Works out what the permission rules decide on, from the cluster: an
 * object's own namespace, or for a cluster-scoped object (a v1 composite, a
 * cluster-scoped managed resource) the namespace and owner of the claim or
 * XR at the root of its tree. Only the identity comes from the request;
 * everything else is read from the cached objects, so no spelling or
 * namespace in a request can make an object look like someone else's.
 *
 * A cluster-scoped object whose claim is gone (its deletion takes the
 * composite and managed resources after it) stays its claim's: Crossplane
 * wrote the claim's namespace on it. An object the cluster deleted lately
 * is judged as it was when it went, so that whoever could read it may be
 * told it is gone, and no one else learns whether it ever existed.
 */
export class PermissionSubjects {
  readonly #view: (cluster: string) => ClusterView | undefined;
  readonly #ownerOf: (object: KubernetesObject) => string;
  readonly #departed = new WeakMap<ClusterObjectCache, DepartedObjects>();

  constructor(options: {
    view: (cluster: string) => ClusterView | undefined;
    ownerOf: (object: KubernetesObject) => string;
  }) {
    this.#view = options.view;
    this.#ownerOf = options.ownerOf;
  }

  /**
   * Remembers the objects a cluster deletes from now on (for `of`'s
   * `departed`); `of` starts it too.
   */
  follow(view: ClusterView): DepartedObjects {
    let departed = this.#departed.get(view.cache);
    if (!departed) {
      departed = new DepartedObjects({ cache: view.cache });
      this.#departed.set(view.cache, departed);
    }
    return departed;
  }

  /**
   * The subject of an object named by its identity (it may not exist yet).
   * With `departed`, one the cluster deleted lately is judged as it was
   * when it went (its own root by then): only to tell whoever could read
   * it that it is gone, never to write or create anything.
   */
  of(
    id: CrossplaneObjectId,
    options: { departed?: boolean } = {},
  ): CrossplanePermissionSubject {
    const view = this.#view(id.cluster);
    let namespace = id.namespace;
    // A namespace given for a kind the cluster serves cluster-scoped names
    // nothing of its own: judge the cluster-scoped object by its owner.
    if (namespace && view?.isClusterScoped(id.group, id.kind)) {
      namespace = undefined;
    }
    if (!view) return this.ofNew({ ...id, namespace });
    const departed = this.follow(view);
    const object = view.find({ ...id, namespace });
    if (object) return this.ofObject(view, object);
    const gone = options.departed && departed.find({ ...id, namespace });
    if (gone) return this.#subject(view, gone, gone);
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

  /**
   * The subject of a cached object as if it were its own root: what an
   * object decides of its subject by itself, without its ancestors.
   */
  ofRoot(
    view: ClusterView,
    object: KubernetesObject,
  ): CrossplanePermissionSubject {
    return this.#subject(view, object, object);
  }

  /** The subject of a cached object. */
  ofObject(
    view: ClusterView,
    object: KubernetesObject,
  ): CrossplanePermissionSubject {
    return this.#subject(view, object, view.rootOf(object));
  }

  #subject(
    view: ClusterView,
    object: KubernetesObject,
    root: KubernetesObject,
  ): CrossplanePermissionSubject {
    const namespace = object.metadata.namespace || undefined;
    return {
      cluster: view.cluster,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace,
      name: object.metadata.name,
      governingNamespace: namespace ?? rootNamespaceOf(view, root),
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

/**
 * The namespace a tree's root answers to: its own; for a cluster-scoped
 * root, the namespace of the claim Crossplane made it for (a composite's
 * `claimRef`, else the claim labels it and what it composes carry). While
 * the claim exists it is the root itself: this is for a composite or
 * managed resource whose claim is gone, e.g. while a deletion takes them.
 * None for a cluster-scoped object no claim made.
 */
function rootNamespaceOf(
  view: ClusterView,
  root: KubernetesObject,
): string | undefined {
  if (root.metadata.namespace) return root.metadata.namespace;
  const claimRef =
    view.index().classOf(root) === 'composite' ? getClaimRef(root) : undefined;
  return (
    claimRef?.namespace ||
    root.metadata.labels?.[CrossplaneLabels.claimNamespace] ||
    undefined
  );
}
