import {
  classifyObject,
  indexXrdKinds,
  KubernetesObject,
  ObjectRef,
  parseXrd,
  Xrd,
  XrdKindIndex,
} from '@platformops/plugin-crossplane-common';
import { MappingContext } from './objectToEntity';
import { CrossplaneProviderConfig } from './config';

function key(kind: string, namespace: string | undefined, name: string) {
  return `${kind}|${namespace ?? ''}|${name}`;
}

/**
 * One consistent view of a cluster's cached objects, indexed once so that
 * mapping every object to its entity is linear in the number of objects.
 */
export class ClusterSnapshot implements MappingContext {
  readonly xrds: XrdKindIndex;
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
    this.xrds = indexXrdKinds(xrds);
    for (const object of objects) {
      const { namespace, name } = object.metadata;
      this.#byRef.set(key(object.kind, namespace, name), object);
      if (namespace && classifyObject(object, this.xrds) === 'claim') {
        this.#claims.set(`${namespace}/${name}`, object);
      }
    }
  }

  find(ref: ObjectRef): KubernetesObject | undefined {
    return (
      this.#byRef.get(key(ref.kind, ref.namespace, ref.name)) ??
      // References to cluster-scoped objects may carry a namespace.
      (ref.namespace
        ? this.#byRef.get(key(ref.kind, undefined, ref.name))
        : undefined)
    );
  }

  findClaim(name: string, namespace: string): KubernetesObject | undefined {
    return this.#claims.get(`${namespace}/${name}`);
  }
}
