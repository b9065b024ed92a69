import { computeHealth } from '../health/computeHealth';
import { healthSeverity } from '../health/compare';
import { Health } from '../health/types';
import { XrdKindIndex, classifyObject, indexXrdKinds } from '../model/classify';
import {
  CrossplaneLabels,
  getClaimRef,
  getCompositeRef,
  getResourceRefs,
} from '../model/crossplane';
import { objectRefKey, objectRefToString } from '../model/objectRef';
import { KubernetesObject, ObjectClass, ObjectRef } from '../model/types';
import { isRecord } from '../model/util';
import { Xrd } from '../model/xrd';
import { ResourceTreeNode } from './types';

interface Entry {
  object: KubernetesObject;
  ref: ObjectRef;
  key: string;
  class: ObjectClass;
  health?: Health;
}

function label(obj: KubernetesObject, key: string): string | undefined {
  const labels = obj.metadata.labels;
  if (!isRecord(labels)) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

function isObjectLike(value: unknown): value is KubernetesObject {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string' &&
    value.metadata.name !== ''
  );
}

function controllerUid(obj: KubernetesObject): string | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (isRecord(r) && r.controller === true && typeof r.uid === 'string')
      return r.uid;
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * An index over a flat list of objects (of one cluster), built once, from
 * which resource trees are assembled: claim → composite → composed
 * resources (nested composites, managed resources, provider-kubernetes
 * Objects, any Kubernetes object), by references (`spec.resourceRef`,
 * `spec.resourceRefs`, `spec.crossplane.resourceRefs`, `spec.claimRef`),
 * controller owner references and Crossplane's labels
 * (`crossplane.io/composite`, `crossplane.io/claim-name`,
 * `crossplane.io/claim-namespace`). Duplicates (same uid, or same group,
 * kind, namespace and name) keep the last one; entries that are not
 * objects are ignored.
 *
 * @public
 */
export class ResourceIndex {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private readonly byUid = new Map<string, Entry>();
  /** kind|namespace|name → entries, for references without apiVersion. */
  private readonly byKindName = new Map<string, Entry[]>();
  private readonly ownedBy = new Map<string, Entry[]>();
  /** namespace|root composite name → entries carrying the composite label. */
  private readonly byCompositeLabel = new Map<string, Entry[]>();
  /** claim namespace|claim name → composites carrying the claim labels. */
  private readonly byClaimLabel = new Map<string, Entry[]>();
  /** claim key → composites whose claimRef names it. */
  private readonly byClaimRef = new Map<string, Entry[]>();
  /** keys referenced as a composed resource or bound composite. */
  private readonly referenced = new Set<string>();
  private readonly kinds: XrdKindIndex | undefined;

  constructor(objects: Iterable<unknown>, xrds?: readonly Xrd[]) {
    this.kinds = xrds ? indexXrdKinds(xrds) : undefined;
    const kept = new Map<string, Entry>();
    const uidToKey = new Map<string, string>();
    for (const raw of objects) {
      if (!isObjectLike(raw)) continue;
      const obj = raw;
      const ref: ObjectRef = {
        apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
        kind: obj.kind,
        name: obj.metadata.name,
      };
      if (
        typeof obj.metadata.namespace === 'string' &&
        obj.metadata.namespace
      ) {
        ref.namespace = obj.metadata.namespace;
      }
      const key = objectRefKey(ref);
      const uid =
        typeof obj.metadata.uid === 'string' ? obj.metadata.uid : undefined;
      if (uid) {
        const previous = uidToKey.get(uid);
        if (previous !== undefined && previous !== key) kept.delete(previous);
        uidToKey.set(uid, key);
      }
      kept.delete(key); // keep insertion order of the last occurrence
      kept.set(key, { object: obj, ref, key, class: 'other' });
    }
    for (const entry of kept.values()) {
      entry.class = classifyObject(entry.object, this.kinds);
      this.entries.push(entry);
      this.byKey.set(entry.key, entry);
      const uid = entry.object.metadata.uid;
      if (typeof uid === 'string' && uid) this.byUid.set(uid, entry);
      push(
        this.byKindName,
        `${entry.ref.kind}|${entry.ref.namespace ?? ''}|${entry.ref.name}`,
        entry,
      );
    }
    for (const entry of this.entries) this.link(entry);
  }

  private link(entry: Entry) {
    const obj = entry.object;
    const owner = controllerUid(obj);
    if (owner) push(this.ownedBy, owner, entry);
    const root = label(obj, CrossplaneLabels.composite);
    if (root !== undefined) {
      push(
        this.byCompositeLabel,
        `${entry.ref.namespace ?? ''}|${root}`,
        entry,
      );
      if (entry.ref.namespace) push(this.byCompositeLabel, `*|${root}`, entry);
    }
    if (entry.class === 'composite') {
      const claimName = label(obj, CrossplaneLabels.claimName);
      const claimNs = label(obj, CrossplaneLabels.claimNamespace);
      if (claimName && claimNs)
        push(this.byClaimLabel, `${claimNs}|${claimName}`, entry);
      const claimRef = getClaimRef(obj);
      if (claimRef) push(this.byClaimRef, this.refKey(claimRef), entry);
      for (const r of getResourceRefs(obj)) this.referenced.add(this.refKey(r));
    }
    if (entry.class === 'claim') {
      const ref = getCompositeRef(obj);
      if (ref) this.referenced.add(this.refKey(ref));
    }
  }

