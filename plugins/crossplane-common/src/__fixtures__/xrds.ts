import { parse } from 'yaml';

/* Hand-written XRDs of varied shape, as platform teams publish them. */

/** v1, claims, connection secret keys, defaults, enums, pattern, min/max. */
export const postgresXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xpostgresqlinstances.database.example.org
  labels:
    provider: aws
spec:
  group: database.example.org
  names:
    kind: XPostgreSQLInstance
    plural: xpostgresqlinstances
  claimNames:
    kind: PostgreSQLInstance
    plural: postgresqlinstances
  connectionSecretKeys:
    - username
    - password
    - endpoint
    - port
  defaultCompositionRef:
    name: xpostgresqlinstances.aws.database.example.org
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  description: Database instance configuration.
                  properties:
                    storageGB:
                      type: integer
                      description: Allocated storage in GiB.
                      minimum: 10
                      maximum: 1000
                      default: 20
                    version:
                      type: string
                      description: PostgreSQL major version.
                      enum: ["13", "14", "15", "16"]
                      default: "16"
                    size:
                      type: string
                      enum: [small, medium, large]
                      default: small
                    region:
                      type: string
                      pattern: "^[a-z]{2}-[a-z]+-[0-9]$"
                    highAvailability:
                      type: boolean
                      default: false
                  required:
                    - storageGB
                    - region
              required:
                - parameters
            status:
              type: object
              properties:
                address:
                  type: string
      additionalPrinterColumns:
        - name: SIZE
          type: string
          jsonPath: .spec.parameters.size
`);

/** v1, claims, arrays of objects with minItems/maxItems, format cidr. */
export const networkXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xnetworks.net.example.org
spec:
  group: net.example.org
  names:
    kind: XNetwork
    plural: xnetworks
  claimNames:
    kind: Network
    plural: networks
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    id:
                      type: string
                      description: Network identifier, used as a name prefix.
                      pattern: "^[a-z][a-z0-9-]{2,30}$"
                    region:
                      type: string
                      enum: [eu-west-1, eu-central-1, us-east-1]
                    subnets:
                      type: array
                      minItems: 1
                      maxItems: 6
                      items:
                        type: object
                        properties:
                          cidrBlock:
                            type: string
                            format: cidr
                          zone:
                            type: string
                            enum: [a, b, c]
                          type:
                            type: string
                            enum: [public, private]
                            default: private
                        required: [cidrBlock, zone]
                  required: [id, region, subnets]
              required: [parameters]
`);

/** v1, claims, two served versions: v1alpha1 (old shape) and v1beta1 (referenceable). */
export const bucketXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xbuckets.storage.example.org
spec:
  group: storage.example.org
  names:
    kind: XBucket
    plural: xbuckets
  claimNames:
    kind: Bucket
    plural: buckets
  connectionSecretKeys: [bucketName, endpoint]
  versions:
    - name: v1alpha1
      served: true
      referenceable: false
      deprecated: true
      deprecationWarning: storage.example.org/v1alpha1 Bucket is deprecated; use v1beta1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    location:
                      type: string
                  required: [location]
    - name: v1beta1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    region:
                      type: string
                      minLength: 3
                      maxLength: 32
                    versioning:
                      type: boolean
                      default: true
                    lifecycleDays:
                      type: integer
                      minimum: 1
                      exclusiveMaximum: true
                      maximum: 3650
                    tags:
                      type: object
                      additionalProperties:
                        type: string
                      maxProperties: 10
                  required: [region]
`);

/** v1, no claims (cluster-scoped composites only), deeply nested objects. */
export const clusterXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xclusters.platform.example.org
spec:
  group: platform.example.org
  names:
    kind: XCluster
    plural: xclusters
  defaultCompositeDeletePolicy: Foreground
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          description: A Kubernetes cluster with its node pools.
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    kubernetesVersion:
                      type: string
                      pattern: "^1\\\\.(2[89]|3[0-2])$"
                      default: "1.31"
                    nodePool:
                      type: object
                      title: Node pool
                      properties:
                        size:
                          type: string
                          enum: [small, medium, large]
                        count:
                          type: integer
                          minimum: 1
                          maximum: 100
                          default: 3
                        autoscaling:
                          type: object
                          properties:
                            enabled:
                              type: boolean
                              default: false
                            minNodes:
                              type: integer
                              minimum: 1
                            maxNodes:
                              type: integer
                              maximum: 200
                      required: [size]
                  required: [nodePool]
              required: [parameters]
`);

