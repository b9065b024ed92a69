import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { InMemoryClusterClient } from '../testUtils/InMemoryClusterClient';
import { bucketXrd } from '../testUtils/xrds';
import { runLifecycleOperation } from './lifecycleOperations';
import {
  composedObjects,
  resolveLifecycleTarget,
} from './resolveLifecycleTarget';

const xrd = bucketXrd;
const nopCrd: KubernetesObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'nopresources.nop.crossplane.io' },
  spec: {
    group: 'nop.crossplane.io',
    scope: 'Cluster',
    names: {
      kind: 'NopResource',
      plural: 'nopresources',
      categories: ['crossplane', 'managed'],
    },
    versions: [{ name: 'v1alpha1', served: true }],
  },
};
const claim: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Bucket',
  metadata: { name: 'logs', namespace: 'team-alpha', uid: 'claim-uid' },
  spec: {
    resourceRef: {
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'XBucket',
      name: 'logs-x1',
    },
  },
  status: {
    conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
  },
};
const composite: KubernetesObject = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'XBucket',
  metadata: { name: 'logs-x1', uid: 'xr-uid' },
  spec: {
    claimRef: {
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'Bucket',
      namespace: 'team-alpha',
      name: 'logs',
    },
    resourceRefs: [
      {
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: 'logs-nop',
      },
      {
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: 'not-mine',
      },
    ],
  },
};
const managed: KubernetesObject = {
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  metadata: {
    name: 'logs-nop',
    uid: 'mr-uid',
    ownerReferences: [
      {
        apiVersion: composite.apiVersion,
        kind: 'XBucket',
        name: 'logs-x1',
        uid: 'xr-uid',
        controller: true,
      },
    ],
  },
};
/** Named by the composite, but controlled by another one. */
const foreign: KubernetesObject = {
  ...managed,
  metadata: {
    name: 'not-mine',
    uid: 'other-mr-uid',
    ownerReferences: [
      {
        apiVersion: composite.apiVersion,
        kind: 'XBucket',
        name: 'other',
        uid: 'other-xr-uid',
        controller: true,
      },
    ],
  },
};
const secret: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'team-alpha' },
};

const claimInput = {
  apiVersion: claim.apiVersion,
  kind: 'Bucket',
  namespace: 'team-alpha',
  name: 'logs',
};
const claimLocator = { ...claimInput };

function cluster() {
  return new InMemoryClusterClient('east', [
    xrd,
    nopCrd,
    claim,
    composite,
    managed,
    foreign,
    secret,
  ]);
}

describe('resolveLifecycleTarget', () => {
  it('resolves claims, composites and managed resources from the cluster', async () => {
    const client = cluster();
    expect((await resolveLifecycleTarget(client, claimInput)).role).toBe(
      'claim',
    );
    const xr = await resolveLifecycleTarget(client, {
      apiVersion: composite.apiVersion,
      kind: 'XBucket',
      namespace: 'team-alpha',
      name: 'logs-x1',
    });
    expect(xr.role).toBe('composite');
    // The namespace given for a cluster-scoped kind decides nothing.
    expect(xr.id.namespace).toBeUndefined();
    expect(xr.warnings).toEqual([
      'namespace: ignored, XBucket.storage.example.org is cluster-scoped',
    ]);
    expect(
      (
        await resolveLifecycleTarget(client, {
          apiVersion: managed.apiVersion,
          kind: 'NopResource',
          name: 'logs-nop',
        })
      ).role,
    ).toBe('managed');
  });

  it('refuses other kinds, and objects that do not exist', async () => {
    const client = cluster();
    await expect(
      resolveLifecycleTarget(client, {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'team-alpha',
        name: 'creds',
      }),
    ).rejects.toThrow(
      'kind: Secret is not a claim, composite resource or managed resource kind in cluster east',
    );
    await expect(
      resolveLifecycleTarget(client, { ...claimInput, name: 'other' }),
    ).rejects.toThrow(
      'Bucket.storage.example.org team-alpha/other in cluster east: not found',
    );
  });
});

describe('composedObjects', () => {
  it('follows the tree where parent and child agree', async () => {
    const client = cluster();
    expect(await composedObjects(client, claim)).toEqual([
      {
        apiVersion: composite.apiVersion,
        kind: 'XBucket',
        name: 'logs-x1',
        namespace: undefined,
      },
      {
        apiVersion: managed.apiVersion,
        kind: 'NopResource',
        name: 'logs-nop',
        namespace: undefined,
      },
    ]);
  });
});

