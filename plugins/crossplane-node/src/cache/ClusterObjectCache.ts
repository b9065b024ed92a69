import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';
import { ClusterProbe, isAnswer } from './ClusterProbe';
import { KindWatcher, KindWatcherListener, WatchedKind } from './KindWatcher';
import { ListLimiter } from './ListLimiter';
import { slimCrd, slimPod } from './slimObject';
import {
  CRD_KIND,
  kindKey,
  kindName,
  watchedKindOfCrd,
  WORKLOAD_KINDS,
} from './watchedKinds';

/**
 * A change in a cluster's cache. `reachability` says that the API server
 * stopped or started answering.
 *
 * @public
 */
export type ClusterCacheEvent =
  | { type: 'sync'; cluster: string; kind: string; objects: KubernetesObject[] }
  | { type: 'upsert'; cluster: string; object: KubernetesObject }
  | { type: 'delete'; cluster: string; object: KubernetesObject }
  | { type: 'error'; cluster: string; kind: string; error: Error }
  | { type: 'reachability'; cluster: string; reachable: boolean };

/**
 * The state of one watched kind of a cluster's cache.
 *
 * @public
 */
export interface KindCacheStatus {
  /** As kubectl names kinds: `NopResource.nop.crossplane.io`, `Service`. */
  name: string;
  /** The version the kind is read in. */
  apiVersion: string;
  kind: string;
  /** Listed at least once: its objects are known (kept while it fails). */
  synced: boolean;
  /** Its last list or watch failed; cleared by its next successful list. */
  failing: boolean;
  lastError?: string;
  lastErrorAt?: string;
  objectCount: number;
}

/**
 * The state of one cluster's cache, for status pages and health checks.
 *
 * @public
 */
export interface ClusterCacheStatus {
  cluster: string;
  /**
   * The first sync is done: the kinds to watch are known (the CRDs are
   * listed) and every one of them has answered its first list, with its
   * objects or with an error (then it is in `failingKinds` and its own
   * `synced` is false until it lists).
   */
  synced: boolean;
  /**
   * The API server answers. One kind whose list fails (a conversion
   * webhook that is down, a 403 for one resource) leaves it reachable; it
   * is in `failingKinds`.
   */
  reachable: boolean;
  /** Why the cluster is unreachable, or the latest error of a failing kind. */
  lastError?: string;
  lastErrorAt?: string;
  objectCount: number;
  /** Objects were dropped because the cache reached its bound. */
  truncated: boolean;
  /** Names of the kinds whose last list or watch failed (see `kinds`). */
  failingKinds: string[];
  kinds: KindCacheStatus[];
}

/**
 * Options of a {@link ClusterObjectCache}.
 *
 * @public
 */
export interface ClusterObjectCacheOptions {
  client: ClusterClient;
  logger: LoggerService;
  /** Also cache Deployments, StatefulSets and Services. */
  includeWorkloads?: boolean;
  /** Upper bound of cached objects; more are dropped and reported. */
  maxObjects?: number;
  pageSize?: number;
  /** Lists of this cluster running at the same time, at most. */
  maxConcurrentLists?: number;
  /** First retry delay of a failed kind; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often an unreachable API server is asked whether it is back. */
  probeIntervalMs?: number;
}

const DEFAULT_MAX_OBJECTS = 250_000;
const DEFAULT_MAX_CONCURRENT_LISTS = 4;
/**
 * After an outage an API server serves custom resources some seconds after
 * it first answers: in this time their failures do not lengthen the backoff.
 */
const RECOVERY_MS = 30_000;
const CRD_KEY = kindKey(CRD_KIND);

/** Kinds kept slimmer than {@link slimObject}'s default, by kind key. */
const SLIM_BY_KIND: Record<
  string,
  (object: KubernetesObject) => KubernetesObject
