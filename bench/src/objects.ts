/*
 * The benchmark's Crossplane objects, written as Crossplane and a provider
 * would have written them: v1 claims bound to cluster-scoped composites, each
 * composing three managed resources, with the references, labels, owner
 * references and conditions of the real thing. Their CRDs carry Crossplane's
 * categories (claim, composite, managed) but no XRD or provider reconciles
 * them, so the figures measure reading and ingesting alone. The CRDs have no
 * status subresource only so that one request writes an object with its
 * conditions.
 */
import { BenchCluster, kubeCall, kubeRequest, mapLimit } from './kube';

export const GROUP = 'bench.platformops.io';
export const MR_GROUP = 'db.bench.platformops.io';
export const VERSION = 'v1alpha1';
export const NAMESPACES = Array.from({ length: 10 }, (_, i) => `team-${i}`);
export const MR_KINDS = ['Instance', 'SubnetGroup', 'ParameterGroup'];
/** Objects per unit: a claim, its composite and three managed resources. */
export const OBJECTS_PER_UNIT = 2 + MR_KINDS.length;
/**
 * Units per cluster at which each tier ends: the 1k, 10k and 100k sizes over
 * three API servers. Every object carries its unit's tier, so that a smaller
 * size is restored by deleting whole tiers in one request per kind.
 */
const TIER_ENDS = [67, 667, 6667];
export const TIER_LABEL = 'bench.platformops.io/tier';

export function tierOf(index: number, tierEnds = TIER_ENDS): string {
  const tier = tierEnds.findIndex(end => index < end);
  return `t${tier < 0 ? tierEnds.length : tier}`;
}

/** Every twentieth unit fails, so that health and the summary have work. */
export const FAILING_EVERY = 20;

export interface KindSpec {
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  categories: string[];
}

export const CLAIM: KindSpec = {
  group: GROUP,
  kind: 'Database',
  plural: 'databases',
  namespaced: true,
  categories: ['claim'],
};
export const COMPOSITE: KindSpec = {
  group: GROUP,
  kind: 'XDatabase',
  plural: 'xdatabases',
  namespaced: false,
  categories: ['composite'],
};
export const MANAGED: KindSpec[] = MR_KINDS.map(kind => ({
  group: MR_GROUP,
  kind,
  plural: `${kind.toLowerCase()}s`,
  namespaced: false,
  categories: ['crossplane', 'managed', 'bench'],
}));
export const ALL_KINDS = [CLAIM, COMPOSITE, ...MANAGED];

/** The API path listing every object of a kind, in all namespaces. */
export function listPath(kind: KindSpec): string {
  return `/apis/${kind.group}/${VERSION}/${kind.plural}`;
}

export function objectPath(kind: KindSpec, namespace?: string): string {
  return kind.namespaced
    ? `/apis/${kind.group}/${VERSION}/namespaces/${namespace}/${kind.plural}`
    : listPath(kind);
}

