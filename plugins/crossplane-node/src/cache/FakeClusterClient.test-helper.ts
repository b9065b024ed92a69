import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterClient, WatchEvent } from '../client/types';

type Watch = {
  kind: string;
  resourceVersion?: string;
  onEvent: (event: WatchEvent) => void;
  onDone: (error?: Error) => void;
  stopped: boolean;
};

/**
 * A scripted ClusterClient for unit tests of the cache: lists return what
 * `objects` holds (or throw `listError`), watches are driven by the test.
 */
export class FakeClusterClient implements ClusterClient {
  readonly name = 'fake';
  objects = new Map<string, KubernetesObject[]>();
  listError?: Error;
  listCalls: string[] = [];
  watches: Watch[] = [];
  resourceVersion = 1;

  async version() {
    return { gitVersion: 'v1.34.0', major: '1', minor: '34' };
  }

  async list(_apiVersion: string, kind: string) {
    this.listCalls.push(kind);
    if (this.listError) throw this.listError;
    return {
      items: this.objects.get(kind) ?? [],
      resourceVersion: String(this.resourceVersion),
    };
  }

  async get() {
    return undefined;
  }

  async apply(applied: KubernetesObject) {
    return applied;
  }

  async delete() {
    return true;
  }

  async watch(
    _apiVersion: string,
    kind: string,
    options: { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ) {
    const watch: Watch = {
      kind,
      resourceVersion: options.resourceVersion,
      onEvent,
      onDone,
      stopped: false,
    };
    this.watches.push(watch);
    return {
      stop() {
        watch.stopped = true;
      },
    };
  }

  activeWatch(kind: string): Watch {
    const watch = [...this.watches]
      .reverse()
      .find(w => w.kind === kind && !w.stopped);
    if (!watch) throw new Error(`no active watch of ${kind}`);
    return watch;
  }
}

export function object(
  kind: string,
  name: string,
  extra: Partial<KubernetesObject> = {},
): KubernetesObject {
  return {
    apiVersion: 'example.org/v1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
    },
    ...extra,
  };
}

export async function flush() {
  for (let i = 0; i < 5; i++)
    await new Promise(resolve => setImmediate(resolve));
}
