import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  rollupHealth,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { JobsStatusSource } from './JobsStatusSource';
import {
  deployment,
  fixedCache,
  ID_LABEL,
  pod,
} from './testObjects.test-helper';
import { WorkloadsStatusSource } from './WorkloadsStatusSource';

const credentials = mockCredentials.user();

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-alpha', lifecycle: 'production' },
};

/** Reads everything but namespace team-beta. */
const notTeamBeta = async () => ({
  object: (_cluster: string, o: KubernetesObject) =>
    o.metadata.namespace !== 'team-beta',
  id: () => false,
});

describe('WorkloadsStatusSource', () => {
  const cache = fixedCache({
    east: [
      deployment('team-alpha', 'payments-api', 1),
      pod('team-alpha', 'payments-api-a', 'payments-api'),
      pod('team-alpha', 'payments-api-b', 'payments-api', true),
      // Same labels, another namespace the caller may not read.
      deployment('team-beta', 'payments-api', 0),
      pod('team-beta', 'payments-api-hidden', 'payments-api', true),
      // Another service's pod in the same namespace.
      pod('team-alpha', 'orders-x', 'orders', true),
    ],
    west: [
      deployment('team-alpha', 'payments-api', 2),
      pod('team-alpha', 'payments-api-w', 'payments-api'),
    ],
  });
  const source = new WorkloadsStatusSource({ cache, readable: notTeamBeta });

  it("shows the service's workloads and their pods, with ready, restarts and last failure, only where the caller may read", async () => {
    const signals = await source.signalsFor(service, { credentials });
    expect(signals.map(s => `${s.details?.cluster} ${s.name}`)).toEqual([
      'east Deployment payments-api',
      'east Pod payments-api-a',
      'east Pod payments-api-b',
      'west Deployment payments-api',
      'west Pod payments-api-w',
    ]);
    const crashing = signals.find(s => s.name === 'Pod payments-api-b')!;
    expect(crashing).toMatchObject({
      source: 'workloads',
      health: { status: 'Degraded', reason: 'CrashLoopBackOff' },
      details: {
        ready: '0/1',
        restarts: '14',
        lastFailure: 'Error (exit 1) at 2026-12-05T10:00:00Z',
        workload: 'Deployment payments-api',
        namespace: 'team-alpha',
      },
    });
    expect(signals[0]).toMatchObject({
      health: { status: 'Progressing', message: '1 of 2 replicas ready' },
      details: { ready: '1/2' },
    });
    expect(rollupHealth(signals, Date.now()).health.message).toMatch(
      /^Degraded because Pod payments-api-b: CrashLoopBackOff \(14 restarts\)/,
    );
  });

  it('knows nothing of an entity without the kubernetes-id annotation', async () => {
    const plain = { ...service, metadata: { name: 'payments-api' } };
    expect(await source.signalsFor(plain, { credentials })).toEqual([]);
  });

  it("finds a workload entity's objects by its kubernetes-label-selector", async () => {
    const everything = new WorkloadsStatusSource({
      cache,
      readable: async () => ({ object: () => true, id: () => true }),
    });
    const bySelector: Entity = {
      ...service,
      metadata: {
        name: 'payments-api.deployment.team-alpha.west',
        annotations: {
          'backstage.io/kubernetes-label-selector':
            'backstage.io/kubernetes-id=payments-api',
          'backstage.io/kubernetes-namespace': 'team-alpha',
        },
      },
    };
    const signals = await everything.signalsFor(bySelector, { credentials });
    expect(signals.map(s => `${s.details?.cluster} ${s.name}`)).toEqual([
      'east Deployment payments-api',
      'east Pod payments-api-a',
      'east Pod payments-api-b',
      'west Deployment payments-api',
      'west Pod payments-api-w',
    ]);
    const unreadable = {
      ...bySelector,
      metadata: {
        name: 'x',
        annotations: { 'backstage.io/kubernetes-label-selector': 'a in (b' },
      },
    };
    expect(await everything.signalsFor(unreadable, { credentials })).toEqual(
      [],
    );
  });

  it('narrows to the entity’s kubernetes-namespace', async () => {
    const west = new WorkloadsStatusSource({
      cache,
      readable: async () => ({ object: () => true, id: () => true }),
    });
    const narrowed = {
      ...service,
      metadata: {
        ...service.metadata,
        annotations: {
          ...service.metadata.annotations,
          'backstage.io/kubernetes-namespace': 'team-beta',
        },
      },
    };
    const signals = await west.signalsFor(narrowed, { credentials });
    expect(signals.map(s => s.name)).toEqual([
      'Deployment payments-api',
      'Pod payments-api-hidden',
    ]);
  });
});

