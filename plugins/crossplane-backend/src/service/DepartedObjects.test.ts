import {
  KubernetesObject,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterCacheEvent,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { DepartedObjects } from './DepartedObjects';

/** A cache that only hands its events to its one listener. */
function fakeCache() {
  let listener: (event: ClusterCacheEvent) => void = () => {};
  const cache = {
    cluster: 'east',
    subscribe: (l: typeof listener) => {
      listener = l;
      return () => {};
    },
  } as unknown as ClusterObjectCache;
  return { cache, emit: (event: ClusterCacheEvent) => listener(event) };
}

const nop = (name: string): KubernetesObject => ({
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  metadata: { name },
});
const idOf = (name: string, namespace?: string) =>
  parseObjectId({
    cluster: 'east',
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'NopResource',
    namespace,
    name,
  });

describe('DepartedObjects', () => {
  it('remembers deleted objects by exact identity, any version, for a while', () => {
    const { cache, emit } = fakeCache();
    let now = 0;
    const departed = new DepartedObjects({ cache, now: () => now, ttlMs: 100 });
    emit({ type: 'upsert', cluster: 'east', object: nop('kept') });
    emit({ type: 'delete', cluster: 'east', object: nop('went') });
    expect(departed.find(idOf('kept'))).toBeUndefined();
    expect(departed.find(idOf('went'))?.metadata.name).toBe('went');
    expect(departed.find(idOf('went', 'team-alpha'))).toBeUndefined();
    expect(
      departed.find(
        parseObjectId({
          cluster: 'east',
          apiVersion: 'nop.crossplane.io/v1beta1',
          kind: 'NopResource',
          name: 'went',
        }),
      ),
    ).toBeDefined();
    expect(departed.find({ ...idOf('went'), cluster: 'west' })).toBeUndefined();
    now = 100;
    expect(departed.find(idOf('went'))).toBeUndefined();
  });

  it('keeps the newest ones only, a deletion seen again counting as new', () => {
    const { cache, emit } = fakeCache();
    const departed = new DepartedObjects({ cache, max: 2 });
    for (const name of ['a', 'b', 'a', 'c']) {
      emit({ type: 'delete', cluster: 'east', object: nop(name) });
    }
    expect(departed.find(idOf('b'))).toBeUndefined();
    expect(departed.find(idOf('a'))).toBeDefined();
    expect(departed.find(idOf('c'))).toBeDefined();
  });
});
