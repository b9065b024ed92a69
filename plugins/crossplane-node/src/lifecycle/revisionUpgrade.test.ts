import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { InMemoryClusterClient } from '../testUtils/InMemoryClusterClient';
import {
  COMPOSITION_NAME_LABEL,
  latestRevisions,
  revisionHealth,
  revisionLagOf,
  revisionPatch,
  runInSequence,
  upgradeRevision,
  upgradeToLatestRevision,
} from './revisionUpgrade';

function revision(composition: string, n: number): KubernetesObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositionRevision',
    metadata: {
      name: `${composition}-${'abcdefg'.slice(0, n)}`,
      labels: { [COMPOSITION_NAME_LABEL]: composition },
    },
    spec: { revision: n },
  };
}

const revisions = [
  revision('buckets', 2),
  revision('buckets', 3),
  revision('buckets', 1),
  revision('databases', 1),
];

/** A v1 claim: the machinery under `spec`. */
function v1Claim(machinery: Record<string, unknown>): KubernetesObject {
  return {
    apiVersion: 'storage.example.org/v1alpha1',
    kind: 'Bucket',
    metadata: { name: 'logs', namespace: 'team-alpha', generation: 1 },
    spec: { parameters: { region: 'eu' }, ...machinery },
  };
}

/** A v2 namespaced XR: the machinery under `spec.crossplane`. */
function v2Xr(machinery: Record<string, unknown>): KubernetesObject {
  return {
    apiVersion: 'apps.example.org/v1alpha1',
    kind: 'AppDatabase',
    metadata: { name: 'orders', namespace: 'team-alpha', generation: 1 },
    spec: { parameters: { engine: 'postgres' }, crossplane: machinery },
  };
}

const XR_LOCATOR = {
  apiVersion: 'apps.example.org/v1alpha1',
  kind: 'AppDatabase',
  namespace: 'team-alpha',
  name: 'orders',
};

const pinned = (name: string, policy = 'Manual') => ({
  compositionRef: { name: 'buckets' },
  compositionRevisionRef: { name },
  compositionUpdatePolicy: policy,
});

describe('latestRevisions', () => {
  it('keeps the highest spec.revision of each Composition', () => {
    const latest = latestRevisions(revisions);
    expect(latest.get('buckets')).toEqual({
      composition: 'buckets',
      name: 'buckets-abc',
      revision: 3,
    });
    expect(latest.get('databases')?.revision).toBe(1);
  });

  it('ignores revisions without their Composition label or number', () => {
    const stray = revision('other', 9);
    delete stray.metadata.labels;
    expect(latestRevisions([stray]).size).toBe(0);
  });
});

describe('revisionLagOf', () => {
  const latest = latestRevisions(revisions);

  it.each([
    ['v1 claim', v1Claim],
    ['v2 XR', v2Xr],
  ])('finds a Manual %s pinned to an older revision', (_layout, make) => {
    expect(revisionLagOf(make(pinned('buckets-a')), latest)).toEqual({
      composition: 'buckets',
      currentRevision: 'buckets-a',
      latestRevision: 'buckets-abc',
    });
  });

  it.each([
    ['v1 claim', v1Claim],
    ['v2 XR', v2Xr],
  ])('leaves out a %s on the latest revision', (_layout, make) => {
    expect(revisionLagOf(make(pinned('buckets-abc')), latest)).toBeUndefined();
  });

  it('leaves out Automatic objects, which follow new revisions themselves', () => {
    expect(
      revisionLagOf(v2Xr(pinned('buckets-a', 'Automatic')), latest),
    ).toBeUndefined();
    expect(
      revisionLagOf(v1Claim(pinned('buckets-a', 'Automatic')), latest),
    ).toBeUndefined();
  });

  it('does not read a v1 field of a v2 XR', () => {
    const xr = v2Xr({ compositionRef: { name: 'buckets' } });
    Object.assign(xr.spec!, pinned('buckets-a'));
    expect(revisionLagOf(xr, latest)).toBeUndefined();
  });

  it('leaves out an object whose Composition has no revisions', () => {
    const claim = v1Claim({
      ...pinned('x-1'),
      compositionRef: { name: 'unknown' },
    });
    expect(revisionLagOf(claim, latest)).toBeUndefined();
  });
});

describe('revisionPatch', () => {
  it('pins where the layout keeps the reference', () => {
    expect(revisionPatch(v1Claim(pinned('a')), 'b')).toEqual({
      compositionRevisionRef: { name: 'b' },
    });
    expect(revisionPatch(v2Xr(pinned('a')), 'b')).toEqual({
      crossplane: { compositionRevisionRef: { name: 'b' } },
    });
  });
});

describe('runInSequence', () => {
  const notRun = (name: string) => ({ name, outcome: 'not-run' });

  it('stops at the first object that turns unhealthy', async () => {
    const outcomes: Record<string, string> = {
      a: 'upgraded',
      b: 'unhealthy',
      c: 'upgraded',
    };
    const ran: string[] = [];
    const steps = await runInSequence(
      ['a', 'b', 'c'],
      async name => {
        ran.push(name);
        return { name, outcome: outcomes[name] };
      },
      notRun,
    );
    expect(ran).toEqual(['a', 'b']);
    expect(steps.map(s => s.outcome)).toEqual([
      'upgraded',
      'unhealthy',
      'not-run',
    ]);
  });

  it('stops at a failure too, but goes on after a refusal', async () => {
    const outcomes: Record<string, string> = {
      a: 'refused',
      b: 'upgraded',
      c: 'failed',
      d: 'upgraded',
    };
    const steps = await runInSequence(
      ['a', 'b', 'c', 'd'],
      async name => ({ name, outcome: outcomes[name] }),
      notRun,
    );
    expect(steps.map(s => s.outcome)).toEqual([
      'refused',
      'upgraded',
      'failed',
      'not-run',
    ]);
  });
});

