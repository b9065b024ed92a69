import {
  cronJobHealth,
  jobRun,
  KubernetesObject,
  runsOfCronJob,
  StatusSignal,
} from '@platformops/plugin-crossplane-common';
import {
  LabelledObjects,
  LabelledObjectsStatusSource,
} from './LabelledObjectsStatusSource';

/** Most failed runs shown per CronJob besides its last run, newest first. */
export const MAX_FAILED_RUNS = 5;

/**
 * The `jobs` status source: a service's pipelines, as CronJobs and Jobs
 * labelled with its `backstage.io/kubernetes-id` (or selected by its
 * `backstage.io/kubernetes-label-selector`). A CronJob shows its last
 * run (a finished run is an event at the time it finished, so it ages:
 * see `rollupHealth`), and up to {@link MAX_FAILED_RUNS} earlier failed
 * runs; a Job of its own shows its run. Only objects the caller may read.
 */
export class JobsStatusSource extends LabelledObjectsStatusSource {
  readonly id = 'jobs';
  readonly title = 'Jobs';

  protected signalsOf({
    cache,
    belongs,
    visible,
  }: LabelledObjects): StatusSignal[] {
    const { cluster } = cache;
    const cronJobs = cache
      .objectsOfKind('batch', 'CronJob')
      .filter(c => belongs(c) && visible(c));
    const jobs = cache.objectsOfKind('batch', 'Job');
    const shown = new Set<KubernetesObject>();
    const signals: StatusSignal[] = [];
    for (const cronJob of cronJobs) {
      const runs = runsOfCronJob(cronJob, jobs).filter(visible);
      runs.forEach(run => shown.add(run));
      signals.push(cronJobSignal(cluster, cronJob, runs));
      const earlierFailures = runs
        .slice(1)
        .filter(run => jobRun(run).health.status === 'Degraded')
        .slice(0, MAX_FAILED_RUNS);
      for (const run of earlierFailures) {
        signals.push(jobSignal(cluster, run, cronJob));
      }
    }
    for (const job of jobs) {
      if (!shown.has(job) && belongs(job) && visible(job)) {
        signals.push(jobSignal(cluster, job));
      }
    }
    return signals;
  }
}

function cronJobSignal(
  cluster: string,
  cronJob: KubernetesObject,
  runs: KubernetesObject[],
): StatusSignal {
  const health = cronJobHealth(cronJob, runs);
  const last = runs[0] && jobRun(runs[0]);
  const details: Record<string, string> = {
    schedule: String((cronJob.spec as { schedule?: unknown })?.schedule ?? ''),
    cluster,
    namespace: cronJob.metadata.namespace ?? '',
  };
  if (runs[0]) details.lastRun = runs[0].metadata.name;
  const signal: StatusSignal = {
    source: 'jobs',
    name: `CronJob ${cronJob.metadata.name}`,
    health,
    details,
  };
  // Its last run decides; once finished, that run is an event that ages.
  if (last?.finished && health.status !== 'Paused') signal.event = true;
  if (health.since) signal.time = health.since;
  return signal;
}

function jobSignal(
  cluster: string,
  job: KubernetesObject,
  cronJob?: KubernetesObject,
): StatusSignal {
  const run = jobRun(job);
  const details: Record<string, string> = {
    cluster,
    namespace: job.metadata.namespace ?? '',
  };
  if (run.startedAt) details.started = run.startedAt;
  if (cronJob) details.cronJob = cronJob.metadata.name;
  const signal: StatusSignal = {
    source: 'jobs',
    name: `Job ${job.metadata.name}`,
    health: run.health,
    details,
  };
  if (run.finished) signal.event = true;
  if (run.time) signal.time = run.time;
  return signal;
}
