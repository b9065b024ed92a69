import {
  CrossplaneClusterStatus,
  CrossplaneResourceSummary,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
} from '../api/types';
import { filterResources } from '../components/ControlPlanePage/resources';

export const clusters: CrossplaneClusterStatus[] = [
  {
    name: 'east',
    reachable: true,
    synced: true,
    kubernetesVersion: 'v1.34.1',
    objectCount: 42,
    failingKinds: ['Bucket.s3.aws.upbound.io'],
  },
  {
    name: 'west',
    reachable: false,
    synced: false,
    objectCount: 7,
    lastError: 'connect ECONNREFUSED 10.0.0.7:6443',
    lastErrorAt: new Date(Date.now() - 120_000).toISOString(),
  },
];

export const resources: CrossplaneResourceSummary[] = [
  {
    cluster: 'east',
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    namespace: 'team-a',
    name: 'orders-db',
    objectClass: 'claim',
    xrd: 'xpostgresqlinstances.database.example.org',
    owner: 'group:default/team-a',
    entityRef: 'resource:team-a/orders-db',
    health: { status: 'Progressing' },
    rolledUpHealth: {
      status: 'Degraded',
      reason: 'ReconcileError',
      message: 'InvalidParameterValue: invalid DB instance class',
    },
    culprit: {
      ref: { kind: 'Instance', name: 'orders-db-8fk2p-rds' },
      health: { status: 'Degraded', reason: 'ReconcileError' },
    },
  },
  {
    cluster: 'west',
    apiVersion: 'storage.example.org/v1alpha1',
    kind: 'Bucket',
    namespace: 'team-b',
    name: 'assets',
    objectClass: 'claim',
    xrd: 'xbuckets.storage.example.org',
    owner: 'group:default/team-b',
    entityRef: 'resource:team-b/assets',
    health: { status: 'Unknown' },
    rolledUpHealth: {
      status: 'Unknown',
      message: 'cluster west is unreachable',
    },
  },
  {
    cluster: 'east',
    apiVersion: 'storage.example.org/v1alpha1',
    kind: 'Bucket',
    namespace: 'team-a',
    name: 'logs',
    objectClass: 'claim',
    xrd: 'xbuckets.storage.example.org',
    owner: 'group:default/team-a',
    health: { status: 'Healthy' },
    rolledUpHealth: { status: 'Healthy' },
  },
];

/** What the backend answers, filters applied. */
export function summaryFor(
  filters: CrossplaneSummaryFilters = {},
  page: CrossplaneSummaryPage = {},
  all: CrossplaneResourceSummary[] = resources,
): CrossplaneSummary {
  const items = filterResources(all, filters);
  const offset = page.offset ?? 0;
  const count = (list: CrossplaneResourceSummary[]) => {
    const counts: CrossplaneSummary['totals'] = {};
    for (const r of list) {
      counts[r.rolledUpHealth.status] =
        (counts[r.rolledUpHealth.status] ?? 0) + 1;
    }
    return counts;
  };
  return {
    generatedAt: new Date().toISOString(),
    totals: count(items),
    byCluster: ['east', 'west'].map(cluster => ({
      cluster,
      counts: count(items.filter(r => r.cluster === cluster)),
    })),
    filters: {
      clusters: ['east', 'west'],
      xrds: [
        'xbuckets.storage.example.org',
        'xpostgresqlinstances.database.example.org',
      ],
      owners: ['group:default/team-a', 'group:default/team-b'],
      namespaces: ['team-a', 'team-b'],
    },
    resources: items.slice(
      offset,
      page.limit === undefined ? undefined : offset + page.limit,
    ),
    page: { offset, limit: page.limit, total: items.length },
  };
}
