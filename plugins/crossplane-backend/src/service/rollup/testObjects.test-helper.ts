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

export function runningPod(
  namespace: string,
  name: string,
  app: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app } },
    spec: { containers: [{ name: 'api' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0 }],
    },
  };
}

export function crashingPod(
  namespace: string,
  name: string,
  app: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app } },
    spec: { containers: [{ name: 'api' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
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
        },
      ],
    },
  };
}
