import { postgresXrd } from '@platformops/plugin-crossplane-node/testUtils';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

/** A v1 XRD with claims, as Crossplane 1.x serves it. */
export const xrd: KubernetesObject = postgresXrd;

export const claim: KubernetesObject = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: {
    name: 'orders-db',
    namespace: 'team-alpha',
    uid: 'claim-1',
    labels: { 'platformops.io/owner': 'team-alpha' },
  },
  spec: {
    parameters: { storageGB: 20 },
    compositionRef: { name: 'xpostgresqlinstances.nop' },
    resourceRef: {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-7xk2p',
    },
    writeConnectionSecretToRef: { name: 'orders-db-conn' },
  },
  status: {
    conditions: [
      {
        type: 'Synced',
        status: 'True',
        reason: 'ReconcileSuccess',
        lastTransitionTime: '2026-11-24T10:00:00Z',
      },
      {
        type: 'Ready',
        status: 'True',
        reason: 'Available',
        lastTransitionTime: '2026-11-24T10:01:00Z',
      },
    ],
  },
};

export const composite: KubernetesObject = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  metadata: {
    name: 'orders-db-7xk2p',
    uid: 'xr-1',
    labels: {
      'crossplane.io/claim-name': 'orders-db',
      'crossplane.io/claim-namespace': 'team-alpha',
      'crossplane.io/composite': 'orders-db-7xk2p',
    },
  },
  spec: {
    parameters: { storageGB: 20 },
    claimRef: {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      name: 'orders-db',
      namespace: 'team-alpha',
    },
    compositionRef: { name: 'xpostgresqlinstances.nop' },
    resourceRefs: [
      {
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: 'orders-db-7xk2p-server',
      },
      {
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: 'orders-db-7xk2p-gone',
      },
    ],
  },
  status: {
    conditions: [
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      { type: 'Ready', status: 'True', reason: 'Available' },
    ],
  },
};

export const managed: KubernetesObject = {
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  metadata: {
    name: 'orders-db-7xk2p-server',
    uid: 'mr-1',
    labels: {
      'crossplane.io/claim-name': 'orders-db',
      'crossplane.io/claim-namespace': 'team-alpha',
      'crossplane.io/composite': 'orders-db-7xk2p',
    },
    ownerReferences: [
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: 'orders-db-7xk2p',
        uid: 'xr-1',
        controller: true,
      },
    ],
  },
  spec: {
    forProvider: {
      conditionAfter: [
        { conditionType: 'Ready', conditionStatus: 'True', time: '5s' },
      ],
    },
    providerConfigRef: { name: 'default' },
  },
  status: {
    conditions: [
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: 'waiting for the database server',
      },
    ],
  },
};

export const deployment: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders-api', namespace: 'team-alpha', uid: 'dep-1' },
  spec: { selector: { matchLabels: { app: 'orders-api' } }, replicas: 2 },
  status: {
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    ],
  },
};

export const service: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders-api', namespace: 'team-alpha', uid: 'svc-1' },
  spec: { selector: { app: 'orders-api' }, ports: [{ port: 80 }] },
};

export const secret: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'orders-db-conn', namespace: 'team-alpha' },
  data: { password: 'c3VwZXItc2VjcmV0' },
};
