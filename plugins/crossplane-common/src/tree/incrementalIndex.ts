import { computeHealth } from '../health/computeHealth';
import { Health } from '../health/types';
import { classifyObject, XrdKindIndex } from '../model/classify';
import {
  CrossplaneLabels,
  getClaimRef,
  getCompositeRef,
  getResourceRefs,
} from '../model/crossplane';
import { refOf } from '../model/objectRef';
import { KubernetesObject, ObjectRef } from '../model/types';
import { asArray, isRecord, splitApiVersion } from '../model/util';
import { buildResourceTree } from './buildResourceTree';
import {
  ChildEntry,
  claimOfComposite,
  compareObjects,
  compositeOfLabel,
  findByName,
  IdentifiedObject,
  IndexOptions,
  labelsOf,
  ObjectsByName,
  referencedChildren,
  ResourceIndex,
  resolveByName,
  validObject,
} from './resourceIndex';
import { ResourceTreeNode } from './types';

/**
 * Options of an {@link IncrementalResourceIndex}.
 *
 * @public
 */
export interface IncrementalIndexOptions extends IndexOptions {
  /** The XRDs' kinds, which make objects claims and composites. */
  xrdKinds?: XrdKindIndex;
  /**
   * Where a kind's objects stand in the list a full index would be built
   * from (kinds in this order, each kind's objects in the order they
   * arrived); where that list names no order, kinds in the order first
   * seen. First-wins choices (two parents naming one child) and the order
   * of trees follow it.
   */
  kindRank?: (group: string, kind: string) => number | undefined;
  /**
   * Told of every tree that stops being current (`removed`) or becomes
   * current (`added`) when trees are read; a changed tree is both.
   */
  onTreeChange?: (change: {
    removed?: ResourceTreeNode;
    added?: ResourceTreeNode;
  }) => void;
}

/** What the index knows of one object, kept current as objects change. */
interface Node extends IdentifiedObject {
  rank: number;
  seq: number;
  alive: boolean;
  uid?: string;
  /** The uid its (controller) owner reference names. */
  ownerUid?: string;
  /** Names its parent is looked up by: claimRef, claim and composite labels. */
  lookups: readonly string[];
  /** Names its references (resourceRefs, resourceRef) mention. */
  refNames: readonly string[];
  /** `namespace/name` of its connection Secret (claims and composites). */
  secretKey?: string;
  refChildren?: ChildEntry[];
  referenced?: Set<KubernetesObject>;
  /** The objects its references resolve to and that agree. */
  resolved: readonly Node[];
  /** Nodes whose references resolve to this one (few: an array). */
  refParents?: Node[];
  parent?: Node;
  /** Nodes whose parent this is (made when it has one). */
  children?: Set<Node>;
  health?: Health;
  /** A claim, or a composite of no claim or composite: a tree's root. */
  root: boolean;
  /** Its tree, when it is a root and the tree was built. */
  tree?: ResourceTreeNode;
}

function before(a: Node, b: Node): boolean {
  return a.rank !== b.rank ? a.rank < b.rank : a.seq < b.seq;
}

function compareNodes(a: Node, b: Node): number {
  return a.rank - b.rank || a.seq - b.seq;
}

/** Nodes by a name or uid they link by: few each, so arrays, not sets. */
type NodesBy = Map<string, Node[]>;

function addTo(map: NodesBy, key: string | undefined, node: Node) {
  if (key === undefined) return;
  const list = map.get(key);
  if (!list) map.set(key, [node]);
  else if (!list.includes(node)) list.push(node);
}

function removeFrom(map: NodesBy, key: string | undefined, node: Node) {
  if (key === undefined) return;
  const list = map.get(key);
  if (!list) return;
  const at = list.indexOf(node);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

const NONE: readonly never[] = [];

/** Where a node stands, or would, in an array kept in list order. */
function positionOf(list: Node[], node: Node): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid], node)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: Node[], node: Node) {
  list.splice(positionOf(list, node), 0, node);
}

function removeSorted(list: Node[], node: Node) {
  const at = positionOf(list, node);
  if (list[at] === node) list.splice(at, 1);
}

