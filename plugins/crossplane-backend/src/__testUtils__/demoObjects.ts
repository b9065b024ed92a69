import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

/** The demo's bucket claim kind on itest (Crossplane v1). */
export const BUCKET = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
};

/** Its composite. */
export const XBUCKET = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'XObjectBucket',
};

/** The managed resource its Composition makes. */
export const NOP = {
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
};

/** The demo-v2's namespaced XR kind on itest3 (Crossplane v2): no claims. */
export const APP_DATABASE = {
  apiVersion: 'apps.platformops.io/v1alpha1',
  kind: 'AppDatabase',
};

/** The `.m.` managed resource its Composition makes in the XR's namespace. */
export const NOP_M = {
  apiVersion: 'nop.m.crossplane.io/v1alpha1',
  kind: 'NopResource',
};

/** The demo-v2's XRs: team-alpha's healthy one, team-beta's over quota. */
export const V2_HEALTHY = {
  ...APP_DATABASE,
  namespace: 'team-alpha',
  name: 'payments-db',
};
export const V2_FAILING = {
  ...APP_DATABASE,
  namespace: 'team-beta',
  name: 'analytics-db',
};

/** Parameters a bucket claim is valid with. */
export const BUCKET_PARAMETERS = {
  storageClass: 'STANDARD',
  region: 'eu-west-1',
};

/** A bucket claim of a team (its namespace), as a team would write it. */
export function bucketClaim(
  o: { namespace: string; name: string },
  annotations: Record<string, string> = {},
): KubernetesObject {
  return {
    ...BUCKET,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { 'platformops.io/owner': o.namespace },
      annotations,
    },
    spec: { parameters: BUCKET_PARAMETERS },
  } as KubernetesObject;
}

/** An object as the `platformops.io/depends-on` annotation names it. */
export function dependsOnRef(
  cluster: string,
  o: { apiVersion: string; kind: string; namespace?: string; name: string },
): string {
  return `${cluster}:${o.apiVersion}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}