  private refKey(ref: ObjectRef): string {
    return objectRefKey(ref);
  }

  /** Number of distinct objects indexed. */
  get size(): number {
    return this.entries.length;
  }

  /** Finds an object by reference; the apiVersion, when given, must match its group. */
  find(ref: ObjectRef): KubernetesObject | undefined {
    return this.resolve(ref)?.object;
  }

  private resolve(ref: ObjectRef): Entry | undefined {
    if (
      !isRecord(ref) ||
      typeof ref.kind !== 'string' ||
      typeof ref.name !== 'string'
    ) {
      return undefined;
    }
    if (ref.apiVersion) {
      const hit = this.byKey.get(objectRefKey(ref));
      if (hit) return hit;
      // A composed resource in a namespaced composite may be cluster-scoped.
      if (ref.namespace) {
        const { namespace: _ns, ...clusterRef } = ref;
        return this.byKey.get(objectRefKey(clusterRef));
      }
      return undefined;
    }
    return this.byKindName.get(
      `${ref.kind}|${ref.namespace ?? ''}|${ref.name}`,
    )?.[0];
  }

  private healthOf(entry: Entry): Health {
    if (!entry.health) entry.health = computeHealth(entry.object);
    return entry.health;
  }

  /** The composites bound to a claim that has no (resolvable) resourceRef. */
  private compositesOfClaim(claim: Entry): Entry[] {
    const byRef = this.byClaimRef.get(claim.key);
    if (byRef && byRef.length > 0) return byRef;
    const byLabel =
      this.byClaimLabel.get(`${claim.ref.namespace ?? ''}|${claim.ref.name}`) ??
      [];
    // Nested composites carry the claim labels too; the bound one is the root.
    return byLabel.filter(c => {
      const root = label(c.object, CrossplaneLabels.composite);
      return (root === undefined || root === c.ref.name) && !this.hasParent(c);
    });
  }

  /** Whether a composite or composed resource has a parent in the index. */
  private hasParent(entry: Entry): boolean {
    if (this.referenced.has(entry.key)) return true;
    if (
      entry.ref.namespace &&
      this.referenced.has(objectRefKey({ ...entry.ref, namespace: undefined }))
    ) {
      return true;
    }
    const owner = controllerUid(entry.object);
    return owner !== undefined && this.byUid.has(owner);
  }

  /** Children of an entry, as entries or dangling references. */
  private childrenOf(entry: Entry): (Entry | ObjectRef)[] {
    const out: (Entry | ObjectRef)[] = [];
    const seen = new Set<string>();
    const add = (e: Entry | undefined, ref?: ObjectRef) => {
      if (e) {
        if (e === entry || seen.has(e.key)) return;
        seen.add(e.key);
        out.push(e);
      } else if (ref) {
        const k = `missing:${objectRefKey(ref)}`;
        if (seen.has(k)) return;
        seen.add(k);
        out.push(ref);
      }
    };
    if (entry.class === 'claim') {
      const ref = getCompositeRef(entry.object);
      if (ref) add(this.resolve(ref), ref);
      else for (const c of this.compositesOfClaim(entry)) add(c);
      return out;
    }
    if (entry.class === 'composite') {
      for (const ref of getResourceRefs(entry.object))
        add(this.resolve(ref), ref);
    }
    const uid = entry.object.metadata.uid;
    if (typeof uid === 'string' && uid) {
      for (const child of this.ownedBy.get(uid) ?? []) {
        if (child.class !== 'claim') add(child);
      }
    }
    if (entry.class === 'composite') {
      const root = label(entry.object, CrossplaneLabels.composite);
      if (root === undefined || root === entry.ref.name) {
        const scope = entry.ref.namespace ?? '*';
        const labelled =
          this.byCompositeLabel.get(`${scope}|${entry.ref.name}`) ?? [];
        const clusterScoped = entry.ref.namespace
          ? []
          : this.byCompositeLabel.get(`|${entry.ref.name}`) ?? [];
        for (const list of [clusterScoped, labelled]) {
          for (const child of list) {
            if (
              child === entry ||
              child.class === 'claim' ||
              this.hasParent(child)
            )
              continue;
            add(child);
          }
        }
      }
    }
    return out;
  }

