import { parseAllDocuments } from 'yaml';
import { KubernetesObject } from '../model';

function docs(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map(d => d.toJS() as KubernetesObject);
}

/**
 * Crossplane v1: a PostgreSQLInstance claim in team-a, its cluster-scoped
 * XPostgreSQLInstance, which composes an RDS instance, a subnet group, a
 * nested XNetwork composite (with its own VPC and subnets) and a
 * provider-kubernetes Object; plus the connection Secret.
 */
export const postgresTree = docs(`
apiVersion: database.example.org/v1alpha1
kind: PostgreSQLInstance
metadata:
  name: orders-db
  namespace: team-a
  uid: 0b7b1c9e-0001-4000-8000-000000000001
  creationTimestamp: "2025-03-01T10:00:00Z"
  generation: 1
  annotations:
    platformops.io/owner: group:default/team-a
spec:
  parameters:
    storageGB: 50
    region: eu-west-1
    size: medium
  compositionRef:
    name: xpostgresqlinstances.aws.database.example.org
  compositeDeletePolicy: Background
  resourceRef:
    apiVersion: database.example.org/v1alpha1
    kind: XPostgreSQLInstance
    name: orders-db-x7k2p
  writeConnectionSecretToRef:
    name: orders-db-conn
status:
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-03-01T10:00:02Z"
    - type: Ready
      status: "False"
      reason: Creating
      message: "Unready resources: rds-instance"
      lastTransitionTime: "2025-03-01T10:00:02Z"
---
apiVersion: database.example.org/v1alpha1
kind: XPostgreSQLInstance
metadata:
  name: orders-db-x7k2p
  uid: 0b7b1c9e-0002-4000-8000-000000000002
  generation: 2
  labels:
    crossplane.io/composite: orders-db-x7k2p
    crossplane.io/claim-name: orders-db
    crossplane.io/claim-namespace: team-a
  finalizers:
    - composite.apiextensions.crossplane.io
spec:
  parameters:
    storageGB: 50
    region: eu-west-1
    size: medium
  claimRef:
    apiVersion: database.example.org/v1alpha1
    kind: PostgreSQLInstance
    name: orders-db
    namespace: team-a
  compositionRef:
    name: xpostgresqlinstances.aws.database.example.org
  compositionRevisionRef:
    name: xpostgresqlinstances.aws.database.example.org-4f3e2a1
  compositionUpdatePolicy: Automatic
  resourceRefs:
    - apiVersion: rds.aws.upbound.io/v1beta1
      kind: Instance
      name: orders-db-x7k2p-8jz4q
    - apiVersion: rds.aws.upbound.io/v1beta1
      kind: SubnetGroup
      name: orders-db-x7k2p-l2m9s
    - apiVersion: net.example.org/v1alpha1
      kind: XNetwork
      name: orders-db-x7k2p-net
    - apiVersion: kubernetes.crossplane.io/v1alpha2
      kind: Object
      name: orders-db-x7k2p-bootstrap
  writeConnectionSecretToRef:
    name: 0b7b1c9e-0002-4000-8000-000000000002
    namespace: crossplane-system
status:
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-03-01T10:00:03Z"
    - type: Ready
      status: "False"
      reason: Creating
      message: "Unready resources: rds-instance"
      lastTransitionTime: "2025-03-01T10:00:03Z"
  connectionDetails:
    lastPublishedTime: "2025-03-01T10:05:00Z"
---
apiVersion: rds.aws.upbound.io/v1beta1
kind: Instance
metadata:
  name: orders-db-x7k2p-8jz4q
  uid: 0b7b1c9e-0003-4000-8000-000000000003
  generation: 1
  annotations:
    crossplane.io/composition-resource-name: rds-instance
    crossplane.io/external-name: orders-db-x7k2p-8jz4q
  labels:
    crossplane.io/composite: orders-db-x7k2p
    crossplane.io/claim-name: orders-db
    crossplane.io/claim-namespace: team-a
  ownerReferences:
    - apiVersion: database.example.org/v1alpha1
      kind: XPostgreSQLInstance
      name: orders-db-x7k2p
      uid: 0b7b1c9e-0002-4000-8000-000000000002
      controller: true
      blockOwnerDeletion: true
spec:
  deletionPolicy: Delete
  forProvider:
    region: eu-west-1
    engine: postgres
    engineVersion: "16"
    instanceClass: db.t3.medium
    allocatedStorage: 50
    username: adminuser
    passwordSecretRef:
      name: orders-db-x7k2p-pw
      namespace: crossplane-system
      key: password
    dbSubnetGroupNameRef:
      name: orders-db-x7k2p-l2m9s
  providerConfigRef:
    name: default
  writeConnectionSecretToRef:
    name: 0b7b1c9e-0003-4000-8000-000000000003
    namespace: crossplane-system
status:
  atProvider:
    address: orders-db-x7k2p-8jz4q.abc.eu-west-1.rds.amazonaws.com
    status: creating
  conditions:
    - type: Ready
      status: "False"
      reason: Creating
      lastTransitionTime: "2025-03-01T10:00:05Z"
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-03-01T10:00:05Z"
---
apiVersion: rds.aws.upbound.io/v1beta1
kind: SubnetGroup
metadata:
  name: orders-db-x7k2p-l2m9s
  uid: 0b7b1c9e-0004-4000-8000-000000000004
  labels:
    crossplane.io/composite: orders-db-x7k2p
    crossplane.io/claim-name: orders-db
    crossplane.io/claim-namespace: team-a
  ownerReferences:
    - apiVersion: database.example.org/v1alpha1
      kind: XPostgreSQLInstance
      name: orders-db-x7k2p
      uid: 0b7b1c9e-0002-4000-8000-000000000002
      controller: true
spec:
  forProvider:
    region: eu-west-1
    subnetIdSelector:
      matchControllerRef: true
  providerConfigRef:
    name: default
status:
  atProvider:
    arn: arn:aws:rds:eu-west-1:123456789012:subgrp:orders-db-x7k2p-l2m9s
  conditions:
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-03-01T10:00:20Z"
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-03-01T10:00:20Z"
---
apiVersion: net.example.org/v1alpha1
kind: XNetwork
metadata:
  name: orders-db-x7k2p-net
  uid: 0b7b1c9e-0005-4000-8000-000000000005
  labels:
    crossplane.io/composite: orders-db-x7k2p
    crossplane.io/claim-name: orders-db
    crossplane.io/claim-namespace: team-a
  ownerReferences:
    - apiVersion: database.example.org/v1alpha1
      kind: XPostgreSQLInstance
      name: orders-db-x7k2p
      uid: 0b7b1c9e-0002-4000-8000-000000000002
      controller: true
spec:
  parameters:
    id: orders-net
    region: eu-west-1
    subnets:
      - cidrBlock: 10.0.1.0/24
        zone: a
  compositionRef:
    name: xnetworks.aws.net.example.org
  resourceRefs:
    - apiVersion: ec2.aws.upbound.io/v1beta1
      kind: VPC
      name: orders-db-x7k2p-net-vpc
    - apiVersion: ec2.aws.upbound.io/v1beta1
      kind: Subnet
      name: orders-db-x7k2p-net-a
status:
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-03-01T10:01:00Z"
---
apiVersion: ec2.aws.upbound.io/v1beta1
kind: VPC
metadata:
  name: orders-db-x7k2p-net-vpc
  uid: 0b7b1c9e-0006-4000-8000-000000000006
  labels:
    crossplane.io/composite: orders-db-x7k2p
    crossplane.io/claim-name: orders-db
    crossplane.io/claim-namespace: team-a
  ownerReferences:
    - apiVersion: net.example.org/v1alpha1
      kind: XNetwork
      name: orders-db-x7k2p-net
      uid: 0b7b1c9e-0005-4000-8000-000000000005
      controller: true
spec:
  forProvider:
    region: eu-west-1
    cidrBlock: 10.0.0.0/16
status:
  conditions:
    - type: Ready
      status: "True"
      reason: Available
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
---
apiVersion: ec2.aws.upbound.io/v1beta1
kind: Subnet
metadata:
  name: orders-db-x7k2p-net-a
  uid: 0b7b1c9e-0007-4000-8000-000000000007
  labels:
    crossplane.io/composite: orders-db-x7k2p
  ownerReferences:
    - apiVersion: net.example.org/v1alpha1
      kind: XNetwork
      name: orders-db-x7k2p-net
      uid: 0b7b1c9e-0005-4000-8000-000000000005
      controller: true
spec:
  forProvider:
    region: eu-west-1
    availabilityZone: eu-west-1a
    cidrBlock: 10.0.1.0/24
    vpcIdSelector:
      matchControllerRef: true
status:
  conditions:
    - type: Ready
      status: "True"
      reason: Available
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
---
apiVersion: kubernetes.crossplane.io/v1alpha2
kind: Object
metadata:
  name: orders-db-x7k2p-bootstrap
  uid: 0b7b1c9e-0008-4000-8000-000000000008
  labels:
    crossplane.io/composite: orders-db-x7k2p
  ownerReferences:
    - apiVersion: database.example.org/v1alpha1
      kind: XPostgreSQLInstance
      name: orders-db-x7k2p
      uid: 0b7b1c9e-0002-4000-8000-000000000002
      controller: true
spec:
  forProvider:
    manifest:
      apiVersion: v1
      kind: Secret
      metadata:
        name: orders-db-bootstrap
        namespace: team-a
      stringData:
        password: s3cr3t-bootstrap
  managementPolicies: ["*"]
  providerConfigRef:
    name: in-cluster
status:
  atProvider:
    manifest:
      apiVersion: v1
      kind: Secret
      metadata:
        name: orders-db-bootstrap
        namespace: team-a
      data:
        password: czNjcjN0LWJvb3RzdHJhcA==
      type: Opaque
  conditions:
    - type: Ready
      status: "True"
      reason: Available
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
---
apiVersion: v1
kind: Secret
metadata:
  name: orders-db-conn
  namespace: team-a
  uid: 0b7b1c9e-0009-4000-8000-000000000009
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","data":{"password":"cGFzcw=="}}'
type: connection.crossplane.io/v1alpha1
data:
  username: YWRtaW51c2Vy
  password: cGFzc3dvcmQ=
  endpoint: b3JkZXJzLWRi
  port: NTQzMg==
`);

