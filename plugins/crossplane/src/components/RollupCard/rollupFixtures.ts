import { Entity } from '@backstage/catalog-model';
import { EntityRollup } from '../../api/types';

/** A hand-written service's entity. */
export const serviceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-alpha' },
};

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

/** A System of two services, the crash-looping one first. */
export const paymentsSystem: EntityRollup = {
  entityRef: 'system:default/payments',
  health: degradedService.health,
  cause: degradedService.cause,
  sources: [],
  members: [
    {
      entityRef: 'component:default/payments-api',
      health: degradedService.health,
      cause: degradedService.cause,
    },
    {
      entityRef: 'component:default/payments-worker',
      health: { status: 'Healthy' },
    },
  ],
  computedAt: '2026-12-05T10:01:00Z',
};