function isParentClass(node: Node | undefined): boolean {
  return node?.cls === 'claim' || node?.cls === 'composite';
}

function isRoot(node: Node): boolean {
  return (
    node.cls === 'claim' ||
    (node.cls === 'composite' && !isParentClass(node.parent))
  );
}

/**
 * A {@link ResourceIndex} kept current object by object, with the resource
 * trees it roots: an upsert or delete updates the index, finds whose
 * parent or children it may change (by the names, uids and references
 * that link them), and rebuilds only the trees holding a changed object.
 * Its index, trees and their order equal those of {@link indexResources}
 * and {@link buildResourceTrees} over the same objects in list order, by
 * the same rules (see {@link indexResources}); {@link IncrementalResourceIndex.build}
 * is the full build, for a re-list.
 *
 * @public
 */
export class IncrementalResourceIndex implements ResourceIndex {
  readonly #options: IncrementalIndexOptions;
  readonly #byName: ObjectsByName<Node> = new Map();
  readonly #byObject = new Map<KubernetesObject, Node>();
  /** By uid: every node of it, in list order (the first one counts). */
  readonly #byUid = new Map<string, Node[]>();
  readonly #ownedBy: NodesBy = new Map();
  readonly #lookedUpBy: NodesBy = new Map();
  readonly #referencedBy: NodesBy = new Map();
  readonly #secretOf: NodesBy = new Map();
  readonly #ranks = new Map<string, number>();
  /** Roots in list order. */
  readonly #roots: Node[] = [];
  /** Nodes whose own node or children changed since the trees were built. */
  #dirty = new Set<Node>();
  #seq = 0;
  #objects?: KubernetesObject[];
  #trees?: ResourceTreeNode[];

  constructor(options: IncrementalIndexOptions = {}) {
    this.#options = options;
  }

  /** The index of these objects (in list order), built in one pass. */
  static build(
    objects: readonly KubernetesObject[],
    options: IncrementalIndexOptions = {},
  ): IncrementalResourceIndex {
    const index = new IncrementalResourceIndex(options);
    const added: Node[] = [];
    for (const object of objects) {
      const node = index.#insert(object);
      if (node) added.push(node);
    }
    for (const node of added) index.#resolveRefs(node, new Set());
    for (const node of added) index.#reparent(node);
    return index;
  }

