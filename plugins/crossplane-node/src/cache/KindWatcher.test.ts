import { ClusterRequestError } from '../client/ClusterRequestError';
import {
  FakeClusterClient,
  flush,
  object,
} from './FakeClusterClient.test-helper';
import { KindWatcher, KindWatcherListener } from './KindWatcher';

function recorder() {
  const events: string[] = [];
  const listener: KindWatcherListener = {
    onSync: (_k, objects) =>
      events.push(`sync:${objects.map(o => o.metadata.name).join(',')}`),
    onUpsert: (_k, o) => events.push(`upsert:${o.metadata.name}`),
    onDelete: (_k, o) => events.push(`delete:${o.metadata.name}`),
    onError: (_k, e) => events.push(`error:${e.message}`),
  };
  return { events, listener };
}

const kind = { apiVersion: 'example.org/v1', kind: 'Widget' };

describe('KindWatcher', () => {
  it('lists, then watches from the list resourceVersion', async () => {
    const client = new FakeClusterClient();
    client.resourceVersion = 42;
    client.objects.set('Widget', [
      object('Widget', 'a', {
        metadata: {
          name: 'a',
          managedFields: [{ manager: 'kubectl' }],
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': '{"secret":1}',
            keep: 'me',
          },
        },
      }),
    ]);
    const { events, listener } = recorder();
    const synced: unknown[] = [];
    const watcher = new KindWatcher({
      client,
      kind,
      listener: {
        ...listener,
        onSync: (k, objects) => {
          synced.push(...objects);
          listener.onSync(k, objects);
        },
      },
    });
    watcher.start();
    await flush();

    expect(events).toEqual(['sync:a']);
    expect(synced[0]).toEqual({
      apiVersion: 'example.org/v1',
      kind: 'Widget',
      metadata: { name: 'a', annotations: { keep: 'me' } },
    });
    const watch = client.activeWatch('Widget');
    expect(watch.resourceVersion).toBe('42');

    watch.onEvent({ type: 'ADDED', object: object('Widget', 'b') });
    watch.onEvent({
      type: 'BOOKMARK',
      object: object('Widget', '', {
        metadata: { name: '', resourceVersion: '50' },
      }),
    });
    watch.onEvent({ type: 'DELETED', object: object('Widget', 'a') });
    expect(events).toEqual(['sync:a', 'upsert:b', 'delete:a']);
    watcher.stop();
  });

  it('resumes from the last bookmark when the server closes the watch', async () => {
    const client = new FakeClusterClient();
    const { listener } = recorder();
    const watcher = new KindWatcher({ client, kind, listener });
    watcher.start();
    await flush();
    const first = client.activeWatch('Widget');
    first.onEvent({
      type: 'BOOKMARK',
      object: object('Widget', '', {
        metadata: { name: '', resourceVersion: '77' },
      }),
    });
    first.onDone();
    await flush();
    expect(client.listCalls).toEqual(['Widget']);
    expect(client.activeWatch('Widget').resourceVersion).toBe('77');
    watcher.stop();
  });

  it('relists at once when the watch expires (410 Gone), reporting no error', async () => {
    const client = new FakeClusterClient();
    const { events, listener } = recorder();
    const watcher = new KindWatcher({ client, kind, listener });
    watcher.start();
    await flush();
    client.objects.set('Widget', [object('Widget', 'c')]);
    client
      .activeWatch('Widget')
      .onDone(
        new ClusterRequestError(
          'fake',
          'too old resource version',
          410,
          'Expired',
        ),
      );
    await flush();
    expect(client.listCalls).toEqual(['Widget', 'Widget']);
    expect(events).toEqual(['sync:', 'sync:c']);
    watcher.stop();
  });

  it('reports a failed list and retries without losing what it knew', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const client = new FakeClusterClient();
      client.listError = new Error('connect ECONNREFUSED 127.0.0.1:6443');
      const { events, listener } = recorder();
      const watcher = new KindWatcher({
        client,
        kind,
        listener,
        retryDelayMs: 1000,
      });
      watcher.start();
      await flush();
      expect(events).toEqual(['error:connect ECONNREFUSED 127.0.0.1:6443']);

      client.listError = undefined;
      client.objects.set('Widget', [object('Widget', 'd')]);
      jest.advanceTimersByTime(1000);
      await flush();
      expect(events).toEqual([
        'error:connect ECONNREFUSED 127.0.0.1:6443',
        'sync:d',
      ]);
      watcher.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