/**
 * Crossplane v2: a namespaced App composite in team-b composing a
 * Deployment, a Service and a namespaced managed resource, with
 * machinery under spec.crossplane.
 */
export const appTree = docs(`
apiVersion: platform.example.org/v1
kind: App
metadata:
  name: checkout
  namespace: team-b
  uid: 1c8c2d0f-0001-4000-8000-000000000001
  generation: 3
  labels:
    crossplane.io/composite: checkout
spec:
  image: ghcr.io/example/checkout:1.4.2
  replicas: 2
  port: 8080
  crossplane:
    compositionRef:
      name: app-kcl
    compositionRevisionRef:
      name: app-kcl-8e1f2d3
    compositionUpdatePolicy: Automatic
    resourceRefs:
      - apiVersion: apps/v1
        kind: Deployment
        name: checkout
      - apiVersion: v1
        kind: Service
        name: checkout
      - apiVersion: s3.aws.m.upbound.io/v1beta1
        kind: Bucket
        name: checkout-assets
status:
  replicas: 2
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-05-10T08:00:00Z"
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-05-10T08:02:00Z"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: team-b
  uid: 1c8c2d0f-0002-4000-8000-000000000002
  generation: 4
  labels:
    crossplane.io/composite: checkout
  annotations:
    crossplane.io/composition-resource-name: deployment
  ownerReferences:
    - apiVersion: platform.example.org/v1
      kind: App
      name: checkout
      uid: 1c8c2d0f-0001-4000-8000-000000000001
      controller: true
spec:
  replicas: 2
status:
  observedGeneration: 4
  replicas: 2
  availableReplicas: 2
  conditions:
    - type: Available
      status: "True"
      reason: MinimumReplicasAvailable
      lastTransitionTime: "2025-05-10T08:01:30Z"
    - type: Progressing
      status: "True"
      reason: NewReplicaSetAvailable
      lastTransitionTime: "2025-05-10T08:01:30Z"
---
apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: team-b
  uid: 1c8c2d0f-0003-4000-8000-000000000003
  labels:
    crossplane.io/composite: checkout
  ownerReferences:
    - apiVersion: platform.example.org/v1
      kind: App
      name: checkout
      uid: 1c8c2d0f-0001-4000-8000-000000000001
      controller: true
spec:
  ports:
    - port: 80
      targetPort: 8080
status:
  loadBalancer: {}
---
apiVersion: s3.aws.m.upbound.io/v1beta1
kind: Bucket
metadata:
  name: checkout-assets
  namespace: team-b
  uid: 1c8c2d0f-0004-4000-8000-000000000004
  labels:
    crossplane.io/composite: checkout
  ownerReferences:
    - apiVersion: platform.example.org/v1
      kind: App
      name: checkout
      uid: 1c8c2d0f-0001-4000-8000-000000000001
      controller: true
spec:
  forProvider:
    region: eu-central-1
  providerConfigRef:
    kind: ProviderConfig
    name: default
  writeConnectionSecretToRef:
    name: checkout-assets-conn
status:
  atProvider:
    arn: arn:aws:s3:::checkout-assets
  conditions:
    - type: Ready
      status: "True"
      reason: Available
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
`);

