import { computeHealth } from '../health/computeHealth';
import { Health } from '../health/types';
import { indexXrdKinds, classifyObject, XrdKindIndex } from '../model/classify';
import {
  CrossplaneLabels,
  getClaimRef,
  getCompositeRef,
  getResourceRefs,
} from '../model/crossplane';
import { refOf } from '../model/objectRef';
import { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';
import { asArray, isRecord, splitApiVersion } from '../model/util';
import { Xrd } from '../model/xrd';

/**
 * A child of an object in a resource tree: resolved, or a dangling
 * reference (no `object`).
 *
 * @public
 */
export interface ChildEntry {
  ref: ObjectRef;
  object?: KubernetesObject;
}

/**
 * The objects of a cluster indexed once for building resource trees: by
 * reference, by UID, with every object's class and parent worked out.
 * Build it with {@link indexResources} and pass it to
 * {@link buildResourceTree} to build many trees over the same objects.
 *
 * @public
 */
export interface ResourceIndex {
  /** The objects, duplicates (same group, kind, namespace and name) removed. */
  readonly objects: readonly KubernetesObject[];
  /** The object a reference denotes, if present. */
  resolve(ref: ObjectRef): KubernetesObject | undefined;
  /** What an object is. */
  classOf(obj: KubernetesObject): ObjectClass;
  /** An object's own health (computed once). */
  healthOf(obj: KubernetesObject): Health;
  /** The children of an object: referenced ones first, then owned and labelled ones. */
  childrenOf(obj: KubernetesObject): ChildEntry[];
  /** The object's parent in the tree, if any. */
  parentOf(obj: KubernetesObject): KubernetesObject | undefined;
}

/**
 * Options of {@link indexResources}.
 *
 * @public
 */
export interface IndexOptions {
  /**
   * Whether the objects given include every object of a reference's kind;
   * a reference to a kind they do not (e.g. a ConfigMap a composite
   * composes, when ConfigMaps are not followed) is left out instead of
   * counted as missing. Default: every kind is followed.
   */
  follows?: (ref: ObjectRef) => boolean;
}

/** Whether an object has what indexing needs: a kind and a name. */
export function validObject(o: unknown): o is KubernetesObject {
  return (
    isRecord(o) &&
    typeof o.kind === 'string' &&
    o.kind !== '' &&
    isRecord(o.metadata) &&
    typeof o.metadata.name === 'string' &&
    o.metadata.name !== ''
  );
}

/** An indexed object with its identity (namespace `''` when cluster-scoped). */
export interface IdentifiedObject {
  obj: KubernetesObject;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  cls: ObjectClass;
}

/** Indexed objects by name: one, or all of that name (rare) in list order. */
export type ObjectsByName<E extends IdentifiedObject> = Map<string, E | E[]>;

/** What the index knows of one object. */
interface Entry extends IdentifiedObject {
  parent?: Entry;
  refChildren?: ChildEntry[];
  referenced?: Set<KubernetesObject>;
  others?: KubernetesObject[];
  health?: Health;
}

export function labelsOf(o: KubernetesObject): Record<string, unknown> {
  return isRecord(o.metadata.labels) ? o.metadata.labels : {};
}

/** The order of children that are not referenced: kind, namespace, name. */
export function compareObjects(
  a: KubernetesObject,
  b: KubernetesObject,
): number {
  const ka = `${a.kind}/${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.kind}/${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
}

/**
 * Whether a child named by its parent's references (a claim's
 * `resourceRef`, a composite's `resourceRefs`) agrees that it belongs
 * there: a composite bound to a claim names that claim in its `claimRef`;
 * an object with a controller owner reference names its parent's UID
 * there. Children that say nothing (no claimRef, no controller) agree,
 * except composites referenced by a claim, which Crossplane always binds.
 */
export function agreesToParent(
  child: IdentifiedObject,
  parent: IdentifiedObject,
): boolean {
  if (parent.cls === 'claim') {
    const claimRef = getClaimRef(child.obj);
    return (
      claimRef !== undefined &&
      claimRef.name === parent.name &&
      (claimRef.namespace ?? '') === parent.namespace &&
      claimRef.kind === parent.kind
    );
  }
  const owners = asArray(child.obj.metadata.ownerReferences).filter(isRecord);
  const controller = owners.find(r => r.controller === true);
  if (!controller) return true;
  return (
    typeof parent.obj.metadata.uid === 'string' &&
    controller.uid === parent.obj.metadata.uid
  );
}

/**
 * The first object (in list order) of a name and namespace that matches.
 * Objects are found by name first, then namespace, so that no key strings
 * are built.
 */
export function findByName<E extends IdentifiedObject>(
  byName: ObjectsByName<E>,
  name: string,
  namespace: string,
  match: (e: E) => boolean,
): E | undefined {
  const found = byName.get(name);
  if (!found) return undefined;
  if (!Array.isArray(found)) {
    return found.namespace === namespace && match(found) ? found : undefined;
  }
  return found.find(e => e.namespace === namespace && match(e));
}

/**
 * The object a reference denotes, the first in list order: exactly, or
 * leniently (without apiVersion, of any group; with a namespace, a
 * cluster-scoped one; without a namespace, of any namespace).
 */
export function resolveByName<E extends IdentifiedObject>(
  byName: ObjectsByName<E>,
  ref: ObjectRef,
): E | undefined {
  if (
    !isRecord(ref) ||
    typeof ref.kind !== 'string' ||
    typeof ref.name !== 'string'
  ) {
    return undefined;
  }
  const namespace = typeof ref.namespace === 'string' ? ref.namespace : '';
  const kind = ref.kind;
  if (!ref.apiVersion) {
    return findByName(byName, ref.name, namespace, e => e.kind === kind);
  }
  const group = splitApiVersion(ref.apiVersion).group;
  const match = (e: E) => e.kind === kind && e.group === group;
  const exact = findByName(byName, ref.name, namespace, match);
  if (exact) return exact;
  if (namespace) {
    // A namespace on a reference to a cluster-scoped object.
    return findByName(byName, ref.name, '', match);
  }
  // No namespace: any object of that name, group and kind.
  const named = byName.get(ref.name);
  if (!named) return undefined;
  if (!Array.isArray(named)) return match(named) ? named : undefined;
  return named.find(match);
}

/**
 * The children a claim or composite references (rule 1 of
 * {@link indexResources}): those its references resolve to and that agree,
 * once each, and the missing ones of followed kinds.
 */
export function referencedChildren<E extends IdentifiedObject>(
  byName: ObjectsByName<E>,
  parent: IdentifiedObject,
  refs: readonly ObjectRef[],
  follows?: (ref: ObjectRef) => boolean,
): {
  children: ChildEntry[];
  referenced: Set<KubernetesObject>;
  resolved: E[];
} {
  const children: ChildEntry[] = [];
  const referenced = new Set<KubernetesObject>();
  const resolved: E[] = [];
  const dangling = new Set<string>();
  for (const ref of refs) {
    const child = resolveByName(byName, ref);
    // A reference from the parent's side counts only when the child
    // agrees, or a claim or composite could name someone else's objects
    // and make them its own (in trees and in permission checks); one it
    // does not agree to is left out, not shown as missing.
    if (child && !agreesToParent(child, parent)) continue;
    if (child) {
      if (referenced.has(child.obj)) continue;
      referenced.add(child.obj);
      resolved.push(child);
      children.push({ ref: refOf(child.obj), object: child.obj });
    } else {
      // A kind nobody follows (a composed ConfigMap) is not missing: it
      // is simply not known here.
      if (follows && !follows(ref)) continue;
      const key = `${ref.apiVersion ?? ''}|${ref.kind}|${ref.namespace ?? ''}|${
        ref.name
      }`;
      if (dangling.has(key)) continue;
      dangling.add(key);
      children.push({ ref });
    }
  }
  return { children, referenced, resolved };
}

/**
 * A composite's claim (rule 3 of {@link indexResources}): the one its
 * claimRef names, else the one its claim labels name (unless it is not the
 * root composite).
 */
export function claimOfComposite<E extends IdentifiedObject>(
  byName: ObjectsByName<E>,
  composite: IdentifiedObject,
): E | undefined {
  const claimRef = getClaimRef(composite.obj);
  const claim = claimRef ? resolveByName(byName, claimRef) : undefined;
  if (claim) return claim;
  const labels = labelsOf(composite.obj);
  const claimName = labels[CrossplaneLabels.claimName];
  const claimNs = labels[CrossplaneLabels.claimNamespace];
  const root = labels[CrossplaneLabels.composite];
  if (
    typeof claimName === 'string' &&
    typeof claimNs === 'string' &&
    (root === undefined || root === composite.name)
  ) {
    return findByName(byName, claimName, claimNs, c => c.cls === 'claim');
  }
  return undefined;
}

/**
 * The root composite an object's `crossplane.io/composite` label names
 * (rule 5 of {@link indexResources}): in its namespace, else cluster-scoped.
 */
export function compositeOfLabel<E extends IdentifiedObject>(
  byName: ObjectsByName<E>,
  object: IdentifiedObject,
): E | undefined {
  const root = labelsOf(object.obj)[CrossplaneLabels.composite];
  if (typeof root !== 'string' || root === object.name) return undefined;
  const isComposite = (c: E) => c.cls === 'composite';
  return (
    (object.namespace
      ? findByName(byName, root, object.namespace, isComposite)
      : undefined) ?? findByName(byName, root, '', isComposite)
  );
}

/**
 * Indexes objects for {@link buildResourceTree}: one pass to index, one to
 * find every object's parent, by (in this order) the `resourceRefs` of a
 * composite or the `resourceRef` of a claim, the controller owner
 * reference, a composite's `claimRef` or its `crossplane.io/claim-name` and
 * `crossplane.io/claim-namespace` labels, a claim's or composite's
 * connection Secret, and the `crossplane.io/composite` label. Malformed
 * objects are skipped; of duplicates (same group, kind, namespace and
 * name), the first wins.
 *
 * Objects are found by name first, then namespace, so that no key strings
 * are built: 100,000 objects index in well under a second.
 *
 * @public
 */
export function indexResources(
  objects: readonly unknown[],
  xrds?: readonly Xrd[] | XrdKindIndex,
  options: IndexOptions = {},
): ResourceIndex {
  let kinds: XrdKindIndex | undefined;
  if (Array.isArray(xrds)) kinds = indexXrdKinds(xrds as readonly Xrd[]);
  else if (xrds) kinds = xrds as XrdKindIndex;

  const list: KubernetesObject[] = [];
  const entries = new Map<KubernetesObject, Entry>();
  /** By name: one entry, or all entries of that name (rare). */
  const byName: ObjectsByName<Entry> = new Map();
  const byUid = new Map<string, Entry>();

  const find = (
    name: string,
    namespace: string,
    match: (e: Entry) => boolean,
  ) => findByName(byName, name, namespace, match);

  for (const o of Array.isArray(objects) ? objects : []) {
    if (!validObject(o) || entries.has(o)) continue;
    const name = o.metadata.name;
    const namespace =
      typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
    const group = splitApiVersion(o.apiVersion).group;
    const kind = o.kind;
    if (find(name, namespace, e => e.kind === kind && e.group === group)) {
      continue;
    }
    const entry: Entry = {
      obj: o,
      group,
      kind: o.kind,
      namespace,
      name,
      cls: classifyObject(o, kinds),
    };
    const existing = byName.get(name);
    if (!existing) byName.set(name, entry);
    else if (Array.isArray(existing)) existing.push(entry);
    else byName.set(name, [existing, entry]);
    entries.set(o, entry);
    list.push(o);
    const uid = o.metadata.uid;
    if (typeof uid === 'string' && uid && !byUid.has(uid))
      byUid.set(uid, entry);
  }

  const resolveEntry = (ref: ObjectRef) => resolveByName(byName, ref);

  const setParent = (child: Entry | undefined, p: Entry) => {
    if (child && child !== p && !child.parent) child.parent = p;
  };
  const all = list.map(o => entries.get(o)!);

  // 1. References: composites' resourceRefs, claims' resourceRef.
  for (const e of all) {
    let refs: ObjectRef[];
    if (e.cls === 'composite') refs = getResourceRefs(e.obj);
    else if (e.cls === 'claim') {
      const ref = getCompositeRef(e.obj);
      refs = ref ? [ref] : [];
    } else continue;
    if (refs.length === 0) continue;
    const found = referencedChildren(byName, e, refs, options.follows);
    for (const child of found.resolved) setParent(child, e);
    e.refChildren = found.children;
    e.referenced = found.referenced;
  }

  // 2. Controller owner references.
  for (const e of all) {
    if (e.parent) continue;
    const owners = asArray(e.obj.metadata.ownerReferences).filter(isRecord);
    const owner = owners.find(r => r.controller === true) ?? owners[0];
    if (owner && typeof owner.uid === 'string') {
      const p = byUid.get(owner.uid);
      if (p) setParent(e, p);
    }
  }

  // 3. Claims of root composites.
  for (const e of all) {
    if (e.parent || e.cls !== 'composite') continue;
    const claim = claimOfComposite(byName, e);
    if (claim) setParent(e, claim);
  }

  // 4. Connection secrets of claims and composites.
  for (const e of all) {
    if (e.cls !== 'claim' && e.cls !== 'composite') continue;
    const spec = isRecord(e.obj.spec) ? e.obj.spec : undefined;
    const ref = spec?.writeConnectionSecretToRef;
    if (!isRecord(ref) || typeof ref.name !== 'string') continue;
    const namespace =
      typeof ref.namespace === 'string' ? ref.namespace : e.namespace;
    if (!namespace) continue;
    const secret = find(
      ref.name,
      namespace,
      s => s.kind === 'Secret' && s.group === '',
    );
    if (secret) setParent(secret, e);
  }

  // 5. The composite label: the root composite, when nothing closer is known.
  for (const e of all) {
    if (e.parent) continue;
    const p = compositeOfLabel(byName, e);
    if (p) setParent(e, p);
  }

  for (const e of all) {
    const p = e.parent;
    if (!p || p.referenced?.has(e.obj)) continue;
    (p.others ??= []).push(e.obj);
  }

  const entryOf = (obj: KubernetesObject): Entry | undefined =>
    entries.get(obj);
  return {
    objects: list,
    resolve: ref => resolveEntry(ref)?.obj,
    classOf: obj => entryOf(obj)?.cls ?? classifyObject(obj, kinds),
    healthOf: obj => {
      const e = entryOf(obj);
      if (!e) return computeHealth(obj);
      e.health ??= computeHealth(obj);
      return e.health;
    },
    childrenOf: obj => {
      const e = entryOf(obj);
      if (!e) return [];
      const fromRefs = e.refChildren ?? [];
      if (!e.others) return fromRefs;
      return [
        ...fromRefs,
        ...[...e.others]
          .sort(compareObjects)
          .map(object => ({ ref: refOf(object), object })),
      ];
    },
    parentOf: obj => entryOf(obj)?.parent?.obj,
  };
}