> = {
  [CRD_KEY]: slimCrd,
  [kindKey({ apiVersion: 'v1', kind: 'Pod' })]: slimPod,
};
const FIXED_KEYS = new Set([CRD_KIND, ...WORKLOAD_KINDS].map(kindKey));

/** One watched kind: its watcher, its objects and how its last request went. */
interface KindState {
  kind: WatchedKind;
  watcher: KindWatcher;
  objects: Map<string, KubernetesObject>;
  synced: boolean;
  error?: { message: string; at: string };
}

function objectKey(object: KubernetesObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * Every Crossplane object of one cluster, and optionally its workloads, kept
 * current by list + watch. Kinds follow the cluster's CRDs: a new XRD's claim
 * and composite kinds are watched as soon as their CRDs are established.
 *
 * Each kind stands on its own: one whose list fails keeps its last known
 * objects and retries with backoff while the others stay current. When the
 * API server answers again after an outage, every failing kind retries at
 * once.
 *
 * @public
 */
export class ClusterObjectCache {
  readonly cluster: string;
  readonly #options: ClusterObjectCacheOptions;
  readonly #kinds = new Map<string, KindState>();
  readonly #listeners = new Set<(event: ClusterCacheEvent) => void>();
  readonly #limiter: ListLimiter;
  readonly #probe: ClusterProbe;
  #count = 0;
  #truncated = false;
  #started = false;
  #unreachable?: { message: string; at: string };
  #answeredAgainAt = 0;

  constructor(options: ClusterObjectCacheOptions) {
    this.cluster = options.client.name;
    this.#options = options;
    this.#limiter = new ListLimiter(
      options.maxConcurrentLists ?? DEFAULT_MAX_CONCURRENT_LISTS,
    );
    this.#probe = new ClusterProbe({
      client: options.client,
      intervalMs: options.probeIntervalMs,
      onAnswer: () => this.#answered(),
      onNoAnswer: error => this.#notAnswered(error),
    });
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#watch(CRD_KIND);
    if (this.#options.includeWorkloads ?? true) {
      WORKLOAD_KINDS.forEach(kind => this.#watch(kind));
    }
    // After a stop: the kinds known before resume.
    for (const state of this.#kinds.values()) state.watcher.start();
  }

  stop(): void {
    this.#started = false;
    this.#probe.stop();
    for (const state of this.#kinds.values()) state.watcher.stop();
  }

  subscribe(listener: (event: ClusterCacheEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every cached object except CRDs. */
  objects(): KubernetesObject[] {
    const result: KubernetesObject[] = [];
    for (const [key, state] of this.#kinds) {
      if (key === CRD_KEY) continue;
      for (const object of state.objects.values()) result.push(object);
    }
    return result;
  }

  /** Cached objects of one kind of an API group, in whichever version. */
  objectsOfKind(group: string, kind: string): KubernetesObject[] {
    const state = this.#kinds.get(`${group}/${kind}`);
    return state ? [...state.objects.values()] : [];
  }

  /** The state of one kind of an API group, if it is watched. */
  kindStatus(group: string, kind: string): KindCacheStatus | undefined {
    const state = this.#kinds.get(`${group}/${kind}`);
    return state && kindStatusOf(state);
  }

  status(): ClusterCacheStatus {
    const kinds = [...this.#kinds.values()].map(kindStatusOf);
    const failing = kinds.filter(k => k.failing);
    const latest = failing.reduce<KindCacheStatus | undefined>(
      (a, b) => (!a || (b.lastErrorAt ?? '') > (a.lastErrorAt ?? '') ? b : a),
      undefined,
    );
    const error =
      this.#unreachable ??
      (latest && { message: latest.lastError, at: latest.lastErrorAt });
    return {
      cluster: this.cluster,
      synced:
        Boolean(this.#kinds.get(CRD_KEY)?.synced) &&
        kinds.every(k => k.synced || k.failing),
      reachable: !this.#unreachable,
      lastError: error?.message,
      lastErrorAt: error?.at,
      objectCount: this.#count,
      truncated: this.#truncated,
      failingKinds: failing.map(k => k.name),
      kinds,
    };
  }

  #watch(kind: WatchedKind) {
    const key = kindKey(kind);
    if (this.#kinds.has(key)) return;
    const state: KindState = {
      kind,
      watcher: this.#watcherOf(key, kind),
      objects: new Map(),
      synced: false,
    };
    this.#kinds.set(key, state);
    state.watcher.start();
  }

  /**
   * The kind is now read in another version (its CRD's storage version
   * changed): its objects stay until it is listed in that version.
   */
  #rewatch(state: KindState, kind: WatchedKind) {
    const key = kindKey(kind);
    this.#options.logger.info(
      `Reading ${kindName(kind)} in ${kind.apiVersion} instead of ${
        state.kind.apiVersion
      }`,
    );
    state.watcher.stop();
    state.kind = kind;
    state.watcher = this.#watcherOf(key, kind);
    state.watcher.start();
  }

  #unwatch(key: string) {
    const state = this.#kinds.get(key);
    if (!state) return;
    state.watcher.stop();
    this.#kinds.delete(key);
    // The kind no longer exists in the cluster (its CRD was deleted).
    this.#count -= state.objects.size;
    for (const object of state.objects.values()) {
      this.#emit({ type: 'delete', cluster: this.cluster, object });
    }
  }

  #watcherOf(key: string, kind: WatchedKind): KindWatcher {
    const { client, pageSize, retryDelayMs, maxRetryDelayMs } = this.#options;
    return new KindWatcher({
      client,
      kind,
      pageSize,
      retryDelayMs,
      maxRetryDelayMs,
      limiter: this.#limiter,
      slim: SLIM_BY_KIND[key],
      listener: this.#listenerOf(key),
    });
  }

  #followCrds(crds: Iterable<KubernetesObject>) {
    const wanted = new Map<string, WatchedKind>();
    for (const crd of crds) {
      const kind = watchedKindOfCrd(crd);
      if (kind) wanted.set(kindKey(kind), kind);
    }
    for (const [key, kind] of wanted) {
      const state = this.#kinds.get(key);
      if (!state) this.#watch(kind);
      else if (state.kind.apiVersion !== kind.apiVersion)
        this.#rewatch(state, kind);
    }
    for (const key of [...this.#kinds.keys()]) {
      if (!FIXED_KEYS.has(key) && !wanted.has(key)) this.#unwatch(key);
    }
  }

  /** A changed CRD may be the repair of its failing kind: try it now. */
  #retryKindOf(crd: KubernetesObject) {
    const kind = watchedKindOfCrd(crd);
    const state = kind && this.#kinds.get(kindKey(kind));
    if (state?.error) state.watcher.retryNow();
  }

  /** The API server answered a request. */
  #answered() {
    if (!this.#unreachable) return;
    this.#unreachable = undefined;
    this.#answeredAgainAt = Date.now();
    // Every kind that failed while it was down retries now, not after the
    // rest of its backoff.
    let retried = 0;
    for (const state of this.#kinds.values()) {
      if (state.watcher.retryNow()) retried += 1;
    }
    this.#options.logger.info(
      `Cluster ${this.cluster} answers again; ${retried} kinds retry now`,
    );
    this.#emit({
      type: 'reachability',
      cluster: this.cluster,
      reachable: true,
    });
  }

  #notAnswered(error: Error) {
    const first = !this.#unreachable;
    this.#unreachable = {
      message: error.message,
      at: new Date().toISOString(),
    };
    if (!first) return;
    this.#options.logger.warn(
      `Cluster ${this.cluster} does not answer, keeping the last known state: ${error.message}`,
    );
    this.#emit({
      type: 'reachability',
      cluster: this.cluster,
      reachable: false,
    });
  }

  /** Callbacks of the watcher of one kind; ignored once it is replaced. */
  #listenerOf(key: string): KindWatcherListener {
    const current = (kind: WatchedKind) => {
      const state = this.#kinds.get(key);
      return state?.kind.apiVersion === kind.apiVersion ? state : undefined;
    };
    return {
      onSync: (kind, objects) => {
        const state = current(kind);
        if (!state) return;
        this.#answered();
        const previous = state.objects;
        const next = new Map<string, KubernetesObject>();
        // CRDs are bounded by the cluster itself and not counted.
        const counted = key !== CRD_KEY;
        for (const object of objects) {
          if (
            counted &&
            this.#count - previous.size + next.size >= this.#maxObjects()
          ) {
            this.#markTruncated(kind);
            break;
          }
          next.set(objectKey(object), object);
        }
        if (counted) this.#count += next.size - previous.size;
        state.objects = next;
        state.synced = true;
        if (state.error) {
          this.#options.logger.info(`${kindName(kind)} is listed again`);
          state.error = undefined;
        }
        if (key === CRD_KEY) this.#followCrds(next.values());
        this.#emit({
          type: 'sync',
          cluster: this.cluster,
          kind: kind.kind,
          objects: [...next.values()],
        });
      },
      onUpsert: (kind, object) => {
        const state = current(kind);
        if (!state) return;
        this.#answered();
        const id = objectKey(object);
        if (!state.objects.has(id) && key !== CRD_KEY) {
          if (this.#count >= this.#maxObjects()) {
            this.#markTruncated(kind);
            return;
          }
          this.#count += 1;
        }
        state.objects.set(id, object);
        if (key === CRD_KEY) {
          this.#followCrds(state.objects.values());
          this.#retryKindOf(object);
        }
        this.#emit({ type: 'upsert', cluster: this.cluster, object });
      },
      onDelete: (kind, object) => {
        const state = current(kind);
        if (!state) return;
        this.#answered();
        if (state.objects.delete(objectKey(object)) && key !== CRD_KEY)
          this.#count -= 1;
        if (key === CRD_KEY) this.#followCrds(state.objects.values());
        this.#emit({ type: 'delete', cluster: this.cluster, object });
      },
      onError: (kind, error) => {
        const state = current(kind);
        if (!state) return;
        if (!state.error) {
          this.#options.logger.warn(
            `Watching ${kindName(
              kind,
            )} failed, keeping its last known objects and retrying: ${
              error.message
            }`,
          );
        }
        state.error = { message: error.message, at: new Date().toISOString() };
        if (Date.now() - this.#answeredAgainAt < RECOVERY_MS)
          state.watcher.resetBackoff();
        if (isAnswer(error)) this.#answered();
        // Without an answer: the cluster may be down, or only this request.
        else this.#probe.check();
        this.#emit({
          type: 'error',
          cluster: this.cluster,
          kind: kind.kind,
          error,
        });
      },
    };
  }

  #maxObjects() {
    return this.#options.maxObjects ?? DEFAULT_MAX_OBJECTS;
  }

  #markTruncated(kind: WatchedKind) {
    if (!this.#truncated) {
      this.#options.logger.warn(
        `Cache of cluster ${
          this.cluster
        } is full (${this.#maxObjects()} objects); ${
          kind.kind
        } objects are dropped`,
      );
    }
    this.#truncated = true;
  }

  #emit(event: ClusterCacheEvent) {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#options.logger.error(`Cache listener failed: ${error}`);
      }
    }
  }
}

function kindStatusOf(state: KindState): KindCacheStatus {
  return {
    name: kindName(state.kind),
    apiVersion: state.kind.apiVersion,
    kind: state.kind.kind,
    synced: state.synced,
    failing: Boolean(state.error),
    lastError: state.error?.message,
    lastErrorAt: state.error?.at,
    objectCount: state.objects.size,
  };
}
