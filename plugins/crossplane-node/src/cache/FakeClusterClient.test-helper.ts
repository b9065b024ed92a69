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
 * `objects` holds (or throw `listError`, or the kind's `kindErrors` entry),
 * watches are driven by the test, `version` throws `versionError`.
 */
export class FakeClusterClient implements ClusterClient {
  readonly name = 'fake';
  objects = new Map<string, KubernetesObject[]>();
  listError?: Error;
  kindErrors = new Map<string, Error>();
  versionError?: Error;
  listCalls: string[] = [];
  versionCalls = 0;
  watches: Watch[] = [];
  resourceVersion = 1;
  /** Lists running now, and the most at once. */
  listsInFlight = 0;
  maxListsInFlight = 0;
  /** When set, lists (watches) wait for it before they answer. */
  listGate?: Promise<void>;
  watchGate?: Promise<void>;

  async version() {
    this.versionCalls += 1;
    if (this.versionError) throw this.versionError;
    return { gitVersion: 'v1.34.0', major: '1', minor: '34' };
  }

  async discover() {
    return undefined;
  }

  async list(_apiVersion: string, kind: string) {
    this.listCalls.push(kind);
    this.listsInFlight += 1;
    this.maxListsInFlight = Math.max(this.maxListsInFlight, this.listsInFlight);
    try {
      await this.listGate;
    } finally {
      this.listsInFlight -= 1;
    }
    const error = this.listError ?? this.kindErrors.get(kind);
    if (error) throw error;
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

  async patchAnnotations(): Promise<KubernetesObject> {
    throw new Error('the cache never writes');
  }

  async patchSpec(): Promise<KubernetesObject> {
    throw new Error('the cache never writes');
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
    await this.watchGate;
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
