import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { postgresXrd } from '@platformops/plugin-crossplane-node/testUtils';

export function crd(
  kind: string,
  plural: string,
  group: string,
  categories: string[],
  scope: string,
  version = 'v1alpha1',
): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, categories },
      versions: [{ name: version, served: true, storage: true }],
    },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  };
}

export const ready = (reason = 'Available') => ({
  type: 'Ready',
  status: 'True',
  reason,
});
export const synced = {
  type: 'Synced',
  status: 'True',
  reason: 'ReconcileSuccess',
};

export function claim(
  name: string,
  namespace: string,
  xr: string,
  owner: string,
  conditions: object[],
): KubernetesObject {
  return {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: {
      name,
      namespace,
      uid: `claim-${name}`,
      labels: { 'platformops.io/owner': owner },
    },
    spec: {
      parameters: { storageGB: 20 },
      resourceRef: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: xr,
      },
      writeConnectionSecretToRef: { name: `${name}-conn` },
    },
    status: { conditions },
  };
}

export function composite(
  name: string,
  claimName: string,
  namespace: string,
  managed: string[],
  conditions: object[],
): KubernetesObject {
  return {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'XPostgreSQLInstance',
    metadata: {
      name,
      uid: `xr-${name}`,
      labels: {
        'crossplane.io/claim-name': claimName,
        'crossplane.io/claim-namespace': namespace,
      },
    },
    spec: {
      claimRef: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        name: claimName,
        namespace,
      },
      resourceRefs: managed.map(m => ({
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: m,
      })),
    },
    status: { conditions },
  };
}

export function nop(
  name: string,
  xr: string,
  conditions: object[],
): KubernetesObject {
  return {
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'NopResource',
    metadata: {
      name,
      uid: `mr-${name}`,
      labels: { 'crossplane.io/composite': xr },
      // As Crossplane composes it: controlled by its composite.
      ownerReferences: [
        {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'XPostgreSQLInstance',
          name: xr,
          uid: `xr-${xr}`,
          controller: true,
        },
      ],
    },
    spec: { forProvider: {} },
    status: { conditions },
  };
}

/** A small cluster: one healthy claim in team-alpha, one failing in team-beta. */
export const demoCluster: KubernetesObject[] = [
  crd(
    'PostgreSQLInstance',
    'postgresqlinstances',
    'database.example.org',
    ['claim'],
    'Namespaced',
  ),
  crd(
    'XPostgreSQLInstance',
    'xpostgresqlinstances',
    'database.example.org',
    ['composite'],
    'Cluster',
  ),
  crd(
    'NopResource',
    'nopresources',
    'nop.crossplane.io',
    ['crossplane', 'managed', 'nop'],
    'Cluster',
  ),
  crd(
    'CompositeResourceDefinition',
    'compositeresourcedefinitions',
    'apiextensions.crossplane.io',
    ['crossplane'],
    'Cluster',
    'v1',
  ),
  {
    ...postgresXrd,
    status: {
      conditions: [
        { type: 'Established', status: 'True' },
        { type: 'Offered', status: 'True' },
      ],
    },
  },
  claim('orders-db', 'team-alpha', 'orders-db-abc12', 'team-alpha', [
    synced,
    ready(),
  ]),
  composite(
    'orders-db-abc12',
    'orders-db',
    'team-alpha',
    ['orders-db-abc12-server'],
    [synced, ready()],
  ),
  nop('orders-db-abc12-server', 'orders-db-abc12', [synced, ready()]),
  claim('billing-db', 'team-beta', 'billing-db-def34', 'team-beta', [
    synced,
    {
      type: 'Ready',
      status: 'False',
      reason: 'Creating',
      message: 'Unready resources: billing-db-def34-server',
    },
  ]),
  composite(
    'billing-db-def34',
    'billing-db',
    'team-beta',
    ['billing-db-def34-server'],
    [
      synced,
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: 'Unready resources: server',
      },
    ],
  ),
  nop('billing-db-def34-server', 'billing-db-def34', [
    {
      type: 'Synced',
      status: 'False',
      reason: 'ReconcileError',
      message: 'quota exceeded for storage class fast',
    },
    { type: 'Ready', status: 'False', reason: 'Unavailable' },
  ]),
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'billing-db.1', namespace: 'default' },
    involvedObject: {
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      name: 'billing-db-def34-server',
    },
    type: 'Warning',
    reason: 'CannotObserveExternalResource',
    message: 'quota exceeded for storage class fast',
    count: 3,
    lastTimestamp: '2026-11-24T10:05:00Z',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'billing-db.2', namespace: 'team-beta' },
    involvedObject: {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-beta',
      name: 'billing-db',
    },
    type: 'Normal',
    reason: 'ConfigureCompositeResource',
    message: 'Successfully applied composite resource',
    lastTimestamp: '2026-11-24T10:00:00Z',
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'billing-db-conn', namespace: 'team-beta' },
    data: { password: 'c3VwZXItc2VjcmV0' },
  },
];