function job(
  name: string,
  namespace: string,
  outcome: 'Failed' | 'Complete' | 'Running',
  at: string,
  owner?: { name: string; uid: string },
): KubernetesObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: 'batch/v1', kind: 'CronJob', ...owner },
            ],
          }
        : { labels: ID_LABEL }),
    },
    status: {
      startTime: at,
      conditions:
        outcome === 'Running'
          ? []
          : [
              {
                type: outcome,
                status: 'True',
                reason: outcome === 'Failed' ? 'BackoffLimitExceeded' : '',
                lastTransitionTime: at,
              },
            ],
    },
  };
}

describe('JobsStatusSource', () => {
  const cron = (namespace: string): KubernetesObject => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'settlement',
      namespace,
      uid: `uid-${namespace}`,
      labels: ID_LABEL,
    },
    spec: { schedule: '*/5 * * * *' },
  });
  const owner = { name: 'settlement', uid: 'uid-team-alpha' };
  const hour = 3600_000;
  const at = (ago: number) => new Date(Date.now() - ago).toISOString();
  const cache = fixedCache({
    east: [
      cron('team-alpha'),
      job('settlement-3', 'team-alpha', 'Failed', at(1 * hour), owner),
      job('settlement-2', 'team-alpha', 'Complete', at(2 * hour), owner),
      job('settlement-1', 'team-alpha', 'Failed', at(3 * hour), owner),
      job('migrate', 'team-alpha', 'Complete', at(5 * hour)),
      cron('team-beta'),
      job('settlement-9', 'team-beta', 'Failed', at(1 * hour), {
        name: 'settlement',
        uid: 'uid-team-beta',
      }),
    ],
  });
  const source = new JobsStatusSource({ cache, readable: notTeamBeta });

  it("shows a CronJob's last run as an event, its earlier failures, and Jobs of the service", async () => {
    const signals = await source.signalsFor(service, { credentials });
    expect(signals.map(s => s.name)).toEqual([
      'CronJob settlement',
      'Job settlement-1',
      'Job migrate',
    ]);
    expect(signals[0]).toMatchObject({
      event: true,
      time: expect.any(String),
      health: {
        status: 'Degraded',
        message: 'last run settlement-3: BackoffLimitExceeded',
      },
      details: { lastRun: 'settlement-3', schedule: '*/5 * * * *' },
    });
    expect(signals[1]).toMatchObject({
      event: true,
      health: { status: 'Degraded' },
      details: { cronJob: 'settlement' },
    });
    expect(signals[2]).toMatchObject({
      event: true,
      health: { status: 'Healthy' },
    });
  });

  it('lets a failed run count as recently failed after a day', async () => {
    const old = fixedCache({
      east: [
        cron('team-alpha'),
        job('settlement-1', 'team-alpha', 'Failed', at(30 * hour), owner),
      ],
    });
    const signals = await new JobsStatusSource({
      cache: old,
      readable: notTeamBeta,
    }).signalsFor(service, { credentials });
    expect(rollupHealth(signals, Date.now()).health).toMatchObject({
      status: 'Progressing',
      reason: 'RecentlyFailed',
    });
  });
});
