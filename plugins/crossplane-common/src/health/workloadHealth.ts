import { getConditions } from '../model/crossplane';
import { KubernetesObject } from '../model/types';
import { asArray, isRecord } from '../model/util';
import { fromCondition } from './fromCondition';
import { Health } from './types';

/**
 * Waiting reasons of a container that mean it is broken, not starting:
 * the pod is `Degraded` with that reason.
 */
const FAILED_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

/**
 * A container's last termination that was not a clean exit.
 *
 * @public
 */
export interface ContainerFailure {
  container: string;
  /** e.g. `Error`, `OOMKilled`. */
  reason: string;
  exitCode?: number;
  /** When it ended (RFC 3339). */
  at?: string;
}

/**
 * What a pod's status says at a glance: ready containers, restarts, and the
 * most recent failed termination of any of its containers.
 *
 * @public
 */
export interface PodFacts {
  readyContainers: number;
  containers: number;
  restarts: number;
  lastFailure?: ContainerFailure;
}

function statusOf(obj: KubernetesObject): Record<string, any> {
  return isRecord(obj?.status) ? obj.status : {};
}

function containerStatuses(pod: KubernetesObject): Record<string, any>[] {
  const status = statusOf(pod);
  return [
    ...asArray(status.initContainerStatuses),
    ...asArray(status.containerStatuses),
  ].filter(isRecord);
}

function failureOf(cs: Record<string, any>): ContainerFailure | undefined {
  for (const state of [cs.state, cs.lastState]) {
    const terminated = isRecord(state) ? state.terminated : undefined;
    if (!isRecord(terminated)) continue;
    const exitCode =
      typeof terminated.exitCode === 'number' ? terminated.exitCode : undefined;
    if (exitCode === 0 && terminated.reason !== 'OOMKilled') continue;
    const failure: ContainerFailure = {
      container: String(cs.name ?? ''),
      reason: String(terminated.reason ?? 'Error'),
    };
    if (exitCode !== undefined) failure.exitCode = exitCode;
    if (typeof terminated.finishedAt === 'string')
      failure.at = terminated.finishedAt;
    return failure;
  }
  return undefined;
}

/**
 * Ready containers, restarts and the last failed termination of a pod.
 * Init containers count for restarts and failures, not for readiness.
 *
 * @public
 */
export function podFacts(pod: KubernetesObject): PodFacts {
  const status = statusOf(pod);
  const main = asArray(status.containerStatuses).filter(isRecord);
  const spec = isRecord(pod?.spec) ? pod.spec : {};
  let restarts = 0;
  let lastFailure: ContainerFailure | undefined;
  for (const cs of containerStatuses(pod)) {
    if (typeof cs.restartCount === 'number') restarts += cs.restartCount;
    const failure = failureOf(cs);
    if (
      failure &&
      (!lastFailure || (failure.at ?? '') > (lastFailure.at ?? ''))
    ) {
      lastFailure = failure;
    }
  }
  const facts: PodFacts = {
    readyContainers: main.filter(cs => cs.ready === true).length,
    containers: Math.max(main.length, asArray(spec.containers).length),
    restarts,
  };
  if (lastFailure) facts.lastFailure = lastFailure;
  return facts;
}

function restartsNote(restarts: number): string {
  return restarts === 1 ? ' (1 restart)' : ` (${restarts} restarts)`;
}

/**
 * A pod's health from its phase and containers: a container waiting for a
 * broken reason (`CrashLoopBackOff`, `ImagePullBackOff`, ...) makes it
 * `Degraded` with that reason and its restarts; `Running` with every
 * container ready is `Healthy`, not yet ready or `Pending` is `Progressing`
 * (an unschedulable pod says why), `Failed` is `Degraded`, `Succeeded` is
 * `Healthy`. Deletion is judged by `computeHealth`, which calls this.
 *
 * @public
 */
