import type { ClusterCacheEvent } from '@platformops/plugin-crossplane-node';
import { ClusterVersions } from './ClusterVersions';

function setup() {
  const version = jest.fn(async () => ({
    gitVersion: 'v1.34.4',
    major: '1',
    minor: '34',
  }));
  let now = 0;
  const versions = new ClusterVersions({
    clients: () => ({ version }),
    maxAgeMs: 60_000,
    retryMs: 5_000,
    now: () => now,
  });
  const listeners: ((event: ClusterCacheEvent) => void)[] = [];
  versions.follow({
    cluster: 'east',
    subscribe: listener => listeners.push(listener),
  });
  const emit = (event: ClusterCacheEvent) => listeners.forEach(l => l(event));
  const settle = () => new Promise(r => setImmediate(r));
  return {
    versions,
    version,
    emit,
    settle,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ClusterVersions', () => {
  it('asks a cluster once and answers repeated requests from memory', async () => {
    const { versions, version } = setup();
    const answers = await Promise.all([
      versions.get('east'),
      versions.get('east'),
    ]);
    await versions.get('east');
    expect(answers).toEqual([
      { gitVersion: 'v1.34.4' },
      { gitVersion: 'v1.34.4' },
    ]);
    expect(version).toHaveBeenCalledTimes(1);
  });

  it('refreshes an old answer in the background, serving the old one meanwhile', async () => {
    const { versions, version, advance, settle } = setup();
    await versions.get('east');
    version.mockResolvedValueOnce({
      gitVersion: 'v1.35.0',
      major: '1',
      minor: '35',
    });
    advance(59_000);
    expect(await versions.get('east')).toEqual({ gitVersion: 'v1.34.4' });
    expect(version).toHaveBeenCalledTimes(1);
    advance(1_000);
    expect(await versions.get('east')).toEqual({ gitVersion: 'v1.34.4' });
    await settle();
    expect(await versions.get('east')).toEqual({ gitVersion: 'v1.35.0' });
    expect(version).toHaveBeenCalledTimes(2);
  });

  it('remembers a failure and retries it sooner', async () => {
    const { versions, version, advance, settle } = setup();
    version.mockRejectedValueOnce(new Error('cluster east: version: timeout'));
    expect(await versions.get('east')).toEqual({
      error: 'cluster east: version: timeout',
    });
    await versions.get('east');
    expect(version).toHaveBeenCalledTimes(1);
    advance(5_000);
    await versions.get('east');
    await settle();
    expect(await versions.get('east')).toEqual({ gitVersion: 'v1.34.4' });
  });

  it('asks again when the cache reconnects after an error, not on every sync', async () => {
    const { versions, version, emit, settle } = setup();
    await versions.get('east');
    const sync: ClusterCacheEvent = {
      type: 'sync',
      cluster: 'east',
      kind: 'NopResource',
      objects: [],
    };
    emit(sync);
    await settle();
    expect(version).toHaveBeenCalledTimes(1);
    emit({
      type: 'error',
      cluster: 'east',
      kind: 'NopResource',
      error: new Error('connection refused'),
    });
    emit(sync);
    await settle();
    expect(version).toHaveBeenCalledTimes(2);
  });
});
