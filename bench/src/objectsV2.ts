/*
 * The benchmark's objects as Crossplane v2 writes them: namespaced XRs in
 * team namespaces (an apiextensions.crossplane.io/v2 XRD with scope
 * Namespaced), each composing three namespaced `.m.` managed resources that
 * it controls, no claims. Like the v1 shape (objects.ts), nothing reconciles
 * them: the instances run Crossplane v2 (its XRD API is needed), so the XR's
 * CRD is written here and controlled by another object, which makes
 * Crossplane's XRD reconcile stop before it adopts the CRD or starts an XR
 * controller; the XRD's status is written as Crossplane writes it once
 * established.
 */
import { BenchCluster, kubeCall } from './kube';
import {
  BenchUnit,
  FAILING_EVERY,
  KindSpec,
  MR_KINDS,
  NAMESPACES,
  Shape,
  TIER_LABEL,
  VERSION,
  DB_PARAMETERS,
  composedManagedObject,
  composedRefs,
  compositeStatus,
  createOnce,
  crd,
  deletePaths,
  installAccess,
  objectPath,
  tierOf,
} from './objects';

const XR_GROUP = 'bench.platformops.io';
const MR_GROUP = 'db.m.bench.platformops.io';
const COMPOSITION = 'appdatabases.bench.platformops.io';
/**
 * The 1k, 10k and 100k sizes over three API servers at four objects a unit
 * (v1's tiers are for five).
 */
const TIER_ENDS = [84, 834, 8334];
/**
 * Cluster-scoped owner of the XR's CRD. Crossplane applies an XRD's CRD only
 * when no other controller holds it; the garbage collector keeps a dependent
 * whose owner exists.
 */
const CRD_OWNER_NAMESPACE = 'platformops-bench-definitions';

export const XR: KindSpec = {
  group: XR_GROUP,
  kind: 'AppDatabase',
  plural: 'appdatabases',
  namespaced: true,
  categories: ['composite'],
};
const MANAGED: KindSpec[] = MR_KINDS.map(kind => ({
  group: MR_GROUP,
  kind,
  plural: `${kind.toLowerCase()}s`,
  namespaced: true,
  categories: ['crossplane', 'managed', 'bench'],
}));
const KINDS = [XR, ...MANAGED];

export interface UnitV2 extends BenchUnit {
  xrName: string;
}

function unitOf(cluster: string, index: number): UnitV2 {
  const xrName = `db-${cluster}-${index}`;
  return {
    cluster,
    index,
    namespace: NAMESPACES[index % NAMESPACES.length],
    xrName,
    rootName: xrName,
    failing: index % FAILING_EVERY === FAILING_EVERY - 1,
  };
}

function managedName(unit: UnitV2, kind: KindSpec): string {
  return `${unit.xrName}-${kind.kind.toLowerCase()}`;
}

function xrd() {
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `${XR.plural}.${XR.group}` },
    spec: {
      group: XR.group,
      names: { kind: XR.kind, plural: XR.plural },
      scope: 'Namespaced',
      defaultCompositionRef: { name: COMPOSITION },
      versions: [
        {
          name: VERSION,
          served: true,
          referenceable: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    parameters: {
                      type: 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/** The XRD's status once Crossplane has established it and watches its XRs. */
const XRD_STATUS = {
  status: {
    conditions: [
      {
        type: 'Established',
        status: 'True',
        reason: 'WatchingCompositeResource',
        lastTransitionTime: '2026-11-01T10:00:00Z',
      },
    ],
    controllers: {
      compositeResourceClaimType: { apiVersion: '', kind: '' },
      compositeResourceType: {
        apiVersion: `${XR.group}/${VERSION}`,
        kind: XR.kind,
      },
    },
  },
};

async function installKinds(cluster: BenchCluster): Promise<void> {
  const owner = await createOnce(cluster, '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: CRD_OWNER_NAMESPACE },
  } as any);
  const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  await createOnce(
    cluster,
    crds,
    crd(XR, {
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: CRD_OWNER_NAMESPACE,
          uid: owner.metadata.uid,
          controller: true,
        },
      ],
    }),
  );
  for (const kind of MANAGED) await createOnce(cluster, crds, crd(kind));
  const xrds =
    '/apis/apiextensions.crossplane.io/v2/compositeresourcedefinitions';
  const definition = xrd();
  await createOnce(cluster, xrds, definition);
  await kubeCall(
    cluster,
    'PATCH',
    `${xrds}/${definition.metadata.name}/status`,
    XRD_STATUS,
    'application/merge-patch+json',
  );
  await installAccess(cluster, KINDS);
}

function xrObject(unit: UnitV2) {
  return {
    apiVersion: `${XR.group}/${VERSION}`,
    kind: XR.kind,
    metadata: {
      name: unit.xrName,
      namespace: unit.namespace,
      labels: {
        'crossplane.io/composite': unit.xrName,
        [TIER_LABEL]: tierOf(unit.index, TIER_ENDS),
      },
    },
    spec: {
      parameters: DB_PARAMETERS,
      crossplane: {
        compositionRef: { name: COMPOSITION },
        compositionRevisionRef: { name: `${COMPOSITION}-c6c41e7` },
        compositionUpdatePolicy: 'Automatic',
        resourceRefs: composedRefs(MANAGED, kind => managedName(unit, kind)),
      },
    },
    status: compositeStatus(unit.failing),
  };
}

function managedObject(unit: UnitV2, kind: KindSpec, xrUid: string) {
  return composedManagedObject({
    kind,
    name: managedName(unit, kind),
    namespace: unit.namespace,
    labels: {
      'crossplane.io/composite': unit.xrName,
      [TIER_LABEL]: tierOf(unit.index, TIER_ENDS),
    },
    owner: { kind: XR, name: unit.xrName, uid: xrUid },
    failing: unit.failing,
    spec: {
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
      managementPolicies: ['*'],
    },
  });
}

function unitPaths(unit: UnitV2): string[] {
  return [
    `${objectPath(XR, unit.namespace)}/${unit.xrName}`,
    ...MANAGED.map(
      kind => `${objectPath(kind, unit.namespace)}/${managedName(unit, kind)}`,
    ),
  ];
}

/** Writes one unit: the XR first (its uid owns the managed resources). */
async function writeUnit(cluster: BenchCluster, unit: UnitV2): Promise<void> {
  const xr = await createOnce(
    cluster,
    objectPath(XR, unit.namespace),
    xrObject(unit),
  );
  await Promise.all(
    MANAGED.map(kind =>
      createOnce(
        cluster,
        objectPath(kind, unit.namespace),
        managedObject(unit, kind, xr.metadata.uid),
      ),
    ),
  );
}

/** Crossplane v2: namespaced XR -> 3 namespaced `.m.` managed resources. */
export const V2_SHAPE: Shape<UnitV2> = {
  name: 'v2',
  kinds: KINDS,
  root: XR,
  rootEntityType: 'crossplane-xr',
  summaryKinds: [XR],
  objectsPerUnit: KINDS.length,
  managedDepth: 1,
  tierEnds: TIER_ENDS,
  unitOf,
  treeReads(unit) {
    const [xr, ...managed] = unitPaths(unit);
    return [[xr], managed];
  },
  installKinds,
  writeUnit,
  deleteUnit: (cluster, unit) => deletePaths(cluster, unitPaths(unit)),
};