export function crd(kind: KindSpec, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}`, ...metadata },
    spec: {
      group: kind.group,
      scope: kind.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        kind: kind.kind,
        plural: kind.plural,
        singular: kind.kind.toLowerCase(),
        listKind: `${kind.kind}List`,
        categories: kind.categories,
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  'x-kubernetes-preserve-unknown-fields': true,
                },
                status: {
                  type: 'object',
                  'x-kubernetes-preserve-unknown-fields': true,
                },
              },
            },
          },
        },
      ],
    },
  };
}

export function conditions(ready: boolean, reason: string, message?: string) {
  const at = '2026-11-01T10:00:00Z';
  return [
    {
      type: 'Synced',
      status: 'True',
      reason: 'ReconcileSuccess',
      lastTransitionTime: at,
    },
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      reason,
      lastTransitionTime: at,
      ...(message ? { message } : {}),
    },
  ];
}

/** A unit's database parameters, the same in every shape. */
export const DB_PARAMETERS = { size: 'small', version: '16', storageGB: 20 };

/** A composite's (v1) or XR's (v2) status: not Ready while its instance fails. */
export function compositeStatus(failing: boolean) {
  return {
    conditions: failing
      ? conditions(false, 'Creating', 'Unready resources: instance')
      : conditions(true, 'Available'),
  };
}

/** A composite's or XR's references to the managed resources it composes. */
export function composedRefs(
  kinds: KindSpec[],
  nameOf: (kind: KindSpec) => string,
) {
  return kinds.map(kind => ({
    apiVersion: `${kind.group}/${VERSION}`,
    kind: kind.kind,
    name: nameOf(kind),
  }));
}

/**
 * A managed resource as its provider leaves it, controlled by the composite
 * or XR that composed it: its `Instance` fails in a failing unit.
 */
export function composedManagedObject(options: {
  kind: KindSpec;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  owner: { kind: KindSpec; name: string; uid: string };
  failing: boolean;
  spec: Record<string, unknown>;
}) {
  const { kind, name, owner } = options;
  const failing = options.failing && kind.kind === 'Instance';
  return {
    apiVersion: `${kind.group}/${VERSION}`,
    kind: kind.kind,
    metadata: {
      name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: options.labels,
      annotations: {
        'crossplane.io/external-name': name,
        'crossplane.io/composition-resource-name': kind.kind.toLowerCase(),
      },
      ownerReferences: [
        {
          apiVersion: `${owner.kind.group}/${VERSION}`,
          kind: owner.kind.kind,
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      forProvider: { region: 'eu-west-1', engine: 'postgres', size: 'small' },
      ...options.spec,
    },
    status: {
      atProvider: { id: name, state: failing ? 'failed' : 'available' },
      conditions: failing
        ? conditions(
            false,
            'ReconcileError',
            'cannot create instance: storage quota exceeded in eu-west-1',
          )
        : conditions(true, 'Available'),
    },
  };
}

/** What every shape's unit has: the object a user creates is its root. */
export interface BenchUnit {
  cluster: string;
  index: number;
  namespace: string;
  /** The claim (v1) or the namespaced XR (v2). */
  rootName: string;
  failing: boolean;
}

export interface Unit extends BenchUnit {
  claimName: string;
  compositeName: string;
}

export function unitOf(cluster: string, index: number): Unit {
  const claimName = `db-${cluster}-${index}`;
  return {
    cluster,
    index,
    claimName,
    rootName: claimName,
    namespace: NAMESPACES[index % NAMESPACES.length],
    compositeName: `${claimName}-x`,
    failing: index % FAILING_EVERY === FAILING_EVERY - 1,
  };
}

function claimObject(unit: Unit) {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: CLAIM.kind,
    metadata: {
      name: unit.claimName,
      namespace: unit.namespace,
      labels: { [TIER_LABEL]: tierOf(unit.index) },
    },
    spec: {
      parameters: DB_PARAMETERS,
      compositionRef: { name: 'databases.bench.platformops.io' },
      compositeDeletePolicy: 'Background',
      resourceRef: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: COMPOSITE.kind,
        name: unit.compositeName,
      },
      writeConnectionSecretToRef: { name: `${unit.claimName}-connection` },
    },
    status: {
      conditions: unit.failing
        ? conditions(
            false,
            'Waiting',
            'Claim is waiting for composite resource to become Ready',
          )
        : conditions(true, 'Available'),
    },
  };
}

function compositeObject(unit: Unit) {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: COMPOSITE.kind,
    metadata: {
      name: unit.compositeName,
      labels: {
        'crossplane.io/claim-name': unit.claimName,
        'crossplane.io/claim-namespace': unit.namespace,
        'crossplane.io/composite': unit.compositeName,
        [TIER_LABEL]: tierOf(unit.index),
      },
    },
    spec: {
      parameters: DB_PARAMETERS,
      compositionRef: { name: 'databases.bench.platformops.io' },
      claimRef: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: CLAIM.kind,
        name: unit.claimName,
        namespace: unit.namespace,
      },
      resourceRefs: composedRefs(MANAGED, kind => managedName(unit, kind)),
    },
    status: compositeStatus(unit.failing),
  };
}

function managedName(unit: Unit, kind: KindSpec): string {
  return `${unit.compositeName}-${kind.kind.toLowerCase()}`;
}

function managedObject(unit: Unit, kind: KindSpec, compositeUid: string) {
  return composedManagedObject({
    kind,
    name: managedName(unit, kind),
    labels: {
      'crossplane.io/claim-name': unit.claimName,
      'crossplane.io/claim-namespace': unit.namespace,
      'crossplane.io/composite': unit.compositeName,
      [TIER_LABEL]: tierOf(unit.index),
    },
    owner: { kind: COMPOSITE, name: unit.compositeName, uid: compositeUid },
    failing: unit.failing,
    spec: {
      providerConfigRef: { name: 'default' },
      deletionPolicy: 'Delete',
      managementPolicies: ['*'],
    },
  });
}

/** Creates an object; one that exists already is left as it is. */
export async function createOnce(
  cluster: BenchCluster,
  path: string,
  body: { metadata: { name: string } },
): Promise<any> {
  const res = await kubeRequest(cluster, 'POST', path, body);
  if (res.status === 201 || res.status === 200) return res.body;
  if (res.status === 409) {
    return kubeCall(cluster, 'GET', `${path}/${body.metadata.name}`);
  }
  throw new Error(
    `POST ${path} on ${cluster.name}: HTTP ${res.status} ${res.body?.message}`,
  );
}

/**
 * The portal reads the benchmark kinds as its least-privilege service
 * account: a role aggregated into platformops-portal-read, as
 * deploy/rbac/portal-kinds.example.yaml describes for a platform's kinds.
 */
export function portalReadRole(kinds: KindSpec[]) {
  const groups = [...new Set(kinds.map(kind => kind.group))];
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'platformops-portal-read-bench-kinds',
      labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
    },
    rules: groups.map(group => ({
      apiGroups: [group],
      resources: kinds
        .filter(kind => kind.group === group)
        .map(kind => kind.plural),
      verbs: ['get', 'list', 'watch'],
    })),
  };
}

/** Installs the benchmark CRDs and namespaces and waits until served. */
async function installKinds(cluster: BenchCluster): Promise<void> {
  for (const kind of ALL_KINDS) {
    await createOnce(
      cluster,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      crd(kind),
    );
  }
  await installAccess(cluster, ALL_KINDS);
}

/**
 * The portal's read role for the kinds and the team namespaces; then waits
 * until every kind is served.
 */
export async function installAccess(
  cluster: BenchCluster,
  kinds: KindSpec[],
): Promise<void> {
  await createOnce(
    cluster,
    '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    portalReadRole(kinds),
  );
  for (const namespace of NAMESPACES) {
    await createOnce(cluster, '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    } as any);
  }
  for (const kind of kinds) {
    for (let attempt = 0; ; attempt++) {
      const res = await kubeRequest(
        cluster,
        'GET',
        `${listPath(kind)}?limit=1`,
      );
      if (res.status === 200) break;
      if (attempt > 100)
        throw new Error(`${kind.kind} is not served on ${cluster.name}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }
}

