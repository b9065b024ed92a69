import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { clusterLocation } from '@platformops/plugin-crossplane-common';
import {
  ClusterObjectCache,
  CrossplaneObjectCache,
} from '@platformops/plugin-crossplane-node';
import { CatalogHoldings } from './CatalogHoldings';

/** Builds the provider that writes one cluster (a CrossplaneEntityProvider). */
export type ClusterProviderFactory = (options: {
  cluster: string;
  cache: ClusterObjectCache;
  /** Its writing windows; stopped when the cluster goes or changes. */
  taskRunner: SchedulerServiceTaskRunner;
  /** Whether it joins the first write of the clusters known at startup. */
  atStartup: boolean;
}) => EntityProvider;

/**
 * One cluster's provider running on a connection, until stopped: stopping
 * ends its writing windows (the scheduler's task of the cluster is
 * cancelled in this replica, and a window it holds closes) and resolves
 * once the last write of that window is done, so that it writes no more.
 */
class RunningCluster {
  readonly provider: EntityProvider;
  readonly #abort = new AbortController();
  #window: Promise<void> = Promise.resolve();

  constructor(
    cache: ClusterObjectCache,
    create: ClusterProviderFactory,
    taskRunner: SchedulerServiceTaskRunner,
    atStartup: boolean,
  ) {
    const signal = this.#abort.signal;
    this.provider = create({
      cluster: cache.cluster,
      cache,
      atStartup,
      taskRunner: {
        run: task =>
          taskRunner.run({
            ...task,
            signal,
            fn: async windowSignal => {
              this.#window = Promise.resolve(task.fn(windowSignal)).catch(
                () => undefined,
              );
              await this.#window;
            },
          }),
      },
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#window;
  }
}

/**
 * The entities of a cluster known when the backend starts: its own
 * provider, `CrossplaneEntityProvider:<cluster>`, registered at init as
 * before. When the cluster's client changes (URL, credentials) it goes on
 * with the new cache; when the cluster leaves its locator, its entities are
 * removed (a full mutation with none). An unreachable cluster does not
 * leave: its entities stay.
 */
class StartupClusterProvider implements EntityProvider {
  readonly #cluster: string;
  readonly #follower: FollowedClusters;
  #connection?: EntityProviderConnection;
  #running?: RunningCluster;

  constructor(cluster: string, follower: FollowedClusters) {
    this.#cluster = cluster;
    this.#follower = follower;
  }