/** v2, Namespaced (the default), no parameters wrapper, int-or-string, arrays of objects. */
export const appXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: apps.platform.example.org
spec:
  group: platform.example.org
  names:
    kind: App
    plural: apps
  versions:
    - name: v1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                image:
                  type: string
                  description: The container image to run.
                  minLength: 1
                replicas:
                  type: integer
                  minimum: 0
                  maximum: 20
                  default: 1
                port:
                  x-kubernetes-int-or-string: true
                  description: Container port, by number or name.
                env:
                  type: array
                  items:
                    type: object
                    properties:
                      name:
                        type: string
                        pattern: "^[A-Z_][A-Z0-9_]*$"
                      value:
                        type: string
                    required: [name]
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
              required: [image]
            status:
              type: object
              properties:
                replicas:
                  type: integer
                address:
                  type: string
`);

/** v2, Cluster scope, maps of int-or-string, arrays of scalars with format. */
export const tenantXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: xtenants.platform.example.org
spec:
  scope: Cluster
  group: platform.example.org
  names:
    kind: XTenant
    plural: xtenants
  defaultCompositionRef:
    name: tenant-namespaces
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                teamName:
                  type: string
                  pattern: "^[a-z][a-z0-9-]*$"
                  maxLength: 40
                quotas:
                  type: object
                  description: Resource quotas, e.g. cpu and memory.
                  additionalProperties:
                    x-kubernetes-int-or-string: true
                admins:
                  type: array
                  items:
                    type: string
                    format: email
                  x-kubernetes-list-type: set
              required: [teamName, admins]
`);

/** v2, LegacyCluster with claims, a preserve-unknown-fields object. */
export const redisXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: xredisclusters.cache.example.org
spec:
  scope: LegacyCluster
  group: cache.example.org
  names:
    kind: XRedisCluster
    plural: xredisclusters
  claimNames:
    kind: RedisCluster
    plural: redisclusters
  connectionSecretKeys: [host, port, password]
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    memoryMB:
                      type: integer
                      enum: [256, 512, 1024, 4096]
                      default: 512
                    shards:
                      type: integer
                      minimum: 1
                      maximum: 16
                      multipleOf: 1
                    config:
                      type: object
                      description: Raw redis.conf settings.
                      x-kubernetes-preserve-unknown-fields: true
                  required: [memoryMB]
`);

/** v1, claims, Helm values as free-form YAML, uri format. */
export const helmXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xhelmreleases.apps.example.org
spec:
  group: apps.example.org
  names:
    kind: XHelmRelease
    plural: xhelmreleases
  claimNames:
    kind: HelmRelease
    plural: helmreleases
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                chart:
                  type: object
                  properties:
                    name:
                      type: string
                    repository:
                      type: string
                      format: uri
                    version:
                      type: string
                      pattern: "^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+$"
                  required: [name, repository]
                values:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                namespace:
                  type: string
                  description: Namespace the release is installed in.
              required: [chart]
`);

/** v2, Namespaced, oneOf, nullable, exclusiveMinimum, date-time. */
export const databaseXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: databases.data.example.org
spec:
  group: data.example.org
  names:
    kind: Database
    plural: databases
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                engine:
                  type: string
                  enum: [postgres, mysql]
                  default: postgres
                cpu:
                  type: number
                  minimum: 0
                  exclusiveMinimum: true
                  maximum: 64
                source:
                  type: object
                  description: Restore from a snapshot or from a point in time.
                  properties:
                    snapshot:
                      type: string
                    pointInTime:
                      type: string
                      format: date-time
                  oneOf:
                    - required: [snapshot]
                    - required: [pointInTime]
                maintenanceWindow:
                  type: string
                  nullable: true
              required: [engine]
`);

/** v1, claims, UI hints from x-ui-* keys and from the XRD annotation. */
export const queueXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xqueues.messaging.example.org
  annotations:
    platformops.io/ui-schema: |
      parameters:
        ui:order: [name, fifo, retentionSeconds, "*"]
      parameters.retentionSeconds:
        ui:help: How long unread messages are kept.
      parameters.fifo:
        ui:widget: radio
spec:
  group: messaging.example.org
  names:
    kind: XQueue
    plural: xqueues
  claimNames:
    kind: Queue
    plural: queues
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    name:
                      type: string
                      x-ui-help: The queue name as seen by applications.
                      maxLength: 80
                    fifo:
                      type: boolean
                      default: false
                    retentionSeconds:
                      type: integer
                      minimum: 60
                      maximum: 1209600
                      default: 345600
                    deadLetter:
                      type: object
                      properties:
                        maxReceiveCount:
                          type: integer
                          minimum: 1
                        enabled:
                          type: boolean
                    visibility:
                      type: string
                      enum: [internal, external]
                      x-ui-widget: radio
                  required: [name]
`);

