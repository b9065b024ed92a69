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
import type { EntityTransforms } from '../transforms/EntityTransforms';

/**
 * The key of an object in a {@link ClusterSnapshot}: group, kind, namespace
 * and name (kinds share names across API groups; versions do not matter).
 */
export function snapshotKey(object: KubernetesObject): string {
  return objectRefKey(refOf(object));
}

/** A change the watch cache announced. */
export type SnapshotChange =
  | { type: 'upsert'; object: KubernetesObject }
  | { type: 'delete'; object: KubernetesObject };

const XRD_KIND = 'CompositeResourceDefinition';

/**
 * A cluster's cached objects, indexed so that mapping every object to its
 * entity is linear in the number of objects, and kept current change by
 * change so that a change remaps only the entities it can alter.
 *
 * What an object's entity reads of other objects is recorded as it is
 * mapped (through {@link ClusterSnapshot.read}): the objects it looks up by
 * reference (a claim's composite, a composite's composed resources, for
 * `dependsOn`) and the claim it looks up by Crossplane's claim labels (for
 * the owner and system of composed objects). A change to an object marks
 * the object and those that read it, found or missing; a change to the
 * XRDs' kinds reclassifies every object and marks them all.
 */
export class ClusterSnapshot implements MappingContext {
  #kinds: XrdKindIndex;
  #kindsSignature: string;
  readonly #xrds = new Map<string, Xrd>();
  readonly #classes = new Map<KubernetesObject, ObjectClass>();
  readonly #byRef = new Map<string, KubernetesObject>();
  /** Claims by `namespace/name`: several kinds may share one. */
  readonly #claims = new Map<string, Set<string>>();
  /** Who read what: a dependency (`object:<key>`, `claim:<ns/name>`) to its readers' keys. */
  readonly #readers = new Map<string, Set<string>>();
  /** What each object's entity read, to forget when it is mapped again. */
  readonly #reads = new Map<string, Set<string>>();
  /** The object being mapped, whose reads are recorded. */
  #reader?: string;

