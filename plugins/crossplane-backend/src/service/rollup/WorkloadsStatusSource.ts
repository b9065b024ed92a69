import {
  computeHealth,
  KubernetesObject,
  podFacts,
  replicasOf,
  StatusSignal,
} from '@platformops/plugin-crossplane-common';
import { selectsPod } from './entityLabels';
import {
  LabelledObjects,
  LabelledObjectsStatusSource,
} from './LabelledObjectsStatusSource';

/** Workload kinds a service runs as, with their pods. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

/**
 * The `workloads` status source: a service's Deployments and StatefulSets
 * (labelled with its `backstage.io/kubernetes-id`, or selected by its
 * `backstage.io/kubernetes-label-selector`) with ready replicas, and each
 * of their pods
 * with ready containers, restarts and last failure, from the shared object
 * cache. Only objects the caller may read are shown.
 */
export class WorkloadsStatusSource extends LabelledObjectsStatusSource {
  readonly id = 'workloads';
  readonly title = 'Workloads';

  protected signalsOf({
    cache,
    belongs,
    visible,
  }: LabelledObjects): StatusSignal[] {
    const { cluster } = cache;
    const workloads = WORKLOAD_KINDS.flatMap(kind =>
      cache.objectsOfKind('apps', kind),
    ).filter(w => belongs(w) && visible(w));
    if (workloads.length === 0) return [];
    const namespaces = new Set(workloads.map(w => w.metadata.namespace));
    const pods = cache
      .objectsOfKind('', 'Pod')
      .filter(p => namespaces.has(p.metadata.namespace));
    const signals: StatusSignal[] = [];
    for (const workload of workloads) {
      signals.push(workloadSignal(cluster, workload));
      for (const pod of pods) {
        if (selectsPod(workload, pod) && visible(pod)) {
          signals.push(podSignal(cluster, workload, pod));
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
