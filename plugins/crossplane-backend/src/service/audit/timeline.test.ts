import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { fieldManagerEntries, mergeTimeline } from './timeline';

const object: KubernetesObject = {
  apiVersion: 'apps.example.org/v1alpha1',
  kind: 'AppDatabase',
  metadata: {
    name: 'orders',
    namespace: 'team-alpha',
    managedFields: [
      {
        manager: 'kubectl',
        operation: 'Apply',
        time: '2026-12-01T09:00:00Z',
        fieldsV1: { 'f:metadata': {}, 'f:spec': {} },
      },
      {
        manager: 'crossplane',
        operation: 'Update',
        time: '2026-12-01T09:00:05Z',
        subresource: 'status',
        fieldsV1: { 'f:status': {} },
      },
      {
        manager: 'platformops',
        operation: 'Update',
        time: '2026-12-01T10:00:00Z',
        fieldsV1: { 'f:spec': {} },
      },
    ],
  } as KubernetesObject['metadata'],
};

describe('timeline', () => {
  it('says which manager wrote which top-level fields, and when', () => {
    expect(fieldManagerEntries(object)).toEqual([
      {
        time: '2026-12-01T09:00:00Z',
        source: 'field-manager',
        actor: 'kubectl',
        summary: 'kubectl applied metadata, spec',
      },
      {
        time: '2026-12-01T09:00:05Z',
        source: 'field-manager',
        actor: 'crossplane',
        summary: 'crossplane updated status (status)',
      },
      {
        time: '2026-12-01T10:00:00Z',
        source: 'field-manager',
        actor: 'platformops',
        summary: 'platformops updated spec',
      },
    ]);
    expect(fieldManagerEntries(undefined)).toEqual([]);
  });

  it('merges audit records, events and field managers, newest first', () => {
    const timeline = mergeTimeline({
      object,
      records: [
        {
          objectKey: 'k',
          object: 'AppDatabase orders',
          action: 'upgrade',
          actor: 'user:default/alice',
          outcome: 'succeeded',
          dryRun: false,
          time: '2026-12-01T10:00:00.500Z',
        },
        {
          objectKey: 'k',
          object: 'AppDatabase orders',
          action: 'upgrade',
          actor: 'user:default/bob',
          outcome: 'failed',
          error: 'crossplane.upgrade: not allowed',
          dryRun: true,
          time: '2026-12-01T09:30:00.000Z',
        },
      ],
      events: [
        {
          involvedObject: { kind: 'AppDatabase', name: 'orders' },
          type: 'Warning',
          reason: 'ComposeResources',
          message: 'cannot compose',
          count: 3,
          lastTimestamp: '2026-12-01T10:00:01Z',
          source: 'crossplane',
        },
        {
          involvedObject: { kind: 'AppDatabase', name: 'orders' },
          type: 'Normal',
          reason: 'NoTime',
        },
      ],
    });
    expect(timeline.map(e => [e.time, e.source, e.actor, e.summary])).toEqual([
      [
        '2026-12-01T10:00:01Z',
        'event',
        'crossplane',
        'ComposeResources: cannot compose (3 times)',
      ],
      [
        '2026-12-01T10:00:00.500Z',
        'audit',
        'user:default/alice',
        'upgrade succeeded',
      ],
      [
        '2026-12-01T10:00:00Z',
        'field-manager',
        'platformops',
        'platformops updated spec',
      ],
      [
        '2026-12-01T09:30:00.000Z',
        'audit',
        'user:default/bob',
        'upgrade (dry run) failed: crossplane.upgrade: not allowed',
      ],
      [
        '2026-12-01T09:00:05Z',
        'field-manager',
        'crossplane',
        'crossplane updated status (status)',
      ],
      [
        '2026-12-01T09:00:00Z',
        'field-manager',
        'kubectl',
        'kubectl applied metadata, spec',
      ],
    ]);
    expect(timeline[0].outcome).toBe('Warning');
    expect(timeline[1].outcome).toBe('succeeded');
  });
});
