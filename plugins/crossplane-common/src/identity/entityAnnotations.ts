/**
 * The annotations PlatformOps sets on every entity it ingests from a
 * cluster: the object's identity (read back by the frontend, the status
 * backend and the scaffolder to find the object) and its health.
 *
 * @public
 */
export const CROSSPLANE_ENTITY_ANNOTATIONS = {
  cluster: 'platformops.io/cluster',
  apiVersion: 'platformops.io/api-version',
  kind: 'platformops.io/kind',
  namespace: 'platformops.io/namespace',
  name: 'platformops.io/name',
  uid: 'platformops.io/uid',
  objectClass: 'platformops.io/object-class',
  health: 'platformops.io/health',
  healthReason: 'platformops.io/health-reason',
  healthMessage: 'platformops.io/health-message',
  healthSince: 'platformops.io/health-since',
  /** On a cluster: the kinds whose list fails, e.g. `Bucket.s3.aws.upbound.io`. */
  failingKinds: 'platformops.io/failing-kinds',
} as const;
