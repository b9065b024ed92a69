import { computeHealth } from '../health/computeHealth';
import { Health } from '../health/types';
import { indexXrdKinds, classifyObject, XrdKindIndex } from '../model/classify';
import {
  CrossplaneLabels,
  getClaimRef,
  getCompositeRef,
  getResourceRefs,
} from '../model/crossplane';
import { objectRefKey, refOf } from '../model/objectRef';
import { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';
import { asArray, isRecord, splitApiVersion } from '../model/util';
import { Xrd } from '../model/xrd';

/** A child of an object: resolved, or a dangling reference. */
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

function validObject(o: unknown): o is KubernetesObject {
  return (
    isRecord(o) &&
    typeof o.kind === 'string' &&
    o.kind !== '' &&
    isRecord(o.metadata) &&
    typeof o.metadata.name === 'string' &&
    o.metadata.name !== ''
  );
}

function labelsOf(o: KubernetesObject): Record<string, unknown> {
  return isRecord(o.metadata.labels) ? o.metadata.labels : {};
}

function groupKindNsName(ref: ObjectRef): string {
  return `${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

function groupKindName(ref: ObjectRef): string {
  return `${splitApiVersion(ref.apiVersion).group}|${ref.kind}|${ref.name}`;
}

function byName(a: KubernetesObject, b: KubernetesObject): number {
  const ka = `${a.kind}/${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.kind}/${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
}

/**
 * Indexes objects for {@link buildResourceTree}: one pass to index, one to
 * find every object's parent, by (in this order) the `resourceRefs` of a
 * composite or the `resourceRef` of a claim, the controller owner
 * reference, a composite's `claimRef` or its `crossplane.io/claim-name` and
 * `crossplane.io/claim-namespace` labels, a claim's or composite's
 * connection Secret, and the `crossplane.io/composite` label. Malformed
 * objects are skipped; of duplicates, the first wins.
 *
 * @public
 */
export function indexResources(
  objects: readonly unknown[],
  xrds?: readonly Xrd[] | XrdKindIndex,
): ResourceIndex {
  let kinds: XrdKindIndex | undefined;
  if (Array.isArray(xrds)) kinds = indexXrdKinds(xrds as readonly Xrd[]);
  else if (xrds) kinds = xrds as XrdKindIndex;
  const list: KubernetesObject[] = [];
  const byKey = new Map<string, KubernetesObject>();
  const byKindNsName = new Map<string, KubernetesObject>();
  const byGroupKindName = new Map<string, KubernetesObject>();
  const byUid = new Map<string, KubernetesObject>();
  const classes = new Map<KubernetesObject, ObjectClass>();
  const claimsByNsName = new Map<string, KubernetesObject>();
  const compositesByNsName = new Map<string, KubernetesObject>();

  for (const o of Array.isArray(objects) ? objects : []) {
    if (!validObject(o)) continue;
    const ref = refOf(o);
    const key = objectRefKey(ref);
    if (byKey.has(key)) continue;
    byKey.set(key, o);
    list.push(o);
    const kns = groupKindNsName(ref);
    if (!byKindNsName.has(kns)) byKindNsName.set(kns, o);
    const gkn = groupKindName(ref);
    if (!byGroupKindName.has(gkn)) byGroupKindName.set(gkn, o);
    const uid = o.metadata.uid;
    if (typeof uid === 'string' && uid && !byUid.has(uid)) byUid.set(uid, o);
    const cls = classifyObject(o, kinds);
    classes.set(o, cls);
    const nsName = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (cls === 'claim' && !claimsByNsName.has(nsName))
      claimsByNsName.set(nsName, o);
    if (cls === 'composite' && !compositesByNsName.has(nsName)) {
      compositesByNsName.set(nsName, o);
    }
  }

  const resolve = (ref: ObjectRef): KubernetesObject | undefined => {
    if (
      !isRecord(ref) ||
      typeof ref.kind !== 'string' ||
      typeof ref.name !== 'string'
    ) {
      return undefined;
    }
    const exact = byKey.get(objectRefKey(ref));
    if (exact) return exact;
    if (!ref.apiVersion) return byKindNsName.get(groupKindNsName(ref));
    if (!ref.namespace) return byGroupKindName.get(groupKindName(ref));
    // A namespace on a reference to a cluster-scoped object.
    const loose = byGroupKindName.get(groupKindName(ref));
    return loose && !loose.metadata.namespace ? loose : undefined;
  };

  const refChildren = new Map<KubernetesObject, ChildEntry[]>();
  const parent = new Map<KubernetesObject, KubernetesObject>();
  const setParent = (
    child: KubernetesObject | undefined,
    p: KubernetesObject,
  ) => {
    if (child && child !== p && !parent.has(child)) parent.set(child, p);
  };

  // 1. References: composites' resourceRefs, claims' resourceRef.
  for (const o of list) {
    const cls = classes.get(o);
    let refs: ObjectRef[] = [];
    if (cls === 'composite') refs = getResourceRefs(o);
    else if (cls === 'claim') {
      const ref = getCompositeRef(o);
      if (ref) refs = [ref];
    } else continue;
    const entries: ChildEntry[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const key = objectRefKey(ref);
      if (seen.has(key)) continue;
      seen.add(key);
      const object = resolve(ref);
      entries.push(object ? { ref: refOf(object), object } : { ref });
      setParent(object, o);
    }
    if (entries.length > 0) refChildren.set(o, entries);
  }

  // 2. Controller owner references.
  for (const o of list) {
    if (parent.has(o)) continue;
    const owners = asArray(o.metadata.ownerReferences).filter(isRecord);
    const owner = owners.find(r => r.controller === true) ?? owners[0];
    if (owner && typeof owner.uid === 'string') {
      const p = byUid.get(owner.uid);
      if (p) setParent(o, p);
    }
  }

  // 3. Claims of root composites.
  for (const o of list) {
    if (parent.has(o) || classes.get(o) !== 'composite') continue;
    const claimRef = getClaimRef(o);
    const claim = claimRef ? resolve(claimRef) : undefined;
    if (claim) {
      setParent(o, claim);
      continue;
    }
    const labels = labelsOf(o);
    const claimName = labels[CrossplaneLabels.claimName];
    const claimNs = labels[CrossplaneLabels.claimNamespace];
    const root = labels[CrossplaneLabels.composite];
    if (
      typeof claimName === 'string' &&
      typeof claimNs === 'string' &&
      (root === undefined || root === o.metadata.name)
    ) {
      const byLabel = claimsByNsName.get(`${claimNs}/${claimName}`);
      if (byLabel) setParent(o, byLabel);
    }
  }

  // 4. Connection secrets of claims and composites.
  for (const o of list) {
    const cls = classes.get(o);
    if (cls !== 'claim' && cls !== 'composite') continue;
    const spec = isRecord(o.spec) ? o.spec : undefined;
    const ref = spec?.writeConnectionSecretToRef;
    if (!isRecord(ref) || typeof ref.name !== 'string') continue;
    const namespace =
      typeof ref.namespace === 'string' ? ref.namespace : o.metadata.namespace;
    if (!namespace) continue;
    const secret = byKey.get(`|Secret|${namespace}|${ref.name}`);
    if (secret && !parent.has(secret)) setParent(secret, o);
  }

  // 5. The composite label: the root composite, when nothing closer is known.
  for (const o of list) {
    if (parent.has(o)) continue;
    const root = labelsOf(o)[CrossplaneLabels.composite];
    if (typeof root !== 'string' || root === o.metadata.name) continue;
    const p =
      compositesByNsName.get(`${o.metadata.namespace ?? ''}/${root}`) ??
      compositesByNsName.get(`/${root}`);
    if (p) setParent(o, p);
  }

  const otherChildren = new Map<KubernetesObject, KubernetesObject[]>();
  for (const o of list) {
    const p = parent.get(o);
    if (!p) continue;
    const referenced = refChildren.get(p)?.some(e => e.object === o);
    if (referenced) continue;
    const siblings = otherChildren.get(p);
    if (siblings) siblings.push(o);
    else otherChildren.set(p, [o]);
  }

  const health = new Map<KubernetesObject, Health>();
  return {
    objects: list,
    resolve,
    classOf: obj => classes.get(obj) ?? classifyObject(obj, kinds),
    healthOf: obj => {
      let h = health.get(obj);
      if (!h) {
        h = computeHealth(obj);
        health.set(obj, h);
      }
      return h;
    },
    childrenOf: obj => {
      const fromRefs = refChildren.get(obj) ?? [];
      const others = otherChildren.get(obj);
      if (!others) return fromRefs;
      return [
        ...fromRefs,
        ...[...others]
          .sort(byName)
          .map(object => ({ ref: refOf(object), object })),
      ];
    },
    parentOf: obj => parent.get(obj),
  };
}
