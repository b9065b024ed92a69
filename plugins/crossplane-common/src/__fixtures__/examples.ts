import { parseAllDocuments } from 'yaml';
import { KubernetesObject } from '../model';

function docs(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map(d => d.toJS() as KubernetesObject);
}

const ready = `
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-06-01T09:00:00Z"
    - type: Ready
      status: "True"
      reason: Available
      lastTransitionTime: "2025-06-01T09:05:00Z"`;

const creating = `
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
      lastTransitionTime: "2025-06-01T09:00:00Z"
    - type: Ready
      status: "False"
      reason: Creating
      lastTransitionTime: "2025-06-01T09:00:00Z"`;

/**
 * One real-shaped object family per XRD fixture not covered by
 * objects.ts: the claim or composite, its composite (for claims) and what
 * it composes, keyed by the XRD fixture's name.
 */
export const examples: Record<string, KubernetesObject[]> = {
  /** v1 claim -> XNetwork -> VPC and two subnets. */
  network: docs(`
apiVersion: net.example.org/v1alpha1
kind: Network
metadata:
  name: shared-net
  namespace: team-a
  uid: 3a000000-0001-4000-8000-000000000001
spec:
  parameters:
    id: shared-net
    region: eu-west-1
    subnets:
      - cidrBlock: 10.0.1.0/24
        zone: a
      - cidrBlock: 10.0.2.0/24
        zone: b
        type: public
  compositionRef:
    name: xnetworks.aws.net.example.org
  resourceRef:
    apiVersion: net.example.org/v1alpha1
    kind: XNetwork
    name: shared-net-k8d2m
status:${ready}
---
apiVersion: net.example.org/v1alpha1
kind: XNetwork
metadata:
  name: shared-net-k8d2m
  uid: 3a000000-0002-4000-8000-000000000002
  labels:
    crossplane.io/composite: shared-net-k8d2m
    crossplane.io/claim-name: shared-net
    crossplane.io/claim-namespace: team-a
spec:
  parameters:
    id: shared-net
    region: eu-west-1
    subnets:
      - cidrBlock: 10.0.1.0/24
        zone: a
      - cidrBlock: 10.0.2.0/24
        zone: b
        type: public
  claimRef:
    apiVersion: net.example.org/v1alpha1
    kind: Network
    name: shared-net
    namespace: team-a
  compositionRef:
    name: xnetworks.aws.net.example.org
  resourceRefs:
    - apiVersion: ec2.aws.upbound.io/v1beta1
      kind: VPC
      name: shared-net-k8d2m-vpc
    - apiVersion: ec2.aws.upbound.io/v1beta1
      kind: Subnet
      name: shared-net-k8d2m-a
    - apiVersion: ec2.aws.upbound.io/v1beta1
      kind: Subnet
      name: shared-net-k8d2m-b
status:${ready}
---
apiVersion: ec2.aws.upbound.io/v1beta1
kind: VPC
metadata:
  name: shared-net-k8d2m-vpc
  labels:
    crossplane.io/composite: shared-net-k8d2m
  annotations:
    crossplane.io/external-name: vpc-0a1b2c3d
spec:
  forProvider:
    region: eu-west-1
    cidrBlock: 10.0.0.0/16
  providerConfigRef:
    name: default
status:
  atProvider:
    id: vpc-0a1b2c3d
${ready}
---
apiVersion: ec2.aws.upbound.io/v1beta1
kind: Subnet
metadata:
  name: shared-net-k8d2m-a
  labels:
    crossplane.io/composite: shared-net-k8d2m
spec:
  forProvider:
    region: eu-west-1
    availabilityZone: eu-west-1a
    cidrBlock: 10.0.1.0/24
status:${ready}
---
apiVersion: ec2.aws.upbound.io/v1beta1
kind: Subnet
metadata:
  name: shared-net-k8d2m-b
  labels:
    crossplane.io/composite: shared-net-k8d2m
spec:
  forProvider:
    region: eu-west-1
    availabilityZone: eu-west-1b
    cidrBlock: 10.0.2.0/24
    mapPublicIpOnLaunch: true
status:${ready}
`),

  /** v1 claim at the deprecated served version -> XBucket -> an S3 Bucket (same kind, other group). */
  bucket: docs(`
apiVersion: storage.example.org/v1alpha1
kind: Bucket
metadata:
  name: legacy-assets
  namespace: team-a
spec:
  parameters:
    location: EU
  resourceRef:
    apiVersion: storage.example.org/v1alpha1
    kind: XBucket
    name: legacy-assets-7fh2q
  writeConnectionSecretToRef:
    name: legacy-assets-conn
status:${ready}
---
apiVersion: storage.example.org/v1alpha1
kind: XBucket
metadata:
  name: legacy-assets-7fh2q
  labels:
    crossplane.io/composite: legacy-assets-7fh2q
    crossplane.io/claim-name: legacy-assets
    crossplane.io/claim-namespace: team-a
spec:
  parameters:
    location: EU
  claimRef:
    apiVersion: storage.example.org/v1alpha1
    kind: Bucket
    name: legacy-assets
    namespace: team-a
  resourceRefs:
    - apiVersion: s3.aws.upbound.io/v1beta1
      kind: Bucket
      name: legacy-assets-7fh2q-s3
  writeConnectionSecretToRef:
    name: 3b000000-0002-4000-8000-000000000002
    namespace: crossplane-system
status:${ready}
---
apiVersion: s3.aws.upbound.io/v1beta1
kind: Bucket
metadata:
  name: legacy-assets-7fh2q-s3
  labels:
    crossplane.io/composite: legacy-assets-7fh2q
spec:
  forProvider:
    region: eu-central-1
status:${ready}
---
apiVersion: v1
kind: Secret
metadata:
  name: legacy-assets-conn
  namespace: team-a
type: connection.crossplane.io/v1alpha1
data:
  bucketName: bGVnYWN5LWFzc2V0cw==
  endpoint: aHR0cHM6Ly9zMy5ldS1jZW50cmFsLTEuYW1hem9uYXdzLmNvbQ==
`),

  /** v1 composite without a claim -> EKS cluster and a node group that fails to sync. */
  cluster: docs(`
apiVersion: platform.example.org/v1alpha1
kind: XCluster
metadata:
  name: prod-eu
  uid: 3c000000-0001-4000-8000-000000000001
  labels:
    crossplane.io/composite: prod-eu
spec:
  parameters:
    kubernetesVersion: "1.31"
    nodePool:
      size: medium
      count: 3
      autoscaling:
        enabled: true
        minNodes: 2
        maxNodes: 10
  compositionSelector:
    matchLabels:
      provider: aws
  resourceRefs:
    - apiVersion: eks.aws.upbound.io/v1beta1
      kind: Cluster
      name: prod-eu-eks
    - apiVersion: eks.aws.upbound.io/v1beta1
      kind: NodeGroup
      name: prod-eu-nodes
status:
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
    - type: Ready
      status: "False"
      reason: Creating
      message: "Unready resources: nodes"
---
apiVersion: eks.aws.upbound.io/v1beta1
kind: Cluster
metadata:
  name: prod-eu-eks
  labels:
    crossplane.io/composite: prod-eu
  ownerReferences:
    - apiVersion: platform.example.org/v1alpha1
      kind: XCluster
      name: prod-eu
      uid: 3c000000-0001-4000-8000-000000000001
      controller: true
spec:
  forProvider:
    region: eu-west-1
    version: "1.31"
status:${ready}
---
apiVersion: eks.aws.upbound.io/v1beta1
kind: NodeGroup
metadata:
  name: prod-eu-nodes
  labels:
    crossplane.io/composite: prod-eu
  ownerReferences:
    - apiVersion: platform.example.org/v1alpha1
      kind: XCluster
      name: prod-eu
      uid: 3c000000-0001-4000-8000-000000000001
      controller: true
spec:
  forProvider:
    region: eu-west-1
    scalingConfig:
      - desiredSize: 3
        minSize: 2
        maxSize: 10
status:
  conditions:
    - type: Synced
      status: "False"
      reason: ReconcileError
      message: "create failed: InvalidParameterException: Subnets specified must be in at least two different AZs"
      lastTransitionTime: "2025-06-01T09:10:00Z"
    - type: Ready
      status: "False"
      reason: Creating
`),

  /** v2 Cluster-scoped composite -> a Namespace and a ResourceQuota in it. */
  tenant: docs(`
apiVersion: platform.example.org/v1alpha1
kind: XTenant
metadata:
  name: team-c
  uid: 3d000000-0001-4000-8000-000000000001
spec:
  teamName: team-c
  quotas:
    cpu: 16
    memory: 64Gi
  admins:
    - alice@example.org
    - bob@example.org
  crossplane:
    compositionRef:
      name: tenant-namespaces
    resourceRefs:
      - apiVersion: v1
        kind: Namespace
        name: team-c
      - apiVersion: v1
        kind: ResourceQuota
        name: team-c-quota
        namespace: team-c
status:${ready}
---
apiVersion: v1
kind: Namespace
metadata:
  name: team-c
  labels:
    crossplane.io/composite: team-c
status:
  phase: Active
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: team-c-quota
  namespace: team-c
  labels:
    crossplane.io/composite: team-c
spec:
  hard:
    cpu: "16"
    memory: 64Gi
`),

  /** v2 LegacyCluster claim -> XRedisCluster -> a replication group still creating. */
  redis: docs(`
apiVersion: cache.example.org/v1alpha1
kind: RedisCluster
metadata:
  name: cart-cache
  namespace: team-b
spec:
  parameters:
    memoryMB: 1024
    shards: 2
    config:
      maxmemory-policy: allkeys-lru
      timeout: 300
  resourceRef:
    apiVersion: cache.example.org/v1alpha1
    kind: XRedisCluster
    name: cart-cache-m2x9d
status:${creating}
---
apiVersion: cache.example.org/v1alpha1
kind: XRedisCluster
metadata:
  name: cart-cache-m2x9d
  labels:
    crossplane.io/composite: cart-cache-m2x9d
    crossplane.io/claim-name: cart-cache
    crossplane.io/claim-namespace: team-b
spec:
  parameters:
    memoryMB: 1024
    shards: 2
    config:
      maxmemory-policy: allkeys-lru
      timeout: 300
  claimRef:
    apiVersion: cache.example.org/v1alpha1
    kind: RedisCluster
    name: cart-cache
    namespace: team-b
  resourceRefs:
    - apiVersion: elasticache.aws.upbound.io/v1beta1
      kind: ReplicationGroup
      name: cart-cache-m2x9d-rg
status:${creating}
---
apiVersion: elasticache.aws.upbound.io/v1beta1
kind: ReplicationGroup
metadata:
  name: cart-cache-m2x9d-rg
  labels:
    crossplane.io/composite: cart-cache-m2x9d
spec:
  forProvider:
    region: eu-west-1
    numNodeGroups: 2
    authTokenSecretRef:
      name: cart-cache-auth
      namespace: crossplane-system
      key: token
status:${creating}
`),

  /** v1 claim -> XHelmRelease -> a provider-helm Release with secret values. */
  helm: docs(`
apiVersion: apps.example.org/v1alpha1
kind: HelmRelease
metadata:
  name: grafana
  namespace: team-a
spec:
  chart:
    name: grafana
    repository: https://grafana.github.io/helm-charts
    version: 8.5.1
  values:
    adminUser: admin
    persistence:
      enabled: true
  namespace: monitoring
  resourceRef:
    apiVersion: apps.example.org/v1alpha1
    kind: XHelmRelease
    name: grafana-p4w7z
status:${ready}
---
apiVersion: apps.example.org/v1alpha1
kind: XHelmRelease
metadata:
  name: grafana-p4w7z
  labels:
    crossplane.io/composite: grafana-p4w7z
    crossplane.io/claim-name: grafana
    crossplane.io/claim-namespace: team-a
spec:
  chart:
    name: grafana
    repository: https://grafana.github.io/helm-charts
    version: 8.5.1
  values:
    adminUser: admin
    persistence:
      enabled: true
  namespace: monitoring
  claimRef:
    apiVersion: apps.example.org/v1alpha1
    kind: HelmRelease
    name: grafana
    namespace: team-a
  resourceRefs:
    - apiVersion: helm.crossplane.io/v1beta1
      kind: Release
      name: grafana-p4w7z-release
status:${ready}
---
apiVersion: helm.crossplane.io/v1beta1
kind: Release
metadata:
  name: grafana-p4w7z-release
  labels:
    crossplane.io/composite: grafana-p4w7z
spec:
  forProvider:
    chart:
      name: grafana
      repository: https://grafana.github.io/helm-charts
      version: 8.5.1
    namespace: monitoring
    values:
      adminUser: admin
      adminPassword: "correct horse battery staple"
    set:
      - name: smtp.password
        value: "mail-pa55"
    valuesFrom:
      - secretKeyRef:
          name: grafana-extra
          namespace: monitoring
          key: values.yaml
status:${ready}
`),

  /** v2 Namespaced composite, paused, -> a namespaced managed resource. */
  database: docs(`
apiVersion: data.example.org/v1alpha1
kind: Database
metadata:
  name: orders
  namespace: team-b
  annotations:
    crossplane.io/paused: "true"
spec:
  engine: postgres
  cpu: 2
  source:
    snapshot: orders-2025-05-01
  maintenanceWindow: null
  crossplane:
    compositionRef:
      name: database-rds
    resourceRefs:
      - apiVersion: rds.aws.m.upbound.io/v1beta1
        kind: Instance
        name: orders-db
status:
  conditions:
    - type: Synced
      status: "False"
      reason: ReconcilePaused
      lastTransitionTime: "2025-06-02T08:00:00Z"
    - type: Ready
      status: "True"
      reason: Available
---
apiVersion: rds.aws.m.upbound.io/v1beta1
kind: Instance
metadata:
  name: orders-db
  namespace: team-b
  labels:
    crossplane.io/composite: orders
spec:
  forProvider:
    region: eu-central-1
    engine: postgres
    instanceClass: db.t4g.medium
    passwordSecretRef:
      name: orders-db-password
      key: password
  writeConnectionSecretToRef:
    name: orders-db-conn
status:${ready}
`),

  /** v1 claim -> XQueue -> SQS queues. */
  queue: docs(`
apiVersion: messaging.example.org/v1alpha1
kind: Queue
metadata:
  name: jobs
  namespace: team-d
spec:
  parameters:
    name: jobs
    fifo: true
    retentionSeconds: 86400
    deadLetter:
      enabled: true
      maxReceiveCount: 5
    visibility: internal
  resourceRef:
    apiVersion: messaging.example.org/v1alpha1
    kind: XQueue
    name: jobs-t6v1c
status:${ready}
---
apiVersion: messaging.example.org/v1alpha1
kind: XQueue
metadata:
  name: jobs-t6v1c
  labels:
    crossplane.io/composite: jobs-t6v1c
    crossplane.io/claim-name: jobs
    crossplane.io/claim-namespace: team-d
spec:
  parameters:
    name: jobs
    fifo: true
    retentionSeconds: 86400
    deadLetter:
      enabled: true
      maxReceiveCount: 5
    visibility: internal
  claimRef:
    apiVersion: messaging.example.org/v1alpha1
    kind: Queue
    name: jobs
    namespace: team-d
  resourceRefs:
    - apiVersion: sqs.aws.upbound.io/v1beta1
      kind: Queue
      name: jobs-t6v1c-main
    - apiVersion: sqs.aws.upbound.io/v1beta1
      kind: Queue
      name: jobs-t6v1c-dlq
status:${ready}
---
apiVersion: sqs.aws.upbound.io/v1beta1
kind: Queue
metadata:
  name: jobs-t6v1c-main
  labels:
    crossplane.io/composite: jobs-t6v1c
spec:
  forProvider:
    region: eu-west-1
    fifoQueue: true
    messageRetentionSeconds: 86400
status:${ready}
---
apiVersion: sqs.aws.upbound.io/v1beta1
kind: Queue
metadata:
  name: jobs-t6v1c-dlq
  labels:
    crossplane.io/composite: jobs-t6v1c
spec:
  forProvider:
    region: eu-west-1
    fifoQueue: true
status:${ready}
`),

  /** v2 Namespaced composite -> a Deployment past its progress deadline, a Service, an Ingress. */
  webapp: docs(`
apiVersion: platform.example.org/v1alpha1
kind: WebApp
metadata:
  name: shop
  namespace: team-d
  uid: 3e000000-0001-4000-8000-000000000001
spec:
  domains:
    - shop.example.org
  ingress:
    enabled: true
    className: nginx
    annotations:
      nginx.ingress.kubernetes.io/proxy-body-size: 8m
  tls:
    issuer: letsencrypt-prod
  ports:
    - 8080
  crossplane:
    compositionRef:
      name: webapp-kcl
    resourceRefs:
      - apiVersion: apps/v1
        kind: Deployment
        name: shop
      - apiVersion: v1
        kind: Service
        name: shop
      - apiVersion: networking.k8s.io/v1
        kind: Ingress
        name: shop
status:
  conditions:
    - type: Synced
      status: "True"
      reason: ReconcileSuccess
    - type: Ready
      status: "False"
      reason: Creating
      message: "Unready resources: deployment"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: team-d
  generation: 2
  ownerReferences:
    - apiVersion: platform.example.org/v1alpha1
      kind: WebApp
      name: shop
      uid: 3e000000-0001-4000-8000-000000000001
      controller: true
spec:
  replicas: 2
status:
  observedGeneration: 2
  replicas: 2
  unavailableReplicas: 2
  conditions:
    - type: Available
      status: "False"
      reason: MinimumReplicasUnavailable
      lastTransitionTime: "2025-06-01T09:00:00Z"
    - type: Progressing
      status: "False"
      reason: ProgressDeadlineExceeded
      message: ReplicaSet "shop-7c9d8" has timed out progressing.
      lastTransitionTime: "2025-06-01T09:10:00Z"
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: team-d
  ownerReferences:
    - apiVersion: platform.example.org/v1alpha1
      kind: WebApp
      name: shop
      uid: 3e000000-0001-4000-8000-000000000001
      controller: true
spec:
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: team-d
  ownerReferences:
    - apiVersion: platform.example.org/v1alpha1
      kind: WebApp
      name: shop
      uid: 3e000000-0001-4000-8000-000000000001
      controller: true
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.org
`),

  /** v1 claim being deleted -> XDNSRecord -> a Route 53 record. */
  dns: docs(`
apiVersion: dns.example.org/v1
kind: DNSRecord
metadata:
  name: www
  namespace: team-d
  deletionTimestamp: "2025-06-03T12:00:00Z"
  finalizers:
    - finalizer.apiextensions.crossplane.io
spec:
  parameters:
    zone: example.org
    recordName: www
    type: CNAME
    ttl: 300
    values:
      - shop.example.org
  resourceRef:
    apiVersion: dns.example.org/v1
    kind: XDNSRecord
    name: www-q9r3s
status:${ready}
---
apiVersion: dns.example.org/v1
kind: XDNSRecord
metadata:
  name: www-q9r3s
  labels:
    crossplane.io/composite: www-q9r3s
    crossplane.io/claim-name: www
    crossplane.io/claim-namespace: team-d
spec:
  parameters:
    zone: example.org
    recordName: www
    type: CNAME
    ttl: 300
    values:
      - shop.example.org
  claimRef:
    apiVersion: dns.example.org/v1
    kind: DNSRecord
    name: www
    namespace: team-d
  resourceRefs:
    - apiVersion: route53.aws.upbound.io/v1beta1
      kind: Record
      name: www-q9r3s-cname
status:${ready}
---
apiVersion: route53.aws.upbound.io/v1beta1
kind: Record
metadata:
  name: www-q9r3s-cname
  labels:
    crossplane.io/composite: www-q9r3s
spec:
  forProvider:
    region: eu-west-1
    zoneId: Z0123456789ABCDEFGHIJ
    name: www.example.org
    type: CNAME
    ttl: 300
    records:
      - shop.example.org
status:${ready}
`),

  /** v2 Namespaced composite (second version) -> a Lambda function and a role that does not exist yet. */
  functionApp: docs(`
apiVersion: serverless.example.org/v1beta1
kind: FunctionApp
metadata:
  name: thumbnailer
  namespace: team-e
spec:
  runtime: nodejs22
  memoryMB: 512
  source:
    image: ghcr.io/example/thumbnailer:2.0.0
  timeoutSeconds: 60
  crossplane:
    compositionRef:
      name: functionapp-lambda
    resourceRefs:
      - apiVersion: lambda.aws.m.upbound.io/v1beta1
        kind: Function
        name: thumbnailer
      - apiVersion: iam.aws.m.upbound.io/v1beta1
        kind: Role
        name: thumbnailer-exec
status:${creating}
---
apiVersion: lambda.aws.m.upbound.io/v1beta1
kind: Function
metadata:
  name: thumbnailer
  namespace: team-e
  labels:
    crossplane.io/composite: thumbnailer
spec:
  forProvider:
    region: eu-west-1
    packageType: Image
    imageUri: ghcr.io/example/thumbnailer:2.0.0
    memorySize: 512
    timeout: 60
    environment:
      - variables:
          API_TOKEN: "tok-123"
          LOG_LEVEL: info
status:${creating}
`),
};
