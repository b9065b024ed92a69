import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import type { CrossplaneObjectCache } from '@platformops/plugin-crossplane-node';

/** A cache of fixed objects per cluster, for the sources' unit tests. */
export function fixedCache(
  clusters: Record<string, KubernetesObject[]>,
): CrossplaneObjectCache {
  const caches = Object.entries(clusters).map(([cluster, objects]) => ({
    cluster,
    objectsOfKind: (group: string, kind: string) =>
      objects.filter(
        o =>
          o.kind === kind &&
          (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '') ===
            group,
      ),
  }));
  return {
    start() {},
    caches: () => caches as any,
    cache: (name: string) => caches.find(c => c.cluster === name) as any,
  };
}

export const ID_LABEL = { 'backstage.io/kubernetes-id': 'payments-api' };

export function deployment(
  namespace: string,
  name: string,
  ready: number,
  replicas = 2,
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: ID_LABEL, generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: name } } },
    status: { observedGeneration: 1, readyReplicas: ready },
  };
}

/** A pod of a service: running and ready, or crash-looping (14 restarts). */
export function pod(
  namespace: string,
  name: string,
  app: string,
  crashing = false,
): KubernetesObject {
  const container = crashing
    ? {
        name: 'api',
        ready: false,
        restartCount: 14,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: {
          terminated: {
            reason: 'Error',
            exitCode: 1,
            finishedAt: '2026-12-05T10:00:00Z',
          },
        },
      }
    : { name: 'api', ready: true, restartCount: 0 };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app } },
    spec: { containers: [{ name: 'api' }] },
    status: {
      phase: 'Running',
      conditions: crashing ? [] : [{ type: 'Ready', status: 'True' }],
      containerStatuses: [container],
    },
  };
}