  getProviderName(): string {
    return `CrossplaneEntityProvider:${this.#cluster}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    const cache = this.#follower.cacheOf(this.#cluster);
    if (cache) await this.follow(cache, true);
  }

  async follow(cache: ClusterObjectCache, atStartup = false) {
    await this.#running?.stop();
    if (!this.#connection) return;
    this.#running = this.#follower.run(cache, atStartup);
    await this.#running.provider.connect(this.#connection);
  }

  async gone() {
    await this.#running?.stop();
    this.#running = undefined;
    await this.#connection?.applyMutation({ type: 'full', entities: [] });
  }
}

/**
 * The connection of one cluster inside the provider of clusters found
 * later, which several clusters share: its `full` mutation replaces only
 * this cluster's entities (those the catalog holds from its location, and
 * those written here), as a delta, so that one cluster's writing window
 * never removes another's entities.
 */
class ClusterScopedConnection implements EntityProviderConnection {
  readonly #connection: EntityProviderConnection;
  readonly #locationKey: string;
  readonly #catalog: Pick<CatalogHoldings, 'refsFrom'>;
  #written = new Set<string>();

  constructor(
    connection: EntityProviderConnection,
    cluster: string,
    catalog: Pick<CatalogHoldings, 'refsFrom'>,
  ) {
    this.#connection = connection;
    this.#locationKey = clusterLocation(cluster);
    this.#catalog = catalog;
  }

  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    if (mutation.type === 'delta') {
      await this.#connection.applyMutation(mutation);
      mutation.added.forEach(({ entity }) =>
        this.#written.add(stringifyEntityRef(entity)),
      );
      mutation.removed.forEach(removed =>
        this.#written.delete(
          'entityRef' in removed
            ? removed.entityRef
            : stringifyEntityRef(removed.entity),
        ),
      );
      return;
    }
    const next = new Set(
      mutation.entities.map(e => stringifyEntityRef(e.entity)),
    );
    const before = new Set([
      ...this.#written,
      ...(await this.#catalog.refsFrom(this.#locationKey)),
    ]);
    await this.#connection.applyMutation({
      type: 'delta',
      added: mutation.entities,
      removed: [...before]
        .filter(ref => !next.has(ref))
        .map(entityRef => ({ entityRef, locationKey: this.#locationKey })),
    });
    this.#written = next;
  }

  refresh(options: { keys: string[] }): Promise<void> {
    return this.#connection.refresh(options);
  }
}

/**
 * The clusters found after startup (catalog-located ones, or any a locator
 * lists later), all in one provider, since the catalog takes providers at
 * init only. Each cluster still has its own writing windows, and its own
 * entities, replaced and removed through a {@link ClusterScopedConnection}.
 */
class FoundLaterProvider implements EntityProvider {
  readonly #follower: FollowedClusters;
  readonly #running = new Map<
    string,
    { cluster: RunningCluster; connection: ClusterScopedConnection }
  >();
  #connection?: EntityProviderConnection;

  constructor(follower: FollowedClusters) {
    this.#follower = follower;
  }

  getProviderName(): string {
    return 'CrossplaneFoundClustersProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await Promise.all(
      this.#follower.foundLater().map(cache => this.follow(cache)),
    );
  }

  async follow(cache: ClusterObjectCache) {
    if (!this.#connection) return;
    const previous = this.#running.get(cache.cluster);
    await previous?.cluster.stop();
    const connection =
      previous?.connection ??
      new ClusterScopedConnection(
        this.#connection,
        cache.cluster,
        this.#follower.catalog,
      );
    const cluster = this.#follower.run(cache, false);
    this.#running.set(cache.cluster, { cluster, connection });
    await cluster.provider.connect(connection);
  }

  async gone(name: string) {
    const running = this.#running.get(name);
    await running?.cluster.stop();
    this.#running.delete(name);
    const connection =
      running?.connection ??
      (this.#connection &&
        new ClusterScopedConnection(
          this.#connection,
          name,
          this.#follower.catalog,
        ));
    await connection?.applyMutation({ type: 'full', entities: [] });
  }
}

/**
 * The catalog module's providers for a set of clusters that changes: one
 * per cluster known at startup, one for the clusters found later. They
 * follow the shared object cache, which follows the clusters service.
 */
export class FollowedClusters {
  readonly #cache: CrossplaneObjectCache;
  readonly #ingested: (cluster: string) => boolean;
  readonly #create: ClusterProviderFactory;
  readonly #taskRunner: () => SchedulerServiceTaskRunner;
  readonly #logger: LoggerService;
  readonly #atStartup: Map<string, StartupClusterProvider>;
  readonly #foundLater: FoundLaterProvider;
  /** What the catalog holds, for a full write of a cluster found later. */
  readonly catalog: Pick<CatalogHoldings, 'refsFrom'>;

  constructor(options: {
    cache: CrossplaneObjectCache;
    /** Clusters to ingest (`catalog.providers.crossplane.clusters`). */
    ingested: (cluster: string) => boolean;
    create: ClusterProviderFactory;
    /** A new writing-window runner, one per running cluster. */
    taskRunner: () => SchedulerServiceTaskRunner;
    /** What the catalog holds, for a full write of a cluster found later. */
    catalog: Pick<CatalogHoldings, 'refsFrom'>;
    logger: LoggerService;
  }) {
    this.#cache = options.cache;
    this.#ingested = options.ingested;
    this.#create = options.create;
    this.#taskRunner = options.taskRunner;
    this.#logger = options.logger;
    this.#atStartup = new Map(
      this.#cache
        .caches()
        .filter(c => this.#ingested(c.cluster))
        .map(c => [c.cluster, new StartupClusterProvider(c.cluster, this)]),
    );
    this.#foundLater = new FoundLaterProvider(this);
    this.catalog = options.catalog;
    this.#cache.subscribe?.(({ added, removed }) => {
      const replaced = new Set(added.map(c => c.cluster));
      for (const cache of removed) {
        if (!replaced.has(cache.cluster)) this.#gone(cache.cluster);
      }
      for (const cache of added) this.#follow(cache);
    });
  }

  /** Every provider, to register with the catalog at init. */
  providers(): EntityProvider[] {
    return [...this.#atStartup.values(), this.#foundLater];
  }

  cacheOf(cluster: string): ClusterObjectCache | undefined {
    return this.#cache.caches().find(c => c.cluster === cluster);
  }

  foundLater(): ClusterObjectCache[] {
    return this.#cache
      .caches()
      .filter(
        c => this.#ingested(c.cluster) && !this.#atStartup.has(c.cluster),
      );
  }

  run(cache: ClusterObjectCache, atStartup: boolean): RunningCluster {
    return new RunningCluster(
      cache,
      this.#create,
      this.#taskRunner(),
      atStartup,
    );
  }

  #follow(cache: ClusterObjectCache) {
    if (!this.#ingested(cache.cluster)) return;
    const done =
      this.#atStartup.get(cache.cluster)?.follow(cache) ??
      this.#foundLater.follow(cache);
    done.catch(error =>
      this.#logger.error(`Following cluster ${cache.cluster} failed: ${error}`),
    );
  }

  #gone(cluster: string) {
    if (!this.#ingested(cluster)) return;
    this.#logger.info(
      `Cluster ${cluster} left its locator: removing its entities`,
    );
    const done =
      this.#atStartup.get(cluster)?.gone() ?? this.#foundLater.gone(cluster);
    done.catch(error =>
      this.#logger.error(
        `Removing the entities of cluster ${cluster} failed: ${error}`,
      ),
    );
  }
}