/**
 * A NopResource composed by a paused composite; a managed resource that
 * fails to sync; an object being deleted.
 */
export const nopObjects = docs(`
apiVersion: nop.crossplane.io/v1alpha1
kind: NopResource
metadata:
  name: nop-ready
  uid: 2d9d3e1a-0001-4000-8000-000000000001
spec:
  forProvider:
    conditionAfter:
      - time: 5s
        conditionType: Ready
        conditionStatus: "True"
    fields:
      integerField: 42
status:
  conditions:
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-04-01T12:00:05Z"
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-04-01T12:00:00Z"
---
apiVersion: nop.crossplane.io/v1alpha1
kind: NopResource
metadata:
  name: nop-failing
  uid: 2d9d3e1a-0002-4000-8000-000000000002
spec:
  forProvider:
    conditionAfter:
      - time: 5s
        conditionType: Ready
        conditionStatus: "False"
status:
  conditions:
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-04-01T12:00:05Z"
    - type: Synced
      status: "False"
      reason: ReconcileError
      message: "observe failed: cannot get external resource: 403 Forbidden"
      lastTransitionTime: "2025-04-01T12:10:00Z"
---
apiVersion: nop.crossplane.io/v1alpha1
kind: NopResource
metadata:
  name: nop-paused
  uid: 2d9d3e1a-0003-4000-8000-000000000003
  annotations:
    crossplane.io/paused: "true"
spec:
  forProvider: {}
status:
  conditions:
    - type: Synced
      status: "False"
      reason: ReconcilePaused
      message: Reconciliation is paused via the pause annotation
      lastTransitionTime: "2025-04-02T09:00:00Z"
---
apiVersion: nop.crossplane.io/v1alpha1
kind: NopResource
metadata:
  name: nop-deleting
  uid: 2d9d3e1a-0004-4000-8000-000000000004
  deletionTimestamp: "2025-04-03T07:00:00Z"
  finalizers: [finalizer.managedresource.crossplane.io]
spec:
  forProvider: {}
status:
  conditions:
    - type: Ready
      status: "False"
      reason: Deleting
      lastTransitionTime: "2025-04-03T07:00:01Z"
`);