export function podHealth(pod: KubernetesObject): Health {
  const status = statusOf(pod);
  const phase = typeof status.phase === 'string' ? status.phase : undefined;
  const facts = podFacts(pod);
  for (const cs of containerStatuses(pod)) {
    const waiting =
      isRecord(cs.state) && isRecord(cs.state.waiting)
        ? cs.state.waiting
        : undefined;
    if (waiting && FAILED_WAITING_REASONS.has(String(waiting.reason))) {
      const reason = String(waiting.reason);
      const lastFailure = facts.lastFailure;
      const h: Health = {
        status: 'Degraded',
        reason,
        message: `${reason}${restartsNote(facts.restarts)}${
          lastFailure
            ? `, last exit: ${lastFailure.reason}${
                lastFailure.exitCode !== undefined
                  ? ` (code ${lastFailure.exitCode})`
                  : ''
              }`
            : ''
        }${typeof waiting.message === 'string' ? `: ${waiting.message}` : ''}`,
        condition: `container ${String(cs.name ?? '')}`,
      };
      if (lastFailure?.at) h.since = lastFailure.at;
      return h;
    }
  }
  const conditions = getConditions(pod);
  const since = (type: string) =>
    conditions.find(c => c.type === type)?.lastTransitionTime;
  if (phase === 'Succeeded') return { status: 'Healthy', reason: phase };
  if (phase === 'Failed') {
    const h: Health = {
      status: 'Degraded',
      reason: typeof status.reason === 'string' ? status.reason : 'Failed',
    };
    if (typeof status.message === 'string') h.message = status.message;
    return h;
  }
  if (phase === 'Pending' || !phase) {
    const unschedulable = conditions.find(
      c => c.type === 'PodScheduled' && c.status === 'False',
    );
    const h: Health = {
      status: 'Progressing',
      reason: unschedulable?.reason ?? 'Pending',
    };
    if (unschedulable?.message) h.message = unschedulable.message;
    return h;
  }
  if (phase === 'Running') {
    const ready = conditions.find(c => c.type === 'Ready');
    const allReady =
      ready?.status === 'True' ||
      (!ready &&
        facts.containers > 0 &&
        facts.readyContainers === facts.containers);
    const h: Health = allReady
      ? { status: 'Healthy', reason: 'Running' }
      : {
          status: 'Progressing',
          reason: ready?.reason ?? 'ContainersNotReady',
          message: `${facts.readyContainers} of ${
            facts.containers
          } containers ready${
            facts.restarts ? restartsNote(facts.restarts) : ''
          }`,
        };
    const t = since('Ready');
    if (t) h.since = t;
    return h;
  }
  return { status: 'Unknown', reason: phase };
}

/**
 * A Job's health: `Failed` is `Degraded` since the condition's time,
 * `Complete` is `Healthy`, otherwise `Progressing` (running). A finished
 * run is an event: see {@link jobRun}.
 *
 * @public
 */
export function jobHealth(job: KubernetesObject): Health {
  const conditions = getConditions(job);
  const failed = conditions.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  if (failed) return fromCondition('Degraded', failed);
  const complete = conditions.find(
    c => c.type === 'Complete' && c.status === 'True',
  );
  if (complete) return fromCondition('Healthy', complete);
  const status = statusOf(job);
  const h: Health = { status: 'Progressing', reason: 'Running' };
  if (typeof status.startTime === 'string') h.since = status.startTime;
  return h;
}

/**
 * One run of a Job: its health, whether it has finished (then it is an
 * event, with the time it finished), and when it started.
 *
 * @public
 */
export interface JobRun {
  health: Health;
  finished: boolean;
  /** When it finished, or when it started while running (RFC 3339). */
  time?: string;
  startedAt?: string;
}

/** @public */
export function jobRun(job: KubernetesObject): JobRun {
  const health = jobHealth(job);
  const status = statusOf(job);
  const startedAt =
    typeof status.startTime === 'string'
      ? status.startTime
      : job?.metadata?.creationTimestamp;
  const finished = health.status !== 'Progressing';
  const completion =
    typeof status.completionTime === 'string'
      ? status.completionTime
      : undefined;
  const run: JobRun = {
    health,
    finished,
    time: finished ? health.since ?? completion ?? startedAt : startedAt,
  };
  if (startedAt) run.startedAt = startedAt;
  return run;
}

