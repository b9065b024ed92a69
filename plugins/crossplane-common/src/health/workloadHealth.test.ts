import { KubernetesObject } from '../model/types';
import { computeHealth } from './computeHealth';
import {
  cronJobHealth,
  jobRun,
  podFacts,
  podHealth,
  replicasOf,
  runsOfCronJob,
} from './workloadHealth';

function pod(status: object, spec: object = {}): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'payments-api-x', namespace: 'team-alpha' },
    spec: { containers: [{ name: 'api' }], ...spec },
    status,
  };
}

const crashLooping = pod({
  phase: 'Running',
  conditions: [
    { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
  ],
  containerStatuses: [
    {
      name: 'api',
      ready: false,
      restartCount: 14,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 5m0s restarting failed container',
        },
      },
      lastState: {
        terminated: {
          reason: 'Error',
          exitCode: 1,
          finishedAt: '2026-12-05T10:00:00Z',
        },
      },
    },
  ],
});

function job(
  name: string,
  conditions: object[],
  extra: { startTime?: string; owner?: string; uid?: string } = {},
): KubernetesObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'team-alpha',
      ...(extra.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'batch/v1',
                kind: 'CronJob',
                name: extra.owner,
                uid: extra.uid ?? '',
              },
            ],
          }
        : {}),
    },
    status: { conditions, startTime: extra.startTime },
  };
}

describe('pod health', () => {
  it('names a crash loop with its restarts and last exit', () => {
    const health = podHealth(crashLooping);
    expect(health).toMatchObject({
      status: 'Degraded',
      reason: 'CrashLoopBackOff',
      since: '2026-12-05T10:00:00Z',
    });
    expect(health.message).toMatch(
      /^CrashLoopBackOff \(14 restarts\), last exit: Error \(code 1\)/,
    );
    expect(computeHealth(crashLooping)).toEqual(health);
    expect(podFacts(crashLooping)).toEqual({
      readyContainers: 0,
      containers: 1,
      restarts: 14,
      lastFailure: {
        container: 'api',
        reason: 'Error',
        exitCode: 1,
        at: '2026-12-05T10:00:00Z',
      },
    });
  });

  it.each(['ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError'])(
    'is Degraded while a container waits with %s',
    reason => {
      expect(
        podHealth(
          pod({
            phase: 'Pending',
            containerStatuses: [
              { name: 'api', state: { waiting: { reason } } },
            ],
          }),
        ),
      ).toMatchObject({ status: 'Degraded', reason });
    },
  );

  it('is Healthy when running and ready, Progressing while not yet ready or pending', () => {
    const ready = pod({
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2026-12-05T09:00:00Z',
        },
      ],
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0 }],
    });
    expect(podHealth(ready)).toEqual({
      status: 'Healthy',
      reason: 'Running',
      since: '2026-12-05T09:00:00Z',
    });
    expect(
      podHealth(
        pod({
          phase: 'Running',
          containerStatuses: [{ name: 'api', ready: false, restartCount: 2 }],
        }),
      ),
    ).toMatchObject({
      status: 'Progressing',
      message: '0 of 1 containers ready (2 restarts)',
    });
    expect(podHealth(pod({ phase: 'Pending' }))).toMatchObject({
      status: 'Progressing',
      reason: 'Pending',
    });
    expect(
      podHealth(
        pod({
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/0 nodes are available',
            },
          ],
        }),
      ),
    ).toMatchObject({
      status: 'Progressing',
      reason: 'Unschedulable',
      message: '0/0 nodes are available',
    });
  });

  it('reads finished pods and ignores clean exits as failures', () => {
    expect(podHealth(pod({ phase: 'Succeeded' })).status).toBe('Healthy');
    expect(
      podHealth(pod({ phase: 'Failed', reason: 'Evicted', message: 'disk' })),
    ).toEqual({ status: 'Degraded', reason: 'Evicted', message: 'disk' });
    expect(
      podFacts(
        pod({
          containerStatuses: [
            {
              name: 'api',
              restartCount: 1,
              lastState: { terminated: { exitCode: 0, reason: 'Completed' } },
            },
          ],
        }),
      ).lastFailure,
    ).toBeUndefined();
  });

  it('lets deletion win over a crash loop', () => {
    const deleting = {
      ...crashLooping,
      metadata: {
        ...crashLooping.metadata,
        deletionTimestamp: '2026-12-05T11:00:00Z',
      },
    };
    expect(computeHealth(deleting).status).toBe('Deleting');
  });
});

describe('job and cron job health', () => {
  it('makes a finished run an event at the time it finished', () => {
    expect(
      jobRun(
        job(
          'backup-1',
          [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastTransitionTime: '2026-12-05T03:00:00Z',
            },
          ],
          { startTime: '2026-12-05T02:59:00Z' },
        ),
      ),
    ).toEqual({
      health: {
        status: 'Degraded',
        condition: 'Failed',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        since: '2026-12-05T03:00:00Z',
      },
      finished: true,
      time: '2026-12-05T03:00:00Z',
      startedAt: '2026-12-05T02:59:00Z',
    });
    const running = jobRun(
      job('backup-2', [], { startTime: '2026-12-05T04:00:00Z' }),
    );
    expect(running).toMatchObject({
      finished: false,
      time: '2026-12-05T04:00:00Z',
      health: { status: 'Progressing', reason: 'Running' },
    });
  });

  it('judges a cron job by its newest run, from the jobs it owns', () => {
    const cron: KubernetesObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'team-alpha', uid: 'u1' },
      spec: { schedule: '0 3 * * *' },
    };
    const older = job(
      'backup-1',
      [
        {
          type: 'Complete',
          status: 'True',
          lastTransitionTime: '2026-12-04T03:01:00Z',
        },
      ],
      { owner: 'backup', uid: 'u1', startTime: '2026-12-04T03:00:00Z' },
    );
    const newest = job(
      'backup-2',
      [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          lastTransitionTime: '2026-12-05T03:01:00Z',
        },
      ],
      { owner: 'backup', uid: 'u1', startTime: '2026-12-05T03:00:00Z' },
    );
    const stranger = job('other-1', [], {
      owner: 'backup',
      uid: 'another-uid',
      startTime: '2026-12-06T03:00:00Z',
    });
    expect(
      runsOfCronJob(cron, [older, stranger, newest]).map(j => j.metadata.name),
    ).toEqual(['backup-2', 'backup-1']);
    expect(cronJobHealth(cron, [older, newest, stranger])).toMatchObject({
      status: 'Degraded',
      reason: 'BackoffLimitExceeded',
      message: 'last run backup-2: BackoffLimitExceeded',
      since: '2026-12-05T03:01:00Z',
    });
    expect(cronJobHealth(cron, [])).toMatchObject({
      status: 'Healthy',
      reason: 'NoRunsYet',
    });
    expect(
      cronJobHealth({ ...cron, spec: { suspend: true } }, [newest]).status,
    ).toBe('Paused');
  });
});

describe('replicas', () => {
  it('reads ready and desired replicas', () => {
    const deployment: KubernetesObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'payments-api' },
      spec: { replicas: 3 },
      status: { readyReplicas: 2 },
    };
    expect(replicasOf(deployment)).toEqual({ ready: 2, desired: 3 });
    expect(computeHealth(deployment)).toMatchObject({
      status: 'Progressing',
      message: '2 of 3 replicas ready',
    });
    expect(replicasOf({ ...deployment, spec: {}, status: {} })).toEqual({
      ready: 0,
      desired: 1,
    });
  });
});
