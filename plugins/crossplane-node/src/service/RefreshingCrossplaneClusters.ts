import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { ClusterClient } from '../client/types';
import {
  CatalogClusterSupplier,
  ClusterCatalogReader,
} from '../clusters/CatalogClusterSupplier';
import { clusterConfigOf } from '../clusters/clusterDetails';
import { NamedClusterSupplier } from '../clusters/readClusterSuppliers';
import { ClusterConfig } from '../config/readClusterConfigs';
import {
  ClusterCatalogAccess,
  CrossplaneClusterInfo,
  CrossplaneClusters,
  CrossplaneClustersChange,
  unknownClusterError,
} from './CrossplaneClusters';

/** Asked until a supplier first answers, when that is sooner than the interval. */
const FIRST_ANSWER_RETRY_MS = 5_000;

/** Credentials of nobody: the suppliers' calls before a plugin lends its own. */
const NO_CREDENTIALS: BackstageCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'none' },
};

/** A cluster a supplier lists, with what its client is built from. */
type Wanted = {
  details: ClusterDetails;
  source: string;
  config: ClusterConfig;
};

type Entry = {
  client: ClusterClient;
  info: CrossplaneClusterInfo;
  /** Everything the client is built from, to tell a changed cluster. */
  fingerprint: string;
  close(): void;
};

/**
 * Clusters from {@link KubernetesClustersSupplier}s, asked again on a
 * schedule. An unchanged cluster (same name, URL and credentials) keeps its
 * client, and with it every cache built on it; subscribers hear of added
 * and removed clusters. A supplier that fails keeps its last clusters: a
 * cluster leaves only when its supplier no longer lists it. Names are
 * unique: a later supplier's cluster of a taken name is left out.
 */
export class RefreshingCrossplaneClusters implements CrossplaneClusters {
  readonly #suppliers: NamedClusterSupplier[];
  readonly #logger: LoggerService;
  readonly #createClient: (cluster: ClusterConfig) => Entry['client'];
  /** Each supplier's last answer; absent until it first answers. */
  readonly #answers = new Map<NamedClusterSupplier, ClusterDetails[]>();
  readonly #failing = new Set<NamedClusterSupplier>();
  readonly #listeners = new Set<(change: CrossplaneClustersChange) => void>();
  readonly #warned = new Set<string>();
  #entries: Entry[] = [];
  #access?: ClusterCatalogAccess;
  #refreshing: Promise<void> = Promise.resolve();
  #timer?: NodeJS.Timeout;

  constructor(options: {
    suppliers: NamedClusterSupplier[];
    logger: LoggerService;
    /** Builds a cluster's client; KubernetesClusterClient's by default. */
    createClient?: (cluster: ClusterConfig) => ClusterClient;
  }) {
    this.#suppliers = options.suppliers;
    this.#logger = options.logger;
    this.#createClient =
      options.createClient ??
      (cluster => KubernetesClusterClient.fromConfig(cluster));
  }

  list(): ClusterClient[] {
    return this.#entries.map(e => e.client);
  }

  get(name: string): ClusterClient {
    return this.#entry(name).client;
  }