/** Crossplane packages and machinery. */
export const packageObjects = docs(`
apiVersion: pkg.crossplane.io/v1
kind: Provider
metadata:
  name: upbound-provider-aws-rds
  uid: 3e0e4f2b-0001-4000-8000-000000000001
spec:
  package: xpkg.upbound.io/upbound/provider-aws-rds:v1.21.0
  runtimeConfigRef:
    name: default
status:
  currentRevision: upbound-provider-aws-rds-2f6d0f3b5c1a
  currentIdentifier: xpkg.upbound.io/upbound/provider-aws-rds:v1.21.0
  conditions:
    - type: Installed
      status: "True"
      reason: ActivePackageRevision
      lastTransitionTime: "2025-02-01T09:00:00Z"
    - type: Healthy
      status: "True"
      reason: HealthyPackageRevision
      lastTransitionTime: "2025-02-01T09:01:00Z"
---
apiVersion: pkg.crossplane.io/v1
kind: Function
metadata:
  name: function-patch-and-transform
  uid: 3e0e4f2b-0002-4000-8000-000000000002
spec:
  package: xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.8.2
status:
  conditions:
    - type: Installed
      status: "True"
      reason: ActivePackageRevision
    - type: Healthy
      status: "False"
      reason: UnhealthyPackageRevision
      message: "post establish runtime hook failed for package: deployment is not available"
      lastTransitionTime: "2025-02-02T09:00:00Z"
---
apiVersion: pkg.crossplane.io/v1
kind: Configuration
metadata:
  name: platform-ref-aws
  uid: 3e0e4f2b-0003-4000-8000-000000000003
spec:
  package: xpkg.upbound.io/upbound/platform-ref-aws:v1.3.0
status:
  conditions:
    - type: Installed
      status: "False"
      reason: UnpackingPackage
      lastTransitionTime: "2025-02-03T09:00:00Z"
    - type: Healthy
      status: "Unknown"
      reason: UnknownPackageRevisionHealth
---
apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: xpostgresqlinstances.aws.database.example.org
  uid: 3e0e4f2b-0004-4000-8000-000000000004
  labels:
    provider: aws
spec:
  compositeTypeRef:
    apiVersion: database.example.org/v1alpha1
    kind: XPostgreSQLInstance
  writeConnectionSecretsToNamespace: crossplane-system
  mode: Pipeline
  pipeline:
    - step: patch-and-transform
      functionRef:
        name: function-patch-and-transform
      input:
        apiVersion: pt.fn.crossplane.io/v1beta1
        kind: Resources
        resources:
          - name: rds-instance
            base:
              apiVersion: rds.aws.upbound.io/v1beta1
              kind: Instance
              spec:
                forProvider:
                  engine: postgres
    - step: auto-ready
      functionRef:
        name: function-auto-ready
---
apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: xnetworks.aws.net.example.org
spec:
  compositeTypeRef:
    apiVersion: net.example.org/v1alpha1
    kind: XNetwork
  resources:
    - name: vpc
      base:
        apiVersion: ec2.aws.upbound.io/v1beta1
        kind: VPC
        spec:
          forProvider:
            cidrBlock: 10.0.0.0/16
      patches:
        - type: FromCompositeFieldPath
          fromFieldPath: spec.parameters.region
          toFieldPath: spec.forProvider.region
`);