  constructor(
    readonly cluster: string,
    readonly config: CrossplaneProviderConfig,
    objects: Iterable<KubernetesObject>,
    readonly transforms?: EntityTransforms,
  ) {
    for (const object of objects) {
      this.#byRef.set(snapshotKey(object), object);
      if (object.kind === XRD_KIND) this.#indexXrd(object);
    }
    this.#kinds = indexXrdKinds([...this.#xrds.values()]);
    this.#kindsSignature = signatureOf(this.#kinds);
    for (const [key, object] of this.#byRef) this.#classify(key, object);
  }

  /** Every object, in no particular order. */
  get objects(): IterableIterator<KubernetesObject> {
    return this.#byRef.values();
  }

  keys(): IterableIterator<string> {
    return this.#byRef.keys();
  }

  get(key: string): KubernetesObject | undefined {
    return this.#byRef.get(key);
  }

  classOf(object: KubernetesObject): ObjectClass {
    return this.#classes.get(object) ?? classifyObject(object, this.#kinds);
  }

  find(ref: ObjectRef): KubernetesObject | undefined {
    const key = objectRefKey(ref);
    this.#record(`object:${key}`);
    const found = this.#byRef.get(key);
    if (found || !ref.namespace) return found;
    // References to cluster-scoped objects may carry a namespace.
    const clusterScoped = objectRefKey({ ...ref, namespace: undefined });
    this.#record(`object:${clusterScoped}`);
    return this.#byRef.get(clusterScoped);
  }

  findClaim(name: string, namespace: string): KubernetesObject | undefined {
    const slot = `${namespace}/${name}`;
    this.#record(`claim:${slot}`);
    const keys = this.#claims.get(slot);
    if (!keys) return undefined;
    // Two claim kinds of one name: the same one, whatever the order of changes.
    let chosen: string | undefined;
    for (const key of keys)
      if (chosen === undefined || key < chosen) chosen = key;
    return chosen === undefined ? undefined : this.#byRef.get(chosen);
  }

  /**
   * Maps the object of this key with `map`, recording what it reads of
   * other objects (and forgetting what it read before). Undefined, and
   * nothing recorded, when the object is gone.
   */
  read<T>(key: string, map: (object: KubernetesObject) => T): T | undefined {
    this.#forgetReads(key);
    const object = this.#byRef.get(key);
    if (!object) return undefined;
    this.#reader = key;
    try {
      return map(object);
    } finally {
      this.#reader = undefined;
    }
  }

  /**
   * Applies a change; returns the keys of the objects whose entities it may
   * alter (a deleted object's among them), or `all` when the XRDs' kinds
   * changed and every object is classified anew.
   */
  apply(change: SnapshotChange): Set<string> | 'all' {
    const key = snapshotKey(change.object);
    const previous = this.#byRef.get(key);
    const next = change.type === 'upsert' ? change.object : undefined;
    const marked = new Set<string>([key]);
    const markReaders = (dependency: string) => {
      for (const reader of this.#readers.get(dependency) ?? [])
        marked.add(reader);
    };
    if (previous) {
      if (this.#classOfKnown(previous) === 'claim') {
        markReaders(`claim:${slotOf(previous)}`);
        this.#claims.get(slotOf(previous))?.delete(key);
      }
      this.#classes.delete(previous);
      this.#byRef.delete(key);
    }
    if (next) {
      this.#byRef.set(key, next);
      this.#classify(key, next);
      if (this.#classes.get(next) === 'claim')
        markReaders(`claim:${slotOf(next)}`);
    }
    markReaders(`object:${key}`);

    if (change.object.kind === XRD_KIND) {
      this.#xrds.delete(key);
      if (next) this.#indexXrd(next);
      const kinds = indexXrdKinds([...this.#xrds.values()]);
      const signature = signatureOf(kinds);
      if (signature !== this.#kindsSignature) {
        this.#kinds = kinds;
        this.#kindsSignature = signature;
        this.#claims.clear();
        this.#classes.clear();
        for (const [k, object] of this.#byRef) this.#classify(k, object);
        return 'all';
      }
    }
    return marked;
  }

  #classOfKnown(object: KubernetesObject): ObjectClass | undefined {
    return this.#classes.get(object);
  }

  #classify(key: string, object: KubernetesObject) {
    const objectClass = classifyObject(object, this.#kinds);
    this.#classes.set(object, objectClass);
    if (objectClass === 'claim' && object.metadata.namespace) {
      const slot = slotOf(object);
      let keys = this.#claims.get(slot);
      if (!keys) this.#claims.set(slot, (keys = new Set()));
      keys.add(key);
    }
  }

  #indexXrd(object: KubernetesObject) {
    try {
      this.#xrds.set(snapshotKey(object), parseXrd(object));
    } catch {
      // A malformed XRD still becomes an entity; it defines no kinds here.
    }
  }

  #record(dependency: string) {
    const reader = this.#reader;
    if (!reader) return;
    let readers = this.#readers.get(dependency);
    if (!readers) this.#readers.set(dependency, (readers = new Set()));
    readers.add(reader);
    let reads = this.#reads.get(reader);
    if (!reads) this.#reads.set(reader, (reads = new Set()));
    reads.add(dependency);
  }

  #forgetReads(key: string) {
    const reads = this.#reads.get(key);
    if (!reads) return;
    for (const dependency of reads) {
      const readers = this.#readers.get(dependency);
      readers?.delete(key);
      if (readers?.size === 0) this.#readers.delete(dependency);
    }
    this.#reads.delete(key);
  }
}

function slotOf(object: KubernetesObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

function signatureOf(kinds: XrdKindIndex): string {
  return JSON.stringify([
    [...kinds.composites].sort(),
    [...kinds.claims].sort(),
  ]);
}