  describe(name: string): CrossplaneClusterInfo {
    return { ...this.#entry(name).info };
  }

  subscribe(listener: (change: CrossplaneClustersChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  readCatalogWith(access: ClusterCatalogAccess): void {
    this.#access ??= access;
  }

  /** The lent catalog client, for the catalog locator. */
  catalog(): ClusterCatalogReader | undefined {
    return this.#access?.catalog;
  }

  /** Asks every supplier now; calls do not overlap. */
  refresh(): Promise<void> {
    this.#refreshing = this.#refreshing.then(() => this.#refresh());
    return this.#refreshing;
  }

  /**
   * Refreshes every `intervalMs` (every few seconds while a supplier has
   * never answered, e.g. the catalog while the backend starts).
   */
  start(intervalMs: number): void {
    if (this.#timer) return;
    const next = () => {
      const waiting = this.#suppliers.some(s => !this.#answers.has(s));
      this.#timer = setTimeout(
        () => void this.refresh().finally(() => this.#timer && next()),
        waiting ? Math.min(intervalMs, FIRST_ANSWER_RETRY_MS) : intervalMs,
      );
      this.#timer.unref();
    };
    next();
  }

  /** Stops refreshing and closes every client. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#entries.forEach(e => e.close());
  }

  #entry(name: string): Entry {
    const entry = this.#entries.find(e => e.client.name === name);
    if (!entry) {
      throw unknownClusterError(
        name,
        this.#entries.map(e => e.client.name),
      );
    }
    return entry;
  }

  async #refresh(): Promise<void> {
    const credentials = this.#access
      ? await this.#access.auth.getOwnServiceCredentials()
      : NO_CREDENTIALS;
    await Promise.all(
      this.#suppliers.map(async supplier => {
        try {
          this.#answers.set(
            supplier,
            await supplier.supplier.getClusters({ credentials }),
          );
          if (this.#failing.delete(supplier)) {
            this.#logger.info(
              `Cluster locator ${supplier.source} answers again`,
            );
          }
        } catch (error) {
          // Its clusters stay as last listed: unanswered is not removed.
          if (!this.#failing.has(supplier)) {
            this.#failing.add(supplier);
            this.#logger.warn(
              `Cluster locator ${supplier.source} did not answer, its clusters are kept as last listed: ${error}`,
            );
          }
        }
      }),
    );
    this.#apply(this.#wanted());
  }

  /**
   * What each supplier lists now, first name wins, as entries to reuse or
   * build. The catalog's clusters come last, whatever the locators' order:
   * an entity anyone may register never takes a configured cluster's name.
   * Names differ in more than case, as the catalog's entity names do.
   */
  #wanted(): Wanted[] {
    const wanted: Wanted[] = [];
    const names = new Set<string>();
    const fromCatalog = (s: NamedClusterSupplier) =>
      s.supplier instanceof CatalogClusterSupplier;
    for (const supplier of [
      ...this.#suppliers.filter(s => !fromCatalog(s)),
      ...this.#suppliers.filter(fromCatalog),
    ]) {
      for (const details of this.#answers.get(supplier) ?? []) {
        const name = details.name.toLowerCase();
        if (names.has(name)) {
          this.#warnOnce(
            `Cluster "${details.name}" of ${supplier.source} is left out: a cluster of that name is already known`,
          );
          continue;
        }
        try {
          wanted.push({
            details,
            source: supplier.source,
            config: clusterConfigOf(details),
          });
          names.add(name);
        } catch (error) {
          this.#warnOnce(
            `Cluster "${details.name}" of ${supplier.source} is left out: ${error}`,
          );
        }
      }
    }
    return wanted;
  }

  #apply(wanted: Wanted[]) {
    const previous = new Map(this.#entries.map(e => [e.client.name, e]));
    const added: Entry[] = [];
    const next = wanted.map(({ details, source, config }) => {
      const fingerprint = JSON.stringify(config);
      const kept = previous.get(details.name);
      if (kept?.fingerprint === fingerprint) {
        previous.delete(details.name);
        return kept;
      }
      const client = this.#createClient(config);
      const entry: Entry = {
        client,
        fingerprint,
        info: {
          name: details.name,
          title: details.title,
          url: config.url,
          authProvider:
            details.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER],
          skipTLSVerify: config.skipTLSVerify,
          source,
        },
        close: () => (client as Partial<KubernetesClusterClient>).close?.(),
      };
      added.push(entry);
      return entry;
    });
    const removed = [...previous.values()];
    this.#entries = next;
    if (added.length === 0 && removed.length === 0) return;
    this.#logger.info(
      `Crossplane clusters: ${
        next.map(e => `${e.info.name} (${e.info.url})`).join(', ') || 'none'
      }${
        added.length ? `; added ${added.map(e => e.info.name).join(', ')}` : ''
      }${
        removed.length
          ? `; removed ${removed.map(e => e.info.name).join(', ')}`
          : ''
      }`,
    );
    const change = {
      added: added.map(e => e.client),
      removed: removed.map(e => e.client),
    };
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.error(`A cluster change listener failed: ${error}`);
      }
    }
    // Its users have let go of it.
    removed.forEach(e => e.close());
  }

  #warnOnce(message: string) {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#logger.warn(message);
  }
}