  private missingNode(ref: ObjectRef, parent: Entry): ResourceTreeNode {
    const object: KubernetesObject = {
      apiVersion: ref.apiVersion ?? '',
      kind: ref.kind,
      metadata: ref.namespace
        ? { name: ref.name, namespace: ref.namespace }
        : { name: ref.name },
    };
    const cls: ObjectClass =
      parent.class === 'claim'
        ? 'composite'
        : classifyObject(object, this.kinds);
    const health: Health = {
      status: 'Unknown',
      reason: 'NotFound',
      message: `${objectRefToString(ref)} is referenced by ${objectRefToString(
        parent.ref,
      )} but was not found`,
    };
    return {
      object,
      ref: { ...ref },
      class: cls,
      health,
      rolledUpHealth: health,
      culpritPath: [{ ...ref }],
      children: [],
      missing: true,
    };
  }

  /**
   * The tree under an object, or undefined when the object is not in the
   * index. Every object appears at most once in a tree; cycles are cut.
   */
  tree(root: ObjectRef): ResourceTreeNode | undefined {
    const start = this.resolve(root);
    if (!start) return undefined;
    return this.build(start);
  }

  private node(entry: Entry): ResourceTreeNode {
    const health = this.healthOf(entry);
    return {
      object: entry.object,
      ref: publicRef(entry.ref),
      class: entry.class,
      health,
      rolledUpHealth: health,
      children: [],
    };
  }

  private build(start: Entry): ResourceTreeNode {
    const visited = new Set<Entry>([start]);
    const rootNode = this.node(start);
    // Iterative depth-first walk: [entry, node, pending children, index].
    type Frame = {
      entry: Entry;
      node: ResourceTreeNode;
      pending: (Entry | ObjectRef)[];
      i: number;
    };
    const stack: Frame[] = [
      { entry: start, node: rootNode, pending: this.childrenOf(start), i: 0 },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.i < frame.pending.length) {
        const next = frame.pending[frame.i++];
        if ('object' in next && 'key' in next) {
          const child = next as Entry;
          if (visited.has(child)) continue;
          visited.add(child);
          const childNode = this.node(child);
          frame.node.children.push(childNode);
          stack.push({
            entry: child,
            node: childNode,
            pending: this.childrenOf(child),
            i: 0,
          });
        } else {
          frame.node.children.push(
            this.missingNode(next as ObjectRef, frame.entry),
          );
        }
        continue;
      }
      rollUp(frame.node);
      stack.pop();
    }
    return rootNode;
  }

  /**
   * Every root: each claim, and each composite that is neither bound to a
   * claim in the index nor composed by another composite.
   */
  trees(): ResourceTreeNode[] {
    const roots: ResourceTreeNode[] = [];
    for (const entry of this.entries) {
      if (entry.class === 'claim') {
        roots.push(this.build(entry));
      } else if (
        entry.class === 'composite' &&
        !this.hasParent(entry) &&
        !this.boundClaim(entry)
      ) {
        roots.push(this.build(entry));
      }
    }
    return roots;
  }

  private boundClaim(entry: Entry): boolean {
    const claimRef = getClaimRef(entry.object);
    if (claimRef && this.resolve(claimRef)) return true;
    const claimName = label(entry.object, CrossplaneLabels.claimName);
    const claimNs = label(entry.object, CrossplaneLabels.claimNamespace);
    if (!claimName || !claimNs) return false;
    return this.claimExists(claimNs, claimName, entry);
  }

  private claimExists(
    namespace: string,
    name: string,
    composite: Entry,
  ): boolean {
    // The claim kind is not on the composite; look for any claim of that
    // name in that namespace whose resourceRef (if any) names this composite.
    const candidates = this.claimsByNsName().get(`${namespace}|${name}`) ?? [];
    return candidates.some(c => {
      const ref = getCompositeRef(c.object);
      return !ref || ref.name === composite.ref.name;
    });
  }

  private claimIndex?: Map<string, Entry[]>;

  private claimsByNsName(): Map<string, Entry[]> {
    if (!this.claimIndex) {
      this.claimIndex = new Map();
      for (const e of this.entries) {
        if (e.class === 'claim')
          push(this.claimIndex, `${e.ref.namespace ?? ''}|${e.ref.name}`, e);
      }
    }
    return this.claimIndex;
  }
}

function publicRef(ref: ObjectRef): ObjectRef {
  const out: ObjectRef = { ...ref };
  if (!out.apiVersion) delete out.apiVersion;
  return out;
}

/** Rolls the worst health of the children up into a node; children first on ties. */
function rollUp(node: ResourceTreeNode) {
  let rolled = node.health;
  let path: ObjectRef[] | undefined =
    healthSeverity(rolled.status) > 0 ? [node.ref] : undefined;
  for (const child of node.children) {
    const severity = healthSeverity(child.rolledUpHealth.status);
    const current = healthSeverity(rolled.status);
    // Worse wins; on a tie with the node itself, the child (the cause) wins.
    if (
      severity > 0 &&
      (severity > current || (severity === current && path?.length === 1))
    ) {
      rolled = child.rolledUpHealth;
      path = [node.ref, ...(child.culpritPath ?? [child.ref])];
    }
  }
  node.rolledUpHealth = rolled;
  if (path) node.culpritPath = path;
}
