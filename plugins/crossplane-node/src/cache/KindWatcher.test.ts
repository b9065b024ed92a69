import { ClusterRequestError } from '../client/ClusterRequestError';
import {
  FakeClusterClient,
  flush,
  object,
} from './FakeClusterClient.test-helper';
import { KindWatcher, KindWatcherListener } from './KindWatcher';
import { ListLimiter } from './ListLimiter';

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

  it('stops a watch that opens after stop() at once and reports none of its events', async () => {
    const client = new FakeClusterClient();
    let openWatch!: () => void;
    client.watchGate = new Promise(resolve => {
      openWatch = resolve;
    });
    const { events, listener } = recorder();
    const watcher = new KindWatcher({ client, kind, listener });
    watcher.start();
    await flush();
    expect(events).toEqual(['sync:']);

    watcher.stop();
    openWatch();
    await flush();
    const [late] = client.watches;
    expect(late.stopped).toBe(true);
    late.onEvent({ type: 'ADDED', object: object('Widget', 'late') });
    late.onDone(new Error('socket hang up'));
    await flush();
    expect(events).toEqual(['sync:']);
  });

  it('reports nothing after stop(), not even a list or watch begun before', async () => {
    const client = new FakeClusterClient();
    const { events, listener } = recorder();
    const watcher = new KindWatcher({ client, kind, listener });
    watcher.start();
    await flush();
    const watch = client.activeWatch('Widget');
    watcher.stop();
    expect(watch.stopped).toBe(true);
    watch.onEvent({ type: 'ADDED', object: object('Widget', 'x') });
    watch.onDone(new Error('socket hang up'));

    let answerList!: () => void;
    client.listGate = new Promise(resolve => {
      answerList = resolve;
    });
    watcher.start();
    watcher.stop();
    answerList();
    await flush();
    expect(events).toEqual(['sync:']);
    expect(client.watches.filter(w => !w.stopped)).toEqual([]);
  });

  it('backs off with jitter, and retryNow() retries at once with the backoff starting over', async () => {
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
        // The longest delay: no jitter taken off.
        random: () => 0,
      });
      watcher.start();
      await flush();
      // Retries after 1, 2 and 4 s.
      for (const delay of [1000, 2000, 4000]) {
        jest.advanceTimersByTime(delay - 1);
        await flush();
        const before = client.listCalls.length;
        jest.advanceTimersByTime(1);
        await flush();
        expect(client.listCalls.length).toBe(before + 1);
      }
      expect(events).toHaveLength(4);

      // Now waiting 8 s; the cluster answers again.
      client.listError = undefined;
      expect(watcher.retryNow()).toBe(true);
      await flush();
      expect(events.at(-1)).toBe('sync:');
      // Watching: nothing to retry.
      expect(watcher.retryNow()).toBe(false);

      // The next failure waits 1 s again, not 16 s.
      client.listError = new Error('connect ECONNREFUSED 127.0.0.1:6443');
      client.activeWatch('Widget').onDone(new Error('socket hang up'));
      await flush();
      const before = client.listCalls.length;
      jest.advanceTimersByTime(1000);
      await flush();
      expect(client.listCalls.length).toBe(before + 1);
      watcher.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('lists no more kinds at once than its limiter allows', async () => {
    const client = new FakeClusterClient();
    let answer!: () => void;
    client.listGate = new Promise(resolve => {
      answer = resolve;
    });
    const limiter = new ListLimiter(2);
    const watchers = ['A', 'B', 'C', 'D', 'E'].map(
      k =>
        new KindWatcher({
          client,
          kind: { apiVersion: 'example.org/v1', kind: k },
          listener: recorder().listener,
          limiter,
        }),
    );
    watchers.forEach(w => w.start());
    await flush();
    expect(client.listCalls).toEqual(['A', 'B']);
    answer();
    await flush();
    expect(client.listCalls).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(client.maxListsInFlight).toBe(2);
    watchers.forEach(w => w.stop());
  });
});