/**
 * The Jobs a CronJob created (by owner reference), newest first.
 *
 * @public
 */
export function runsOfCronJob(
  cronJob: KubernetesObject,
  jobs: Iterable<KubernetesObject>,
): KubernetesObject[] {
  const uid = cronJob?.metadata?.uid;
  const runs: KubernetesObject[] = [];
  for (const job of jobs) {
    if (job.metadata?.namespace !== cronJob.metadata?.namespace) continue;
    const owners = asArray(job.metadata?.ownerReferences).filter(isRecord);
    if (
      owners.some(
        o =>
          o.kind === 'CronJob' &&
          (uid ? o.uid === uid : o.name === cronJob.metadata.name),
      )
    ) {
      runs.push(job);
    }
  }
  const started = new Map(runs.map(j => [j, jobRun(j).startedAt ?? '']));
  return runs.sort((a, b) => started.get(b)!.localeCompare(started.get(a)!));
}

/**
 * A CronJob's health is that of its last run (from the Jobs it owns):
 * `Paused` while suspended, `Healthy` when it has not run yet.
 *
 * @public
 */
export function cronJobHealth(
  cronJob: KubernetesObject,
  jobs: Iterable<KubernetesObject>,
): Health {
  const spec = isRecord(cronJob?.spec) ? cronJob.spec : {};
  if (spec.suspend === true) {
    return {
      status: 'Paused',
      reason: 'Suspended',
      message: 'the schedule is suspended',
    };
  }
  const [last] = runsOfCronJob(cronJob, jobs);
  if (!last) {
    const h: Health = {
      status: 'Healthy',
      reason: 'NoRunsYet',
      message: 'no run yet',
    };
    const scheduled = statusOf(cronJob).lastScheduleTime;
    if (typeof scheduled === 'string') h.since = scheduled;
    return h;
  }
  const run = jobRun(last);
  const h: Health = {
    ...run.health,
    message: `last run ${last.metadata.name}: ${
      run.health.message ?? run.health.reason ?? run.health.status
    }`,
  };
  if (run.time) h.since = run.time;
  return h;
}

/**
 * Deployments, StatefulSets, DaemonSets and ReplicaSets: `Progressing`
 * while a new generation is not yet observed or fewer replicas are ready
 * than desired (unless a condition already says it is broken); undefined
 * when the replicas say nothing and the conditions decide.
 */
export function replicasHealth(
  obj: KubernetesObject,
  brokenCondition: boolean,
): Health | undefined {
  const status = statusOf(obj);
  const generation = obj.metadata?.generation;
  if (
    typeof generation === 'number' &&
    typeof status.observedGeneration === 'number' &&
    status.observedGeneration < generation
  ) {
    return {
      status: 'Progressing',
      reason: 'NotObserved',
      message: `generation ${generation} not yet observed (at ${status.observedGeneration})`,
    };
  }
  let desired: unknown = 1;
  if (obj.kind === 'DaemonSet') desired = status.desiredNumberScheduled;
  else if (isRecord(obj.spec) && typeof obj.spec.replicas === 'number') {
    desired = obj.spec.replicas;
  }
  const ready =
    obj.kind === 'DaemonSet'
      ? status.numberReady
      : status.readyReplicas ?? status.availableReplicas;
  if (
    typeof desired === 'number' &&
    (ready ?? 0) < desired &&
    !brokenCondition
  ) {
    return {
      status: 'Progressing',
      reason: 'ReplicasNotReady',
      message: `${ready ?? 0} of ${desired} replicas ready`,
    };
  }
  return undefined;
}

/**
 * Ready and desired replicas of a Deployment or StatefulSet, e.g. `2/3`.
 *
 * @public
 */
export function replicasOf(obj: KubernetesObject): {
  ready: number;
  desired: number;
} {
  const status = statusOf(obj);
  const spec = isRecord(obj?.spec) ? obj.spec : {};
  const ready = status.readyReplicas ?? status.availableReplicas;
  return {
    ready: typeof ready === 'number' ? ready : 0,
    desired: typeof spec.replicas === 'number' ? spec.replicas : 1,
  };
}
