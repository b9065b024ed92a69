import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  computeHealth,
  KubernetesObject,
  podFacts,
  replicasOf,
  StatusSignal,
} from '@platformops/plugin-crossplane-common';
import {
  CrossplaneObjectCache,
  StatusSource,
} from '@platformops/plugin-crossplane-node';
import { kubernetesObjectsOf, selectsPod } from './entityLabels';
import { Readable } from './readableObjects';

/** Workload kinds a service runs as, with their pods. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

/**
 * The `workloads` status source: a service's Deployments and StatefulSets
 * (labelled with its `backstage.io/kubernetes-id`, see
 * {@link kubernetesObjectsOf}) with ready replicas, and each of their pods
 * with ready containers, restarts and last failure, from the shared object
 * cache. Only objects the caller may read are shown.
 */
export class WorkloadsStatusSource implements StatusSource {
  readonly id = 'workloads';
  readonly title = 'Workloads';
  readonly #cache: CrossplaneObjectCache;
  readonly #readable: (credentials: BackstageCredentials) => Promise<Readable>;

  constructor(options: {
    cache: CrossplaneObjectCache;
    readable: (credentials: BackstageCredentials) => Promise<Readable>;
  }) {
    this.#cache = options.cache;
    this.#readable = options.readable;
  }

  async signalsFor(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<StatusSignal[]> {
    const belongs = kubernetesObjectsOf(entity);
    if (!belongs) return [];
    const readable = await this.#readable(options.credentials);
    const signals: StatusSignal[] = [];
    for (const cache of this.#cache.caches()) {
      const { cluster } = cache;
      const workloads = WORKLOAD_KINDS.flatMap(kind =>
        cache.objectsOfKind('apps', kind),
      ).filter(w => belongs(w) && readable.object(cluster, w));
      if (workloads.length === 0) continue;
      const namespaces = new Set(workloads.map(w => w.metadata.namespace));
      const pods = cache
        .objectsOfKind('', 'Pod')
        .filter(p => namespaces.has(p.metadata.namespace));
      for (const workload of workloads) {
        signals.push(workloadSignal(cluster, workload));
        for (const pod of pods) {
          if (selectsPod(workload, pod) && readable.object(cluster, pod)) {
            signals.push(podSignal(cluster, workload, pod));
          }
        }
      }
    }
    return signals;
  }
}

function workloadSignal(
  cluster: string,
  workload: KubernetesObject,
): StatusSignal {
  const health = computeHealth(workload);
  const { ready, desired } = replicasOf(workload);
  const signal: StatusSignal = {
    source: 'workloads',
    name: `${workload.kind} ${workload.metadata.name}`,
    health,
    details: {
      ready: `${ready}/${desired}`,
      cluster,
      namespace: workload.metadata.namespace ?? '',
    },
  };
  if (health.since) signal.time = health.since;
  return signal;
}

function podSignal(
  cluster: string,
  workload: KubernetesObject,
  pod: KubernetesObject,
): StatusSignal {
  const health = computeHealth(pod);
  const facts = podFacts(pod);
  const details: Record<string, string> = {
    ready: `${facts.readyContainers}/${facts.containers}`,
    restarts: String(facts.restarts),
    workload: `${workload.kind} ${workload.metadata.name}`,
    cluster,
    namespace: pod.metadata.namespace ?? '',
  };
  const failure = facts.lastFailure;
  if (failure) {
    details.lastFailure = `${failure.reason}${
      failure.exitCode !== undefined ? ` (exit ${failure.exitCode})` : ''
    }${failure.at ? ` at ${failure.at}` : ''}`;
  }
  const signal: StatusSignal = {
    source: 'workloads',
    name: `Pod ${pod.metadata.name}`,
    health,
    details,
  };
  if (health.since) signal.time = health.since;
  return signal;
}
