import type {
  ClusterCacheEvent,
  ClusterClient,
} from '@platformops/plugin-crossplane-node';

/** A cluster's Kubernetes version, or why it could not be read. */
export type ClusterVersion = { gitVersion: string } | { error: string };

type Entry = {
  version?: ClusterVersion;
  fetchedAt: number;
  pending?: Promise<ClusterVersion>;
};

/**
 * The Kubernetes version of each cluster, kept in memory so that the cluster
 * list costs no call to the clusters: asked on first use, again in the
 * background once the answer is old (sooner after a failure), and when the
 * cluster's cache reconnects after an error, as the cluster may have been
 * upgraded meanwhile.
 */
export class ClusterVersions {
  readonly #entries = new Map<string, Entry>();
  readonly #clients: (cluster: string) => Pick<ClusterClient, 'version'>;
  readonly #maxAgeMs: number;
  readonly #retryMs: number;
  readonly #now: () => number;

  constructor(options: {
    clients: (cluster: string) => Pick<ClusterClient, 'version'>;
    maxAgeMs?: number;
    retryMs?: number;
    now?: () => number;
  }) {
    this.#clients = options.clients;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /** Asks the cluster again after its cache comes back from an error. */
  follow(cache: {
    cluster: string;
    subscribe(listener: (event: ClusterCacheEvent) => void): unknown;
  }): void {
    let failing = false;
    cache.subscribe(event => {
      if (event.type === 'error') {
        failing = true;
      } else if (event.type === 'sync' && failing) {
        failing = false;
        void this.#fetch(cache.cluster);
      }
    });
  }

  /**
   * The known version, refreshed in the background when old; waits only
   * when nothing is known yet.
   */
  async get(cluster: string): Promise<ClusterVersion> {
    const entry = this.#entries.get(cluster);
    if (!entry?.version) return entry?.pending ?? this.#fetch(cluster);
    const maxAge = 'error' in entry.version ? this.#retryMs : this.#maxAgeMs;
    if (!entry.pending && this.#now() - entry.fetchedAt >= maxAge) {
      void this.#fetch(cluster);
    }
    return entry.version;
  }

  #fetch(cluster: string): Promise<ClusterVersion> {
    const entry = this.#entries.get(cluster) ?? { fetchedAt: 0 };
    this.#entries.set(cluster, entry);
    if (entry.pending) return entry.pending;
    const pending = Promise.resolve()
      .then(() => this.#clients(cluster).version())
      .then(
        ({ gitVersion }): ClusterVersion => ({ gitVersion }),
        (error): ClusterVersion => ({ error: (error as Error).message }),
      )
      .then(version => {
        entry.version = version;
        entry.fetchedAt = this.#now();
        entry.pending = undefined;
        return version;
      });
    entry.pending = pending;
    return pending;
  }
}
