/*
 * A secret canary planted in the fuzz's cluster before the requests: a
 * Secret (data, and the last-applied annotation kubectl would write with the
 * same data) and annotations on claims under keys that name secrets. No
 * response of the portal should ever hold the value.
 */
import crypto from 'node:crypto';
import { BenchCluster, kubeCall } from '../../src/kube';

export interface Canary {
  value: string;
  /** The value and its base64 form (as Secret data holds it). */
  needles: string[];
  /** Where it was put, for the report. */
  planted: string[];
}

export const CANARY_SECRET = 'fuzz-canary';
const FIELD_MANAGER = 'platformops-fuzz';
const SECRET_NAMESPACES = ['team-alpha', 'team-beta'];
const SECRET_KEYS = ['password', 'token', 'api.key'];
const ANNOTATION_KEYS = [
  'password',
  'token',
  'example.com/token',
  'example.com/client-secret',
];

/** Server-side apply, so that planting again is a no-op. */
function apply(cluster: BenchCluster, path: string, object: unknown) {
  return kubeCall(
    cluster,
    'PATCH',
    `${path}?fieldManager=${FIELD_MANAGER}&force=true`,
    object,
    'application/apply-patch+yaml',
  );
}

export async function plantCanary(
  cluster: BenchCluster,
  claims: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
    plural: string;
  }[],
): Promise<Canary> {
  const value = `fuzzcanary${crypto.randomBytes(12).toString('hex')}`;
  const base64 = Buffer.from(value).toString('base64');
  const planted: string[] = [];

  for (const namespace of SECRET_NAMESPACES) {
    const data = Object.fromEntries(SECRET_KEYS.map(k => [k, base64]));
    const lastApplied = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: CANARY_SECRET, namespace },
      data,
    });
    await apply(
      cluster,
      `/api/v1/namespaces/${namespace}/secrets/${CANARY_SECRET}`,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: CANARY_SECRET,
          namespace,
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': lastApplied,
            ...Object.fromEntries(ANNOTATION_KEYS.map(k => [k, value])),
          },
        },
        type: 'Opaque',
        data,
      },
    );
    planted.push(`Secret ${namespace}/${CANARY_SECRET}`);
  }

  for (const claim of claims) {
    const [group, version] = claim.apiVersion.split('/');
    await apply(
      cluster,
      `/apis/${group}/${version}/namespaces/${claim.namespace}/${claim.plural}/${claim.name}`,
      {
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        metadata: {
          name: claim.name,
          namespace: claim.namespace,
          annotations: Object.fromEntries(ANNOTATION_KEYS.map(k => [k, value])),
        },
      },
    );
    planted.push(
      `annotations of ${claim.kind} ${claim.namespace}/${claim.name}`,
    );
  }
  return { value, needles: [value, base64], planted };
}

/** Which needle of the canary a response holds, if any. */
export function canaryIn(text: string, canary: Canary): string | undefined {
  return canary.needles.find(n => text.includes(n));
}