  /** The objects in list order. */
  get objects(): readonly KubernetesObject[] {
    if (!this.#objects) {
      const nodes = [...this.#byObject.values()].sort(compareNodes);
      this.#objects = nodes.map(n => n.obj);
    }
    return this.#objects;
  }

  /** The object a reference denotes, if present. */
  resolve(ref: ObjectRef): KubernetesObject | undefined {
    return resolveByName(this.#byName, ref)?.obj;
  }

  /** What an object is. */
  classOf(obj: KubernetesObject) {
    return (
      this.#byObject.get(obj)?.cls ??
      classifyObject(obj, this.#options.xrdKinds)
    );
  }

  /** An object's own health (computed once per version of it). */
  healthOf(obj: KubernetesObject): Health {
    const node = this.#byObject.get(obj);
    if (!node) return computeHealth(obj);
    node.health ??= computeHealth(obj);
    return node.health;
  }

  /** The children of an object: referenced ones first, then owned and labelled ones. */
  childrenOf(obj: KubernetesObject): ChildEntry[] {
    const node = this.#byObject.get(obj);
    if (!node) return [];
    const fromRefs = node.refChildren ?? [];
    const others: KubernetesObject[] = [];
    for (const child of node.children ?? NONE) {
      if (!node.referenced?.has(child.obj)) others.push(child.obj);
    }
    if (others.length === 0) return fromRefs;
    return [
      ...fromRefs,
      ...others
        .sort(compareObjects)
        .map(object => ({ ref: refOf(object), object })),
    ];
  }

  /** The object's parent in the tree, if any. */
  parentOf(obj: KubernetesObject): KubernetesObject | undefined {
    return this.#byObject.get(obj)?.parent?.obj;
  }

  /**
   * Adds an object, or replaces the one of its identity (group, kind,
   * namespace and name); true when it was added.
   */
  upsert(object: KubernetesObject): boolean {
    if (!validObject(object)) return false;
    const existing = this.#nodeOf(object);
    const affected = new Set<Node>();
    if (existing) {
      this.#collectDependents(existing, affected);
      this.#unlink(existing);
      this.#byObject.delete(existing.obj);
      this.#objects = undefined;
      const cls = existing.cls;
      existing.obj = object;
      existing.health = undefined;
      this.#describe(existing);
      this.#byObject.set(object, existing);
      this.#link(existing);
      this.#settle(existing, affected);
      // Whether its children are roots depends on what it is.
      if (existing.cls !== cls)
        existing.children?.forEach(c => this.#dirty.add(c));
      return false;
    }
    this.#settle(this.#insert(object)!, affected);
    return true;
  }

  /** Removes the object of this one's identity; true when it was indexed. */
  remove(object: KubernetesObject): boolean {
    if (!validObject(object)) return false;
    const node = this.#nodeOf(object);
    if (!node) return false;
    const affected = new Set<Node>();
    this.#collectDependents(node, affected);
    this.#unlink(node);
    this.#byObject.delete(node.obj);
    this.#objects = undefined;
    const named = this.#byName.get(node.name)!;
    if (Array.isArray(named)) {
      removeSorted(named, node);
      if (named.length === 1) this.#byName.set(node.name, named[0]);
    } else {
      this.#byName.delete(node.name);
    }
    node.alive = false;
    if (node.root) {
      node.root = false;
      this.#trees = undefined;
      removeSorted(this.#roots, node);
      if (node.tree) this.#options.onTreeChange?.({ removed: node.tree });
      node.tree = undefined;
    }
    this.#settle(node, affected);
    return true;
  }

  /**
   * Every tree in list order: one per claim and one per composite of no
   * claim or composite. Those holding an object that changed since the
   * last read are rebuilt now.
   */
  trees(): ResourceTreeNode[] {
    this.#refreshTrees();
    this.#trees ??= this.#roots.map(n => n.tree!);
    return this.#trees;
  }

  /** The tree an object is the root of, if it is one. */
  treeOf(obj: KubernetesObject): ResourceTreeNode | undefined {
    this.#refreshTrees();
    return this.#byObject.get(obj)?.tree;
  }

  #refreshTrees() {
    if (this.#dirty.size === 0) return;
    this.#trees = undefined;
    const dirty = this.#dirty;
    this.#dirty = new Set();
    const onChange = this.#options.onTreeChange;
    for (const node of dirty) {
      if (!node.alive || isRoot(node) === node.root) continue;
      node.root = !node.root;
      if (node.root) insertSorted(this.#roots, node);
      else {
        removeSorted(this.#roots, node);
        if (node.tree) onChange?.({ removed: node.tree });
        node.tree = undefined;
      }
    }
    // Every tree that holds a changed node: up by parents and references.
    const seen = new Set<Node>();
    const rebuild: Node[] = [];
    for (const node of dirty) {
      const stack = [node];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (!n.alive || seen.has(n)) continue;
        seen.add(n);
        if (n.root) rebuild.push(n);
        if (n.parent) stack.push(n.parent);
        for (const p of n.refParents ?? NONE) stack.push(p);
      }
    }
    for (const node of rebuild) {
      const removed = node.tree;
      node.tree = buildResourceTree(this, refOf(node.obj))!;
      onChange?.({ removed, added: node.tree });
    }
  }

  #nodeOf(object: KubernetesObject): Node | undefined {
    const group = splitApiVersion(object.apiVersion).group;
    const namespace =
      typeof object.metadata.namespace === 'string'
        ? object.metadata.namespace
        : '';
    return findByName(
      this.#byName,
      object.metadata.name,
      namespace,
      n => n.kind === object.kind && n.group === group,
    );
  }

  #rankOf(group: string, kind: string): number {
    const key = `${group}|${kind}`;
    let rank = this.#ranks.get(key);
    if (rank === undefined) {
      rank =
        this.#options.kindRank?.(group, kind) ?? 1_000_000 + this.#ranks.size;
      this.#ranks.set(key, rank);
    }
    return rank;
  }

  /** Indexes a new object (not its parent or children: see #settle). */
  #insert(object: KubernetesObject): Node | undefined {
    if (!validObject(object) || this.#byObject.has(object)) return undefined;
    if (this.#nodeOf(object)) return undefined; // a duplicate: the first wins
    const group = splitApiVersion(object.apiVersion).group;
    const node: Node = {
      obj: object,
      group,
      kind: object.kind,
      namespace:
        typeof object.metadata.namespace === 'string'
          ? object.metadata.namespace
          : '',
      name: object.metadata.name,
      cls: 'other',
      rank: this.#rankOf(group, object.kind),
      seq: this.#seq++,
      alive: true,
      root: false,
      lookups: NONE,
      refNames: NONE,
      resolved: NONE,
    };
    this.#describe(node);
    const named = this.#byName.get(node.name);
    if (!named) this.#byName.set(node.name, node);
    else if (Array.isArray(named)) insertSorted(named, node);
    else {
      const list = [named];
      insertSorted(list, node);
      this.#byName.set(node.name, list);
    }
    this.#byObject.set(object, node);
    this.#objects = undefined;
    this.#link(node);
    return node;
  }

  /** What the parent rules read of a node's own object. */
  #describe(node: Node) {
    const o = node.obj;
    node.cls = classifyObject(o, this.#options.xrdKinds);
    node.uid =
      typeof o.metadata.uid === 'string' && o.metadata.uid
        ? o.metadata.uid
        : undefined;
    const owners = asArray(o.metadata.ownerReferences).filter(isRecord);
    const owner = owners.find(r => r.controller === true) ?? owners[0];
    node.ownerUid =
      owner && typeof owner.uid === 'string' ? owner.uid : undefined;
    const lookups: string[] = [];
    const labels = labelsOf(o);
    if (node.cls === 'composite') {
      const claimRef = getClaimRef(o);
      if (claimRef) lookups.push(claimRef.name);
      const claimName = labels[CrossplaneLabels.claimName];
      if (typeof claimName === 'string') lookups.push(claimName);
    }
    const root = labels[CrossplaneLabels.composite];
    if (typeof root === 'string') lookups.push(root);
    node.lookups = lookups.length > 0 ? lookups : NONE;
    const refs = this.#refsOf(node);
    node.refNames = refs.length > 0 ? refs.map(ref => ref.name) : NONE;
    node.secretKey = undefined;
    if (isParentClass(node)) {
      const spec = isRecord(o.spec) ? o.spec : undefined;
      const ref = spec?.writeConnectionSecretToRef;
      if (isRecord(ref) && typeof ref.name === 'string') {
        const namespace =
          typeof ref.namespace === 'string' ? ref.namespace : node.namespace;
        if (namespace) node.secretKey = `${namespace}/${ref.name}`;
      }
    }
  }

  #refsOf(node: Node): ObjectRef[] {
    if (node.cls === 'composite') return getResourceRefs(node.obj);
    if (node.cls === 'claim') {
      const ref = getCompositeRef(node.obj);
      return ref ? [ref] : [];
    }
    return [];
  }

  #link(node: Node) {
    if (node.uid) {
      const list = this.#byUid.get(node.uid);
      if (!list) this.#byUid.set(node.uid, [node]);
      else insertSorted(list, node);
    }
    addTo(this.#ownedBy, node.ownerUid, node);
    for (const name of node.lookups) addTo(this.#lookedUpBy, name, node);
    for (const name of node.refNames) addTo(this.#referencedBy, name, node);
    addTo(this.#secretOf, node.secretKey, node);
  }

  #unlink(node: Node) {
    if (node.uid) {
      const list = this.#byUid.get(node.uid)!;
      removeSorted(list, node);
      if (list.length === 0) this.#byUid.delete(node.uid);
    }
    removeFrom(this.#ownedBy, node.ownerUid, node);
    for (const name of node.lookups) removeFrom(this.#lookedUpBy, name, node);
    for (const name of node.refNames)
      removeFrom(this.#referencedBy, name, node);
    removeFrom(this.#secretOf, node.secretKey, node);
  }

  /**
   * Nodes whose parent may depend on this one: those that look it up by
   * name or uid, its children, what it references, its connection Secret.
   */
  #collectDependents(node: Node, into: Set<Node>) {
    this.#lookedUpBy.get(node.name)?.forEach(n => into.add(n));
    if (node.uid) this.#ownedBy.get(node.uid)?.forEach(n => into.add(n));
    node.children?.forEach(n => into.add(n));
    node.resolved.forEach(n => into.add(n));
    if (node.secretKey) {
      const slash = node.secretKey.indexOf('/');
      const secret = findByName(
        this.#byName,
        node.secretKey.slice(slash + 1),
        node.secretKey.slice(0, slash),
        s => s.kind === 'Secret' && s.group === '',
      );
      if (secret) into.add(secret);
    }
  }

  /** After a node changed: references, parents and trees that follow. */
  #settle(node: Node, affected: Set<Node>) {
    if (node.alive) this.#collectDependents(node, affected);
    // Parents naming it may now resolve it, to it as it is now, or not.
    const naming = [...(this.#referencedBy.get(node.name) ?? NONE)];
    for (const p of naming) if (p !== node) this.#resolveRefs(p, affected);
    this.#resolveRefs(node, affected);
    if (!node.alive) {
      node.parent?.children?.delete(node);
      if (node.parent) this.#dirty.add(node.parent);
      node.parent = undefined;
    } else {
      affected.add(node);
    }
    for (const n of affected) if (n.alive) this.#reparent(n);
    if (node.alive) this.#dirty.add(node);
  }

  /** Works out a parent's referenced children (rule 1 of indexResources). */
  #resolveRefs(p: Node, affected: Set<Node>) {
    const previous = p.resolved;
    const { children, referenced, resolved } = referencedChildren(
      this.#byName,
      p,
      p.alive ? this.#refsOf(p) : [],
      this.#options.follows,
    );
    p.refChildren = children;
    p.referenced = referenced;
    p.resolved = resolved.length > 0 ? resolved : NONE;
    // Few references, as a rule: a set only for a composite of many.
    const large = previous.length + resolved.length > 32;
    const now = large ? new Set(resolved) : resolved;
    const was = large ? new Set(previous) : previous;
    const has = (nodes: Set<Node> | readonly Node[], n: Node) =>
      nodes instanceof Set ? nodes.has(n) : nodes.includes(n);
    for (const c of previous) {
      if (has(now, c)) continue;
      c.refParents!.splice(c.refParents!.indexOf(p), 1);
      affected.add(c);
    }
    for (const c of resolved) {
      if (has(was, c)) continue;
      (c.refParents ??= []).push(p);
      affected.add(c);
    }
    this.#dirty.add(p);
  }

  /** A node's parent by the rules of indexResources, in their order. */
  #parentOf(c: Node): Node | undefined {
    // 1. The first parent (in list order) whose references name it.
    let first: Node | undefined;
    for (const p of c.refParents ?? NONE) {
      if (p !== c && p.alive && (!first || before(p, first))) first = p;
    }
    if (first) return first;
    // 2. Its (controller) owner.
    if (c.ownerUid) {
      const owner = this.#byUid.get(c.ownerUid)?.[0];
      if (owner && owner !== c) return owner;
    }
    // 3. A composite's claim: its claimRef, else its claim labels.
    if (c.cls === 'composite') {
      const claim = claimOfComposite(this.#byName, c);
      if (claim && claim !== c) return claim;
    }
    // 4. The first claim or composite whose connection Secret it is.
    if (c.kind === 'Secret' && c.group === '') {
      let owner: Node | undefined;
      for (const p of this.#secretOf.get(`${c.namespace}/${c.name}`) ?? NONE) {
        if (p !== c && (!owner || before(p, owner))) owner = p;
      }
      if (owner) return owner;
    }
    // 5. The root composite its label names.
    return compositeOfLabel(this.#byName, c);
  }

  #reparent(c: Node) {
    const parent = this.#parentOf(c);
    if (parent === c.parent) return;
    if (c.parent) {
      c.parent.children?.delete(c);
      this.#dirty.add(c.parent);
    }
    c.parent = parent;
    if (parent) {
      (parent.children ??= new Set()).add(c);
      this.#dirty.add(parent);
    }
    this.#dirty.add(c);
  }
}
