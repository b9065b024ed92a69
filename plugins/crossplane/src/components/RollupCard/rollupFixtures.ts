import { EntityRollup } from '../../api/types';

/** A service whose pod crash-loops, as the roll-up backend reports it. */
export const degradedService: EntityRollup = {
  entityRef: 'component:default/payments-api',
  health: {
    status: 'Degraded',
    reason: 'CrashLoopBackOff',
    message: 'Degraded because pod payments-api-7d9c-x2k4 CrashLoopBackOff',
  },
  cause: {
    source: 'workloads',
    name: 'Pod payments-api-7d9c-x2k4',
    health: { status: 'Degraded', reason: 'CrashLoopBackOff' },
    link: 'https://k8s.example.com/pods/payments-api-7d9c-x2k4',
  },
  sources: [
    {
      id: 'workloads',
      title: 'Workloads',
      health: { status: 'Degraded' },
      signals: [
        {
          source: 'workloads',
          name: 'Pod payments-api-7d9c-x2k4',
          health: {
            status: 'Degraded',
            reason: 'CrashLoopBackOff',
            message: 'back-off 5m0s restarting failed container',
          },
          details: { ready: '0/1', restarts: '14', lastFailure: 'Error' },
          time: '2026-12-05T10:00:00Z',
        },
        {
          source: 'workloads',
          name: 'Pod payments-api-7d9c-ab12',
          health: { status: 'Healthy' },
          details: { ready: '1/1', restarts: '0' },
        },
      ],
    },
    {
      id: 'jobs',
      title: 'Pipeline runs',
      health: { status: 'Degraded' },
      signals: [
        {
          source: 'jobs',
          name: 'Job payments-nightly-2931',
          health: { status: 'Degraded', reason: 'BackoffLimitExceeded' },
          time: '2026-12-05T09:00:00Z',
          event: true,
        },
      ],
    },
    {
      id: 'crossplane',
      title: 'Crossplane resources',
      health: { status: 'Healthy' },
      signals: [
        {
          source: 'crossplane',
          name: 'PostgreSQLInstance team-alpha/payments-db',
          health: { status: 'Healthy' },
          entityRef: 'component:default/payments-db',
        },
      ],
    },
  ],
  computedAt: '2026-12-05T10:01:00Z',
};