/** Writes one unit: the composite first (its uid owns the managed resources). */
async function writeUnit(cluster: BenchCluster, unit: Unit): Promise<void> {
  const composite = await createOnce(
    cluster,
    objectPath(COMPOSITE),
    compositeObject(unit),
  );
  await Promise.all(
    MANAGED.map(kind =>
      createOnce(
        cluster,
        objectPath(kind),
        managedObject(unit, kind, composite.metadata.uid),
      ),
    ),
  );
  await createOnce(
    cluster,
    objectPath(CLAIM, unit.namespace),
    claimObject(unit),
  );
}

/**
 * A unit's objects as the API server would serve them, for measurements in
 * process (no cluster): the uids are made up.
 */
export function unitObjects(unit: Unit): Array<Record<string, any>> {
  const uid = (what: string) => `${unit.cluster}-${unit.index}-${what}`;
  const withUid = <T extends { metadata: object }>(
    object: T,
    what: string,
  ) => ({
    ...object,
    metadata: { ...object.metadata, uid: uid(what) },
  });
  return [
    withUid(claimObject(unit), 'claim'),
    withUid(compositeObject(unit), 'composite'),
    ...MANAGED.map(kind =>
      withUid(managedObject(unit, kind, uid('composite')), kind.kind),
    ),
  ];
}

/** Units already written to a cluster (they are written in index order). */
async function countUnits(
  cluster: BenchCluster,
  shape: Shape,
): Promise<number> {
  const list = await kubeCall(
    cluster,
    'GET',
    `${listPath(shape.root)}?limit=1`,
  );
  const remaining = Number(list.metadata?.remainingItemCount ?? 0);
  return list.items.length + remaining;
}

/**
 * Brings a cluster to exactly `units` units. Units are written in order, so a
 * run that was interrupted is completed from a little before the last claim
 * it wrote; units past the size are deleted, whole tiers at a time.
 */
export async function populate(
  cluster: BenchCluster,
  units: number,
  shape: Shape,
  concurrency = 16,
): Promise<number> {
  let existing = await countUnits(cluster, shape);
  if (existing > units) {
    await trim(cluster, units, existing, shape, concurrency);
    existing = await countUnits(cluster, shape);
  }
  const from = Math.max(0, Math.min(existing, units) - concurrency);
  const todo = Array.from({ length: Math.max(0, units - from) }, (_, i) =>
    shape.unitOf(cluster.name, from + i),
  );
  await mapLimit(todo, concurrency, unit => shape.writeUnit(cluster, unit));
  return todo.length;
}