describe('revisionHealth', () => {
  const withConditions = (
    ref: string,
    conditions: Record<string, unknown>[],
    generation = 2,
  ): KubernetesObject => ({
    ...v2Xr(pinned(ref)),
    metadata: { name: 'orders', namespace: 'team-alpha', generation },
    status: { conditions },
  });
  const ok = (type: string, observedGeneration?: number) => ({
    type,
    status: 'True',
    ...(observedGeneration ? { observedGeneration } : {}),
  });

  it('is healthy once Ready and Synced for the new generation on the revision', () => {
    const object = withConditions('b', [ok('Ready', 2), ok('Synced', 2)]);
    expect(
      revisionHealth(object, { revision: 'b', generation: 2, settled: false })
        .state,
    ).toBe('healthy');
  });

  it('waits while the conditions are those of the previous generation', () => {
    const object = withConditions('b', [ok('Ready', 1), ok('Synced', 1)]);
    expect(
      revisionHealth(object, { revision: 'b', generation: 2, settled: true })
        .state,
    ).toBe('pending');
  });

  it('waits for conditions without a generation to settle', () => {
    const object = withConditions('b', [ok('Ready'), ok('Synced')]);
    const at = (settled: boolean) =>
      revisionHealth(object, { revision: 'b', generation: 2, settled }).state;
    expect(at(false)).toBe('pending');
    expect(at(true)).toBe('healthy');
  });

  it('is unhealthy at once when Synced is False for the new generation', () => {
    const object = withConditions('b', [
      ok('Ready', 1),
      {
        type: 'Synced',
        status: 'False',
        reason: 'ReconcileError',
        message: 'cannot compose',
        observedGeneration: 2,
      },
    ]);
    expect(
      revisionHealth(object, { revision: 'b', generation: 2, settled: false }),
    ).toEqual({
      state: 'unhealthy',
      message: 'Synced=False (ReconcileError): cannot compose',
    });
  });
});

describe('upgradeRevision', () => {
  it('dry-runs without changing the object', async () => {
    const xr = v2Xr(pinned('buckets-a'));
    const client = new InMemoryClusterClient('test', [xr]);
    const result = await upgradeRevision({
      client,
      object: xr,
      revision: 'buckets-abc',
      fieldManager: 'platformops',
      dryRun: true,
    });
    expect(result.outcome).toBe('upgraded');
    const stored = await client.get(XR_LOCATOR);
    expect((stored?.spec as any).crossplane.compositionRevisionRef.name).toBe(
      'buckets-a',
    );
    expect(client.requests).toContain(
      'patch AppDatabase team-alpha/orders spec {"crossplane":{"compositionRevisionRef":{"name":"buckets-abc"}}} (dry run)',
    );
  });

  it('patches the reference alone and reports unhealthy when it does not settle in time', async () => {
    const xr = v2Xr(pinned('buckets-a'));
    const client = new InMemoryClusterClient('test', [xr]);
    const result = await upgradeRevision({
      client,
      object: xr,
      revision: 'buckets-abc',
      fieldManager: 'platformops',
      waitMs: 30,
      pollIntervalMs: 10,
    });
    expect(result.outcome).toBe('unhealthy');
    expect(result.message).toMatch(/not Ready and Synced on buckets-abc/);
    const stored = await client.get(XR_LOCATOR);
    expect((stored?.spec as any).crossplane).toEqual({
      ...pinned('buckets-abc'),
    });
    expect((stored?.spec as any).parameters).toEqual({ engine: 'postgres' });
  });
});

describe('upgradeToLatestRevision', () => {
  const latest = latestRevisions(revisions);
  const upgrade = (object: KubernetesObject, client: InMemoryClusterClient) =>
    upgradeToLatestRevision({
      client,
      object,
      latest,
      fieldManager: 'platformops',
      dryRun: true,
    });

  it('dry-runs the move from the current revision to the newest', async () => {
    const xr = v2Xr(pinned('buckets-a'));
    const client = new InMemoryClusterClient('test', [xr]);
    expect(await upgrade(xr, client)).toEqual({
      outcome: 'upgraded',
      from: 'buckets-a',
      to: 'buckets-abc',
      message: 'dry run: the cluster accepts buckets-abc; nothing changed',
    });
  });

  it('writes nothing for an object on the newest revision', async () => {
    const xr = v2Xr(pinned('buckets-abc'));
    const client = new InMemoryClusterClient('test', [xr]);
    expect(await upgrade(xr, client)).toEqual({
      outcome: 'upgraded',
      message: 'already on the latest revision',
    });
    expect(client.requests.filter(r => r.startsWith('patch'))).toEqual([]);
  });

  it.each([
    [
      'delivered through Git',
      {
        ...v2Xr(pinned('buckets-a')),
        metadata: {
          ...v2Xr({}).metadata,
          annotations: { 'argocd.argoproj.io/tracking-id': 'app:x/y:ns/n' },
        },
      },
      /^delivered by .*change its composition revision in Git$/,
    ],
    [
      'Automatic',
      v2Xr(pinned('buckets-a', 'Automatic')),
      /update policy is not Manual/,
    ],
  ])('refuses an object %s, writing nothing', async (_what, xr, message) => {
    const client = new InMemoryClusterClient('test', [xr]);
    const result = await upgrade(xr, client);
    expect(result.outcome).toBe('refused');
    expect(result.message).toMatch(message);
    expect(client.requests.filter(r => r.startsWith('patch'))).toEqual([]);
  });
});
