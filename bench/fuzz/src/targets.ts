/*
 * The real objects the fuzz starts from, so that a good share of requests
 * reach real objects: every claim and composite of the portal's summary and
 * every node of their trees, plus objects that are not Crossplane's (Secrets,
 * workloads, namespaces, XRDs), read from the cluster as its admin.
 */
import { BenchCluster, kubeCall } from '../../src/kube';

export interface Target {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** As the portal classes it: `claim`, `composite`, `managed`, ... */
  objectClass?: string;
  /** `crossplane` from the portal; `other` read from the cluster. */
  source: 'crossplane' | 'other';
}

export interface SummaryFilters {
  clusters: string[];
  xrds: string[];
  owners: string[];
  namespaces: string[];
  health: string[];
}

export type PortalGet = (
  path: string,
) => Promise<{ status: number; body: any }>;

const key = (t: Target) =>
  [t.cluster, t.apiVersion, t.kind, t.namespace ?? '', t.name].join('|');

/** Sorted and without duplicates, so that a seed gives the same requests. */
function normalize(targets: Target[]): Target[] {
  const byKey = new Map(targets.map(t => [key(t), t]));
  return [...byKey.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

export async function crossplaneTargets(
  get: PortalGet,
): Promise<{ targets: Target[]; filters: SummaryFilters }> {
  const summary = await get('/api/crossplane/summary');
  if (summary.status !== 200) {
    throw new Error(
      `GET /summary: HTTP ${summary.status} ${JSON.stringify(summary.body)}`,
    );
  }
  const targets: Target[] = [];
  for (const r of summary.body.resources ?? []) {
    targets.push({
      ...pick(r, r.cluster),
      objectClass: r.objectClass,
      source: 'crossplane',
    });
    const query = new URLSearchParams({
      cluster: r.cluster,
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
    });
    const tree = await get(`/api/crossplane/tree?${query}`);
    const walk = (node: any) => {
      if (!node?.ref) return;
      if (node.ref.apiVersion) {
        targets.push({
          ...pick(node.ref, r.cluster),
          objectClass: node.objectClass,
          source: 'crossplane',
        });
      }
      for (const child of node.children ?? []) walk(child);
    };
    if (tree.status === 200) walk(tree.body.root);
  }
  const f = summary.body.filters ?? {};
  return {
    targets: normalize(targets),
    filters: {
      clusters: f.clusters ?? [],
      xrds: f.xrds ?? [],
      owners: f.owners ?? [],
      namespaces: f.namespaces ?? [],
      health: Object.keys(summary.body.totals ?? {}).sort(),
    },
  };
}

function pick(ref: any, cluster: string) {
  return {
    cluster,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}

/** Lists that hold objects a status route must not serve, or only redacted. */
const OTHER_LISTS: { apiVersion: string; kind: string; path: string }[] = [
  ...['team-alpha', 'team-beta', 'crossplane-system'].flatMap(ns => [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      path: `/api/v1/namespaces/${ns}/secrets`,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      path: `/api/v1/namespaces/${ns}/configmaps`,
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      path: `/api/v1/namespaces/${ns}/serviceaccounts`,
    },
  ]),
  ...['team-alpha', 'team-beta'].flatMap(ns => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      path: `/api/v1/namespaces/${ns}/services`,
    },
  ]),
  { apiVersion: 'v1', kind: 'Namespace', path: '/api/v1/namespaces' },
  {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    path: '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
  },
  {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    path: '/apis/apiextensions.crossplane.io/v1/compositions',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=5',
  },
];

/** At most this many objects of each list above. */
const PER_LIST = 6;

export async function otherTargets(cluster: BenchCluster): Promise<Target[]> {
  const targets: Target[] = [];
  for (const list of OTHER_LISTS) {
    const body = await kubeCall(cluster, 'GET', list.path);
    const names = (body.items ?? [])
      .map((item: any) => item.metadata)
      .sort((a: any, b: any) => a.name.localeCompare(b.name))
      .slice(0, PER_LIST);
    for (const m of names) {
      targets.push({
        cluster: cluster.name,
        apiVersion: list.apiVersion,
        kind: list.kind,
        ...(m.namespace ? { namespace: m.namespace } : {}),
        name: m.name,
        source: 'other',
      });
    }
  }
  return normalize(targets);
}
