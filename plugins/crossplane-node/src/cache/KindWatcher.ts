import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { ClusterClient, WatchHandle } from '../client/types';
import { retryDelay } from './backoff';
import { ListLimiter } from './ListLimiter';
import { slimObject } from './slimObject';

const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;

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
  /** Shared by the kinds of one cluster: bounds its concurrent lists. */
  limiter?: ListLimiter;
  /** What is kept of each object; {@link slimObject} unless given. */
  slim?: (object: KubernetesObject) => KubernetesObject;
  /** For tests: the source of the backoff's jitter. */
  random?: () => number;
}

/**
 * Keeps one kind of one cluster current, as client-go's reflector does: a
 * paginated list, then a watch from the list's resourceVersion with
 * bookmarks; a relist when the watch expires (410 Gone); retries with
 * jittered backoff after a failure, for as long as it runs. Never reports
 * a deletion it did not see: a failure leaves the last state alone. Nothing
 * is reported after `stop()`, not even by a list or watch started before.
 */
export class KindWatcher {
  readonly kind: WatchedKind;
  readonly #options: KindWatcherOptions;
  #resourceVersion?: string;
  #watch?: WatchHandle;
  #timer?: ReturnType<typeof setTimeout>;
  #running = false;
  /** Bumped by start and stop: callbacks of an earlier run do nothing. */
  #generation = 0;
  #failures = 0;

  constructor(options: KindWatcherOptions) {
    this.kind = options.kind;
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#generation += 1;
    void this.#list(this.#generation);
  }

  stop(): void {
    this.#running = false;
    this.#generation += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watch?.stop();
    this.#watch = undefined;
  }

  /**
   * When waiting to retry after a failure: retries now, with the backoff
   * starting over. Returns whether it did.
   */
  retryNow(): boolean {
    if (!this.#running || !this.#timer) return false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#failures = 0;
    void this.#list(this.#generation);
    return true;
  }

  /** The next retry waits the first delay again, not a longer one. */
  resetBackoff(): void {
    this.#failures = 0;
  }

  #current(generation: number): boolean {
    return this.#running && generation === this.#generation;
  }

  async #list(generation: number): Promise<void> {
    const { client, kind, listener, pageSize, limiter } = this.#options;
    try {
      const list = () =>
        this.#current(generation)
          ? client.list(kind.apiVersion, kind.kind, { pageSize })
          : undefined;
      const result = await (limiter ? limiter.run(async () => list()) : list());
      if (!result || !this.#current(generation)) return;
      this.#resourceVersion = result.resourceVersion;
      listener.onSync(kind, result.items.map(this.#slim));
      await this.#startWatch(generation);
    } catch (error) {
      this.#fail(generation, error);
    }
  }

  async #startWatch(generation: number): Promise<void> {
    const { client, kind, listener } = this.#options;
    // One watch: `live` until it ends or the watcher stops.
    const attempt: { live: boolean; handle?: WatchHandle } = { live: true };
    const handle = await client.watch(
      kind.apiVersion,
      kind.kind,
      { resourceVersion: this.#resourceVersion },
      event => {
        if (!attempt.live || !this.#current(generation)) return;
        const version = event.object.metadata?.resourceVersion;
        if (version) this.#resourceVersion = version;
        this.#failures = 0;
        switch (event.type) {
          case 'ADDED':
          case 'MODIFIED':
            listener.onUpsert(kind, this.#slim(event.object));
            break;
          case 'DELETED':
            listener.onDelete(kind, this.#slim(event.object));
            break;
          default:
            // BOOKMARK: only the resourceVersion matters.
            break;
        }
      },
      error => {
        if (!attempt.live) return;
        attempt.live = false;
        if (attempt.handle && this.#watch === attempt.handle)
          this.#watch = undefined;
        if (!this.#current(generation)) return;
        if (!error) {
          // The server closed the watch (its timeout): resume where we were.
          this.#startWatch(generation).catch(e => this.#fail(generation, e));
          return;
        }
        this.#fail(generation, error);
      },
    );
    if (!attempt.live || !this.#current(generation)) {
      // Stopped (or ended) while the watch was being opened.
      attempt.live = false;
      handle.stop();
      return;
    }
    attempt.handle = handle;
    this.#watch = handle;
  }

  #fail(generation: number, error: unknown) {
    if (!this.#current(generation)) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const expired = err instanceof ClusterRequestError && err.isExpired;
    if (expired) {
      // Our resourceVersion is too old: relist at once, no backoff.
      this.#resourceVersion = undefined;
      void this.#list(generation);
      return;
    }
    // Told before the retry is due: a retryNow() from the owner leaves this
    // failure's retry alone.
    this.#options.listener.onError(this.#options.kind, err);
    if (!this.#current(generation)) return;
    const delay = retryDelay(
      this.#failures,
      this.#options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      this.#options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
      this.#options.random,
    );
    this.#failures += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#current(generation)) void this.#list(generation);
    }, delay);
  }

  readonly #slim = (object: KubernetesObject) =>
    (this.#options.slim ?? slimObject)(object);
}
