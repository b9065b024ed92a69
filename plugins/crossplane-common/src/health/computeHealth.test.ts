import { compareHealth, computeHealth, worstHealth } from '.';
import {
  appTree,
  nopObjects,
  packageObjects,
  postgresTree,
} from '../__fixtures__/objects';
import { Condition, KubernetesObject } from '../model/types';

function obj(
  conditions: Partial<Condition>[],
  extra: Partial<KubernetesObject> = {},
): KubernetesObject {
  return {
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'NopResource',
    metadata: { name: 'n', ...(extra.metadata ?? {}) },
    spec: { forProvider: {} },
    status: { conditions },
    ...(extra.apiVersion
      ? { apiVersion: extra.apiVersion, kind: extra.kind! }
      : {}),
  };
}

const byName = (list: KubernetesObject[], name: string) =>
  list.find(o => o.metadata.name === name)!;

describe('computeHealth', () => {
  it('reads managed resources', () => {
    expect(computeHealth(byName(nopObjects, 'nop-ready'))).toMatchObject({
      status: 'Healthy',
      reason: 'Available',
      since: '2025-04-01T12:00:05Z',
    });
    expect(computeHealth(byName(nopObjects, 'nop-failing'))).toEqual({
      status: 'Degraded',
      condition: 'Synced',
      reason: 'ReconcileError',
      message: 'observe failed: cannot get external resource: 403 Forbidden',
      since: '2025-04-01T12:10:00Z',
    });
    expect(computeHealth(byName(nopObjects, 'nop-paused'))).toMatchObject({
      status: 'Paused',
      reason: 'ReconcilePaused',
      since: '2025-04-02T09:00:00Z',
    });
    expect(computeHealth(byName(nopObjects, 'nop-deleting'))).toMatchObject({
      status: 'Deleting',
      since: '2025-04-03T07:00:00Z',
      message:
        'waiting for finalizers: finalizer.managedresource.crossplane.io',
    });
  });

  it('reads claims, composites and packages', () => {
    expect(computeHealth(postgresTree[0])).toMatchObject({
      status: 'Progressing',
      reason: 'Creating',
      message: 'Unready resources: rds-instance',
    });
    expect(computeHealth(byName(appTree, 'checkout'))).toMatchObject({
      status: 'Healthy',
    });
    expect(
      computeHealth(byName(packageObjects, 'upbound-provider-aws-rds')).status,
    ).toBe('Healthy');
    expect(
      computeHealth(byName(packageObjects, 'function-patch-and-transform')),
    ).toMatchObject({
      status: 'Degraded',
      reason: 'UnhealthyPackageRevision',
    });
    expect(
      computeHealth(byName(packageObjects, 'platform-ref-aws')),
    ).toMatchObject({
      status: 'Progressing',
      reason: 'UnpackingPackage',
    });
    for (const c of packageObjects.filter(o => o.kind === 'Composition')) {
      expect(computeHealth(c).status).toBe('Healthy');
    }
  });

  it.each([
    [[{ type: 'Ready', status: 'False', reason: 'Unavailable' }], 'Degraded'],
    [
      [
        { type: 'Ready', status: 'False', reason: 'Creating' },
        { type: 'Synced', status: 'True' },
      ],
      'Progressing',
    ],
    [[{ type: 'Ready', status: 'Unknown' }], 'Progressing'],
    [
      [
        { type: 'Ready', status: 'False', reason: 'Creating' },
        { type: 'Synced', status: 'False', reason: 'ReconcileError' },
      ],
      'Degraded',
    ],
    [
      [{ type: 'Synced', status: 'False', reason: 'ReconcilePaused' }],
      'Paused',
    ],
    [[{ type: 'Ready', status: 'False', reason: 'Deleting' }], 'Deleting'],
    [
      [
        { type: 'Established', status: 'True' },
        { type: 'Offered', status: 'True' },
      ],
      'Healthy',
    ],
    [
      [
        { type: 'Installed', status: 'True' },
        {
          type: 'Healthy',
          status: 'False',
          reason: 'UnhealthyPackageRevision',
        },
      ],
      'Degraded',
    ],
    [
      [
        { type: 'Available', status: 'True' },
        { type: 'ReplicaFailure', status: 'True' },
      ],
      'Degraded',
    ],
    [
      [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
        },
      ],
      'Degraded',
    ],
    [[{ type: 'Reconciling', status: 'True' }], 'Progressing'],
    [
      [
        { type: 'Stalled', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      'Healthy',
    ],
    [[], 'Progressing'],
  ] as [Partial<Condition>[], string][])('%j is %s', (conditions, status) => {
    expect(computeHealth(obj(conditions)).status).toBe(status);
  });

  it('lets deletion win over pause, and pause over conditions', () => {
    const failing = [
      {
        type: 'Synced',
        status: 'False',
        reason: 'ReconcileError',
        message: 'boom',
      },
    ] as Condition[];
    expect(
      computeHealth(
        obj(failing, {
          metadata: {
            name: 'n',
            annotations: { 'crossplane.io/paused': 'true' },
          },
        }),
      ).status,
    ).toBe('Paused');
    expect(
      computeHealth(
        obj(failing, {
          metadata: {
            name: 'n',
            deletionTimestamp: '2025-01-01T00:00:00Z',
            annotations: { 'crossplane.io/paused': 'true' },
          },
        }),
      ),
    ).toMatchObject({ status: 'Deleting', message: 'boom' });
  });

  it('treats healthy conditions of an older generation as progressing', () => {
    const o = obj(
      [{ type: 'Ready', status: 'True', observedGeneration: 3 } as Condition],
      {
        metadata: { name: 'n', generation: 4 },
      },
    );
    expect(computeHealth(o)).toMatchObject({
      status: 'Progressing',
      reason: 'NotObserved',
      condition: 'Ready',
    });
    o.metadata.generation = 3;
    expect(computeHealth(o).status).toBe('Healthy');
  });

  it('judges plain Kubernetes objects', () => {
    const pod = (status: object): KubernetesObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      status,
    });
    expect(
      computeHealth(
        pod({
          phase: 'Running',
          containerStatuses: [
            { name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        }),
      ),
    ).toMatchObject({ status: 'Degraded', reason: 'CrashLoopBackOff' });
    expect(computeHealth(pod({ phase: 'Pending' })).status).toBe('Progressing');
    expect(
      computeHealth(
        pod({
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
        }),
      ).status,
    ).toBe('Healthy');
    expect(
      computeHealth({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
      }).status,
    ).toBe('Healthy');
    expect(
      computeHealth({
        apiVersion: 'example.org/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
      }).status,
    ).toBe('Unknown');
    expect(
      computeHealth({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        status: {
          conditions: [
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' },
          ],
        },
      }),
    ).toMatchObject({ status: 'Degraded', reason: 'BackoffLimitExceeded' });
    expect(
      computeHealth({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', generation: 2 },
        spec: { replicas: 3 },
        status: {
          observedGeneration: 2,
          readyReplicas: 1,
          conditions: [{ type: 'Available', status: 'True' }],
        },
      }),
    ).toMatchObject({
      status: 'Progressing',
      message: '1 of 3 replicas ready',
    });
  });

  it("calls a Crossplane object without conditions not yet reconciled, anything else's unknown", () => {
    const bare = (o: Partial<KubernetesObject>): KubernetesObject => ({
      apiVersion: 'example.org/v1',
      kind: 'Thing',
      metadata: { name: 't', namespace: 'team-a' },
      ...o,
    });
    const notReconciled = { status: 'Progressing', reason: 'NotReconciled' };
    // A managed resource, a v2 XR, a bound claim, a v1 composite.
    for (const spec of [
      { forProvider: {} },
      { crossplane: { compositionRef: { name: 'c' } } },
      { resourceRef: { apiVersion: 'example.org/v1', kind: 'X', name: 'x' } },
      { resourceRefs: [] },
    ]) {
      expect(computeHealth(bare({ spec }))).toMatchObject(notReconciled);
    }
    expect(
      computeHealth(
        bare({ apiVersion: 'nop.crossplane.io/v1alpha1', spec: {} }),
      ),
    ).toMatchObject(notReconciled);
    expect(computeHealth(bare({ spec: { replicas: 1 } }))).toMatchObject({
      status: 'Unknown',
      reason: 'NoConditions',
    });
  });

  it('never throws', () => {
    for (const junk of [
      null,
      1,
      {},
      { kind: 'X' },
      { status: { conditions: 'x' } },
      { status: { conditions: [null, { type: 1 }] } },
    ]) {
      expect(computeHealth(junk as any).status).toBeDefined();
    }
  });
});

describe('worstHealth', () => {
  it('orders health from best to worst', () => {
    const order = [
      'Healthy',
      'Paused',
      'Progressing',
      'Deleting',
      'Unknown',
      'Degraded',
    ] as const;
    for (let i = 1; i < order.length; i++) {
      expect(
        compareHealth({ status: order[i] }, { status: order[i - 1] }),
      ).toBeGreaterThan(0);
    }
    expect(worstHealth(order.map(status => ({ status }))).status).toBe(
      'Degraded',
    );
    expect(worstHealth([]).status).toBe('Healthy');
    const first = { status: 'Progressing' as const, reason: 'a' };
    expect(worstHealth([first, { status: 'Progressing', reason: 'b' }])).toBe(
      first,
    );
  });
});