async function trim(
  cluster: BenchCluster,
  units: number,
  existing: number,
  shape: Shape,
  concurrency: number,
): Promise<void> {
  // Whole tiers past the size: one collection delete per kind and tier.
  const tierEnds = shape.tierEnds;
  const tierEnd = tierEnds.find(end => end >= units) ?? Infinity;
  const firstWholeTier = tierEnds.indexOf(tierEnd) + 1;
  if (firstWholeTier > 0) {
    const tiers = Array.from(
      { length: tierEnds.length + 1 - firstWholeTier },
      (_, i) => `t${firstWholeTier + i}`,
    );
    const selector = encodeURIComponent(
      `${TIER_LABEL} in (${tiers.join(',')})`,
    );
    for (const kind of shape.kinds) {
      // Collection deletes are per namespace for namespaced kinds.
      const paths = kind.namespaced
        ? NAMESPACES.map(namespace => objectPath(kind, namespace))
        : [objectPath(kind)];
      for (const path of paths) {
        await kubeCall(cluster, 'DELETE', `${path}?labelSelector=${selector}`);
      }
    }
  }
  // The rest of the size's own tier, unit by unit.
  const last = Math.min(existing, tierEnd);
  const extra = Array.from({ length: Math.max(0, last - units) }, (_, i) =>
    shape.unitOf(cluster.name, units + i),
  );
  await mapLimit(extra, concurrency, unit => shape.deleteUnit(cluster, unit));
}

/** The API paths of a unit's objects, claim first. */
function unitPaths(unit: Unit): string[] {
  return [
    `${objectPath(CLAIM, unit.namespace)}/${unit.claimName}`,
    `${objectPath(COMPOSITE)}/${unit.compositeName}`,
    ...MANAGED.map(kind => `${objectPath(kind)}/${managedName(unit, kind)}`),
  ];
}

/** Deletes objects in order (the root first, as a user would). */
export async function deletePaths(
  cluster: BenchCluster,
  paths: string[],
): Promise<void> {
  for (const path of paths) {
    const res = await kubeRequest(cluster, 'DELETE', path);
    if (res.status >= 300 && res.status !== 404) {
      throw new Error(`DELETE ${path} on ${cluster.name}: HTTP ${res.status}`);
    }
  }
}

/**
 * A way of writing the benchmark's units: what Crossplane v1 writes for a
 * claim, or what Crossplane v2 writes for a namespaced XR (objectsV2.ts).
 * The harness measures every shape the same way through this.
 */
export interface Shape<U extends BenchUnit = BenchUnit> {
  name: 'v1' | 'v2';
  /** Every kind the shape writes, installed on each cluster. */
  kinds: KindSpec[];
  /** The kind of a unit's root: the claim (v1) or the namespaced XR (v2). */
  root: KindSpec;
  /** The catalog's spec.type of a root's entity. */
  rootEntityType: 'crossplane-claim' | 'crossplane-xr';
  /** What the status summary lists, for its floor. */
  summaryKinds: KindSpec[];
  objectsPerUnit: number;
  /** The managed resources' depth below the root in a resource tree. */
  managedDepth: number;
  /** Units per cluster at which each size's tier ends (see TIER_ENDS). */
  tierEnds: number[];
  unitOf(cluster: string, index: number): U;
  /**
   * A unit's API paths in the order a client reads its tree: each group
   * needs the one before (a reference or a uid from it).
   */
  treeReads(unit: U): string[][];
  installKinds(cluster: BenchCluster): Promise<void>;
  writeUnit(cluster: BenchCluster, unit: U): Promise<void>;
  deleteUnit(cluster: BenchCluster, unit: U): Promise<void>;
}

/** Crossplane v1: claim -> cluster-scoped composite -> 3 managed resources. */
export const V1_SHAPE: Shape<Unit> = {
  name: 'v1',
  kinds: ALL_KINDS,
  root: CLAIM,
  rootEntityType: 'crossplane-claim',
  summaryKinds: [CLAIM, COMPOSITE],
  objectsPerUnit: OBJECTS_PER_UNIT,
  managedDepth: 2,
  tierEnds: TIER_ENDS,
  unitOf,
  treeReads(unit) {
    const [claim, composite, ...managed] = unitPaths(unit);
    return [[claim], [composite], managed];
  },
  installKinds,
  writeUnit,
  deleteUnit: (cluster, unit) => deletePaths(cluster, unitPaths(unit)),
};
