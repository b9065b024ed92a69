import {
  classifyObject,
  indexXrdKinds,
  KubernetesObject,
  ObjectClass,
  ObjectRef,
  objectRefKey,
  parseXrd,
  refOf,
  Xrd,
  XrdKindIndex,
} from '@platformops/plugin-crossplane-common';
import { MappingContext } from './objectToEntity';
import { CrossplaneProviderConfig } from './config';

/**
 * One consistent view of a cluster's cached objects, indexed once so that
 * mapping every object to its entity is linear in the number of objects.
 * Objects are keyed by group, kind, namespace and name: kinds share names
 * across API groups.
 */
export class ClusterSnapshot implements MappingContext {
  readonly #kinds: XrdKindIndex;
  readonly #classes = new Map<KubernetesObject, ObjectClass>();
  readonly #byRef = new Map<string, KubernetesObject>();
  readonly #claims = new Map<string, KubernetesObject>();

  constructor(
    readonly cluster: string,
    readonly config: CrossplaneProviderConfig,
    readonly objects: KubernetesObject[],
  ) {
    const xrds: Xrd[] = [];
    for (const object of objects) {
      if (object.kind === 'CompositeResourceDefinition') {
        try {
          xrds.push(parseXrd(object));
        } catch {
          // A malformed XRD still becomes an entity; it defines no kinds here.
        }
      }
    }
    this.#kinds = indexXrdKinds(xrds);
    for (const object of objects) {
      const objectClass = classifyObject(object, this.#kinds);
      this.#classes.set(object, objectClass);
      this.#byRef.set(objectRefKey(refOf(object)), object);
      const { namespace, name } = object.metadata;
      if (namespace && objectClass === 'claim') {
        this.#claims.set(`${namespace}/${name}`, object);
      }
    }
  }

  classOf(object: KubernetesObject): ObjectClass {
    return this.#classes.get(object) ?? classifyObject(object, this.#kinds);
  }

  find(ref: ObjectRef): KubernetesObject | undefined {
    return (
      this.#byRef.get(objectRefKey(ref)) ??
      // References to cluster-scoped objects may carry a namespace.
      (ref.namespace
        ? this.#byRef.get(objectRefKey({ ...ref, namespace: undefined }))
        : undefined)
    );
  }

  findClaim(name: string, namespace: string): KubernetesObject | undefined {
    return this.#claims.get(`${namespace}/${name}`);
  }
}
