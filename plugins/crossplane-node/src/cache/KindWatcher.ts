import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { ClusterClient, WatchHandle } from '../client/types';
import { slimObject } from './slimObject';

/** One kind to keep in memory. */
export interface WatchedKind {
  apiVersion: string;
  kind: string;
}

/** What a {@link KindWatcher} reports to its owner. */
export interface KindWatcherListener {
  /** Every object of the kind after a (re)list: replaces what was known. */
  onSync(kind: WatchedKind, objects: KubernetesObject[]): void;
  onUpsert(kind: WatchedKind, object: KubernetesObject): void;
  onDelete(kind: WatchedKind, object: KubernetesObject): void;
  /** A list or watch failed; the known objects stay as they were. */
  onError(kind: WatchedKind, error: Error): void;
}

export interface KindWatcherOptions {
  client: ClusterClient;
  kind: WatchedKind;
  listener: KindWatcherListener;
  pageSize?: number;
  /** Delay before retrying after a failure; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/**
 * Keeps one kind of one cluster current: a paginated list, then a watch from
 * the list's resourceVersion with bookmarks; a relist when the watch expires
 * (410 Gone); retries with backoff while the cluster is unreachable. Never
 * reports a deletion it did not see: a failure leaves the last state alone.
 */
export class KindWatcher {
  readonly #options: Required<Omit<KindWatcherOptions, 'pageSize'>> & {
    pageSize?: number;
  };
  #resourceVersion?: string;
  #watch?: WatchHandle;
  #timer?: ReturnType<typeof setTimeout>;
  #stopped = true;
  #failures = 0;

  constructor(options: KindWatcherOptions) {
    this.#options = {
      retryDelayMs: 1000,
      maxRetryDelayMs: 30000,
      ...options,
    };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#list();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watch?.stop();
    this.#watch = undefined;
  }

  async #list(): Promise<void> {
    const { client, kind, listener, pageSize } = this.#options;
    try {
      const result = await client.list(kind.apiVersion, kind.kind, {
        pageSize,
      });
      if (this.#stopped) return;
      this.#resourceVersion = result.resourceVersion;
      listener.onSync(kind, result.items.map(slimObject));
      await this.#startWatch();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #startWatch(): Promise<void> {
    const { client, kind, listener } = this.#options;
    this.#watch = await client.watch(
      kind.apiVersion,
      kind.kind,
      { resourceVersion: this.#resourceVersion },
      event => {
        const version = event.object.metadata?.resourceVersion;
        if (version) this.#resourceVersion = version;
        this.#failures = 0;
        switch (event.type) {
          case 'ADDED':
          case 'MODIFIED':
            listener.onUpsert(kind, slimObject(event.object));
            break;
          case 'DELETED':
            listener.onDelete(kind, slimObject(event.object));
            break;
          default:
            // BOOKMARK: only the resourceVersion matters.
            break;
        }
      },
      error => {
        this.#watch = undefined;
        if (this.#stopped) return;
        if (!error) {
          // The server closed the watch (its timeout): resume where we were.
          this.#startWatch().catch(e => this.#fail(e));
          return;
        }
        this.#fail(error);
      },
    );
  }

  #fail(error: unknown) {
    if (this.#stopped) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const expired = err instanceof ClusterRequestError && err.isExpired;
    if (expired) {
      // Our resourceVersion is too old: relist at once, no backoff.
      this.#resourceVersion = undefined;
      void this.#list();
      return;
    }
    this.#options.listener.onError(this.#options.kind, err);
    const delay = Math.min(
      this.#options.retryDelayMs * 2 ** this.#failures,
      this.#options.maxRetryDelayMs,
    );
    this.#failures += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) void this.#list();
    }, delay);
  }
}