/** v2, Namespaced, arrays of scalars (set), nested maps, defaults at several levels. */
export const webappXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: webapps.platform.example.org
spec:
  scope: Namespaced
  group: platform.example.org
  names:
    kind: WebApp
    plural: webapps
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                domains:
                  type: array
                  items:
                    type: string
                    format: hostname
                  maxItems: 5
                  x-kubernetes-list-type: set
                ingress:
                  type: object
                  properties:
                    enabled:
                      type: boolean
                      default: true
                    className:
                      type: string
                      default: nginx
                    annotations:
                      type: object
                      additionalProperties:
                        type: string
                tls:
                  type: object
                  properties:
                    issuer:
                      type: string
                      enum: [letsencrypt-staging, letsencrypt-prod]
                      default: letsencrypt-staging
                ports:
                  type: array
                  items:
                    type: integer
                    minimum: 1
                    maximum: 65535
`);

/** v1, claims, CEL rules (not evaluated), required scalars, TTL bounds. */
export const dnsXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xdnsrecords.dns.example.org
spec:
  group: dns.example.org
  names:
    kind: XDNSRecord
    plural: xdnsrecords
  claimNames:
    kind: DNSRecord
    plural: dnsrecords
  versions:
    - name: v1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  x-kubernetes-validations:
                    - rule: "self.type != 'CNAME' || size(self.values) == 1"
                      message: a CNAME record has exactly one value
                  properties:
                    zone:
                      type: string
                      format: hostname
                    recordName:
                      type: string
                      maxLength: 63
                    type:
                      type: string
                      enum: [A, AAAA, CNAME, TXT]
                    ttl:
                      type: integer
                      minimum: 60
                      maximum: 86400
                      default: 300
                    values:
                      type: array
                      minItems: 1
                      items:
                        type: string
                  required: [zone, recordName, type, values]
              required: [parameters]
`);

/** v2, Namespaced, two versions (v1alpha1 deprecated), anyOf. */
export const functionAppXrd = parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: functionapps.serverless.example.org
spec:
  group: serverless.example.org
  names:
    kind: FunctionApp
    plural: functionapps
  versions:
    - name: v1alpha1
      served: true
      referenceable: false
      deprecated: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                runtime:
                  type: string
                code:
                  type: string
    - name: v1beta1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                runtime:
                  type: string
                  enum: [nodejs22, python3.12, go1.x]
                memoryMB:
                  type: integer
                  minimum: 128
                  maximum: 10240
                  default: 256
                source:
                  type: object
                  properties:
                    image:
                      type: string
                    zipUrl:
                      type: string
                      format: uri
                  anyOf:
                    - required: [image]
                    - required: [zipUrl]
                timeoutSeconds:
                  x-kubernetes-int-or-string: true
                  default: 30
              required: [runtime, source]
`);

/** Every XRD fixture, by a short name. */
/**
 * v1, claims, as the API server returns it: properties sorted by name. For
 * the form's field order only; not one of {@link allXrds}.
 */
export const objectStoreXrd = parse(`
apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata:
  name: xobjectstores.storage.example.org
spec:
  group: storage.example.org
  names:
    kind: XObjectStore
    plural: xobjectstores
  claimNames:
    kind: ObjectStore
    plural: objectstores
  versions:
    - name: v1alpha1
      served: true
      referenceable: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parameters:
                  type: object
                  properties:
                    lifecycle:
                      type: object
                      properties:
                        expireAfterDays:
                          type: integer
                          minimum: 1
                    publicRead:
                      type: boolean
                    region:
                      type: string
                      enum: [eu-west-1, us-east-1]
                    storageClass:
                      type: string
                      default: STANDARD
                    versioning:
                      type: boolean
                  required: [storageClass, region]
`);

export const allXrds: Record<string, unknown> = {
  postgres: postgresXrd,
  network: networkXrd,
  bucket: bucketXrd,
  cluster: clusterXrd,
  app: appXrd,
  tenant: tenantXrd,
  redis: redisXrd,
  helm: helmXrd,
  database: databaseXrd,
  queue: queueXrd,
  webapp: webappXrd,
  dns: dnsXrd,
  functionApp: functionAppXrd,
};