describe('runLifecycleOperation', () => {
  const now = () => new Date('2026-12-05T10:00:00.000Z');

  it('pauses and resumes with one annotation and nothing else', async () => {
    const client = cluster();
    const paused = await runLifecycleOperation({
      client,
      operation: 'pause',
      target: claimLocator,
      fieldManager: 'platformops',
      now,
    });
    expect(paused).toMatchObject({ paused: true, objects: [claimLocator] });
    const stored = await client.get(claimLocator);
    expect(stored?.metadata.annotations).toEqual({
      'crossplane.io/paused': 'true',
    });
    expect(stored?.spec).toEqual(claim.spec);

    const resumed = await runLifecycleOperation({
      client,
      operation: 'resume',
      target: claimLocator,
      fieldManager: 'platformops',
      now,
    });
    expect(resumed.paused).toBe(false);
    expect((await client.get(claimLocator))?.metadata.annotations).toEqual({});
  });

  it('writes nothing in a dry run', async () => {
    const client = cluster();
    const result = await runLifecycleOperation({
      client,
      operation: 'pause',
      target: claimLocator,
      fieldManager: 'platformops',
      dryRun: true,
    });
    expect(result).toMatchObject({ dryRun: true, paused: true });
    expect(
      (await client.get(claimLocator))?.metadata.annotations,
    ).toBeUndefined();
  });

  it('reconciles the target and what it composes, and reports the outcome', async () => {
    const client = cluster();
    const composed = await composedObjects(client, claim);
    // A controller that answers the request with a status write.
    setTimeout(async () => {
      const current = (await client.get(claimLocator))!;
      client.put({
        ...current,
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Creating',
              lastTransitionTime: '2026-12-05T10:00:01Z',
            },
          ],
        },
      });
    }, 30);
    const result = await runLifecycleOperation({
      client,
      operation: 'reconcile',
      target: claimLocator,
      composed,
      fieldManager: 'platformops',
      now,
      waitMs: 2000,
      pollIntervalMs: 10,
    });
    expect(result.objects).toHaveLength(3);
    for (const locator of result.objects) {
      expect((await client.get(locator))?.metadata.annotations).toEqual({
        'platformops.io/reconcile-requested-at': '2026-12-05T10:00:00.000Z',
      });
    }
    expect(result.reconcile).toMatchObject({
      observed: true,
      conditionsChanged: true,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Creating',
          lastTransitionTime: '2026-12-05T10:00:01Z',
        },
      ],
    });
    expect(
      (await client.get({ ...foreign, ...foreign.metadata }))?.metadata
        .annotations,
    ).toBeUndefined();
  });

  it('skips composed objects the cluster does not let it write, and says so', async () => {
    const client = cluster();
    const composed = await composedObjects(client, claim);
    const patch = client.patchAnnotations.bind(client);
    const refusal = `cluster east: patch NopResource /logs-nop: nopresources.nop.crossplane.io "logs-nop" is forbidden`;
    client.patchAnnotations = async (locator, annotations, options) => {
      if (locator.kind === 'NopResource') {
        throw new ClusterRequestError('east', refusal, 403, 'Forbidden');
      }
      return patch(locator, annotations, options);
    };
    const result = await runLifecycleOperation({
      client,
      operation: 'reconcile',
      target: claimLocator,
      composed,
      fieldManager: 'platformops',
      waitMs: 0,
    });
    expect(result.objects.map(o => o.kind)).toEqual(['Bucket', 'XBucket']);
    expect(result.skipped).toEqual([
      {
        object: expect.objectContaining({ name: 'logs-nop' }),
        reason: refusal,
      },
    ]);
  });

  it('fails when the cluster refuses to write the target itself', async () => {
    const client = cluster();
    client.patchAnnotations = async () => {
      throw new ClusterRequestError('east', 'forbidden', 403, 'Forbidden');
    };
    await expect(
      runLifecycleOperation({
        client,
        operation: 'pause',
        target: claimLocator,
        fieldManager: 'platformops',
      }),
    ).rejects.toThrow('forbidden');
  });

  it('says when no controller wrote the target within the wait', async () => {
    const client = cluster();
    const result = await runLifecycleOperation({
      client,
      operation: 'reconcile',
      target: claimLocator,
      fieldManager: 'platformops',
      waitMs: 50,
      pollIntervalMs: 10,
    });
    expect(result.reconcile).toMatchObject({
      observed: false,
      conditionsChanged: false,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
    });
  });
});
