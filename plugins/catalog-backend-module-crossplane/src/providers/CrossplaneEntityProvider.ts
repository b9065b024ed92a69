import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { clusterLocation } from '@platformops/plugin-crossplane-common';
import {
  ClusterConfig,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { clusterEntity } from './clusterEntity';
import { ClusterSnapshot } from './ClusterSnapshot';
import { FirstWriteBarrier } from '../lib/FirstWriteBarrier';
import { MutationScheduler } from '../lib/MutationScheduler';
import { holdWritingWindow } from '../lib/WritingWindow';
import { CrossplaneProviderConfig } from './config';
import { inIngestionOrder, ingestionStages } from './ingestionOrder';
import { objectToEntity } from './objectToEntity';

/**
 * Ingests one cluster: the cluster itself, its XRDs, claims, composites,
 * managed resources and, by option, workloads (templates, which span
 * clusters, come from {@link CrossplaneTemplateProvider}). One provider per cluster, so
 * that a full mutation of one cluster never touches another's entities.
 *
 * Changes arrive from the shared watch cache and leave as `delta` mutations
 * of just the entities that changed. With several backend replicas on one
 * database, one replica at a time writes a cluster: the one running the
 * cluster's writing window, a global scheduled task (see
 * {@link holdWritingWindow}); each window starts with a `full` mutation,
 * which repairs anything a delta missed or another replica wrote from an
 * older view. Every replica keeps watching, so the status API is current
 * on each; the others write nothing. Nothing is written while the cluster does not
 * answer: its entities stay as they were. The first write waits until every
 * kind has answered its first list. One kind whose list fails (a conversion
 * webhook that is down, a 403 for one resource) stops nothing else: its
 * objects stay as last listed (the cache keeps them; at first start they are
 * absent until the kind lists), the cluster entity names it in
 * `platformops.io/failing-kinds`, and once it lists again it flows as well.
 *
 * @public
 */
export class CrossplaneEntityProvider implements EntityProvider {
  readonly #cluster: ClusterConfig;
  readonly #cache: ClusterObjectCache;
  readonly #config: CrossplaneProviderConfig;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #scheduler: MutationScheduler;
  readonly #firstWrite?: FirstWriteBarrier;
  #leftFirstWrite = false;
  /** This replica holds the cluster's writing window. */
  #writing = false;
  /** The window's first write, a full one, is done. */
  #wroteInWindow = false;
  #connection?: EntityProviderConnection;
  /** What the catalog holds from us: entity ref to serialized entity. */
  #emitted?: Map<string, { entity: Entity; json: string }>;

  constructor(options: {
    cluster: ClusterConfig;
    cache: ClusterObjectCache;
    config: CrossplaneProviderConfig;
    logger: LoggerService;
    /**
     * Runs the writing window: a global task, so that one replica at a time
     * runs it, whose timeout exceeds `config.writerWindowMs`.
     */
    taskRunner: SchedulerServiceTaskRunner;
    /** Shared by the providers of all clusters; see {@link FirstWriteBarrier}. */
    firstWrite?: FirstWriteBarrier;
  }) {
    this.#firstWrite = options.firstWrite;
    this.#cluster = options.cluster;
    this.#cache = options.cache;
    this.#config = options.config;
    this.#taskRunner = options.taskRunner;
    this.#logger = options.logger.child({ target: this.getProviderName() });
    this.#scheduler = new MutationScheduler({
      debounceMs: options.config.debounceMs,
      onError: error =>
        this.#logger.error(
          `Ingesting changes of cluster ${options.cluster.name} failed: ${error}`,
        ),
    });
  }

  getProviderName(): string {
    return `CrossplaneEntityProvider:${this.#cluster.name}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    this.#cache.subscribe(event => {
      if (event.type === 'reachability' && !event.reachable) {
        // Unreachable before its first write: the others need not wait.
        if (!this.#emitted && !this.#leftFirstWrite) {
          this.#leftFirstWrite = true;
          this.#firstWrite?.leave();
        }
        return;
      }
      // An error too: the failing kinds on the cluster entity change, and
      // the first write may no longer have to wait for that kind.
      this.#scheduler.trigger(() => this.deltaMutation());
    });
    this.#cache.start();
    await this.#taskRunner.run({
      id: `${this.getProviderName()}:writer`,
      fn: signal =>
        holdWritingWindow({
          signal,
          lengthMs: this.#config.writerWindowMs,
          open: () => this.#openWindow(),
          close: () => this.#closeWindow(),
        }),
    });
  }

  async #openWindow() {
    this.#writing = true;
    this.#wroteInWindow = false;
    this.#logger.debug(`Writing cluster ${this.#cluster.name} from here`);
    try {
      if (await this.fullMutation()) return;
      // The cluster does not answer yet: at least its own entity, from
      // config, as a delta that leaves its other entities alone.
      await this.#scheduler.run(async () => {
        if (!this.#writing) return;
        await this.#requireConnection().applyMutation({
          type: 'delta',
          added: [this.#deferred(clusterEntity(this.#cluster, this.#config))],
          removed: [],
        });
      });
    } catch (error) {
      this.#logger.error(
        `Full ingestion of cluster ${this.#cluster.name} failed: ${error}`,
      );
    }
  }

  async #closeWindow() {
    this.#writing = false;
    // The window ends once no write of it is in flight.
    await this.#scheduler.run(async () => undefined);
  }

  /**
   * Replaces every entity of this cluster, if the cluster answers and this
   * replica holds the writing window.
   */
  async fullMutation(): Promise<boolean> {
    return this.#scheduler.run(async () =>
      this.#writing ? this.#writeFull() : false,
    );
  }

  /**
   * Writes what changed since the last mutation, if the cluster answers and
   * this replica holds the writing window.
   */
  async deltaMutation(): Promise<boolean> {
    return this.#scheduler.run(async () => {
      if (!this.#writing) return false;
      const previous = this.#emitted;
      // The window's first write is a full one: another replica may have
      // written since this one's last window.
      if (!previous || !this.#wroteInWindow) return this.#writeFull();
      const current = this.#currentEntities();
      if (!current) return false;
      const added: DeferredEntity[] = [];
      const removed: { entityRef: string; locationKey: string }[] = [];
      for (const [ref, next] of current) {
        if (previous.get(ref)?.json !== next.json)
          added.push(this.#deferred(next.entity));
      }
      for (const ref of previous.keys()) {
        if (!current.has(ref))
          removed.push({ entityRef: ref, locationKey: this.#locationKey() });
      }
      if (added.length > 0 || removed.length > 0) {
        await this.#requireConnection().applyMutation({
          type: 'delta',
          added: inIngestionOrder(added),
          removed,
        });
        this.#logger.debug(
          `Cluster ${this.#cluster.name}: ${added.length} entities changed, ${
            removed.length
          } removed`,
        );
      }
      this.#emitted = current;
      return true;
    });
  }

  async #writeFull(): Promise<boolean> {
    const entities = this.#currentEntities();
    if (!entities) return false;
    const connection = this.#requireConnection();
    const ordered = inIngestionOrder([...entities.values()]).map(({ entity }) =>
      this.#deferred(entity),
    );
    if (!this.#emitted) {
      // The first write since start: claims, then the rest, as additions
      // of their own. The catalog processes entities by the time they were
      // written, so claims reach it before the bulk of managed resources.
      // The full mutation after them removes what is gone and, for
      // entities already in the catalog, changes nothing.
      const [claims, rest] = ingestionStages(ordered);
      await connection.applyMutation({
        type: 'delta',
        added: claims,
        removed: [],
      });
      // Every cluster's claims before any cluster's bulk.
      if (!this.#leftFirstWrite) await this.#firstWrite?.arrive();
      await connection.applyMutation({
        type: 'delta',
        added: rest,
        removed: [],
      });
    }
    await connection.applyMutation({ type: 'full', entities: ordered });
    this.#emitted = entities;
    this.#wroteInWindow = true;
    const { failingKinds } = this.#cache.status();
    this.#logger.info(
      `Ingested ${entities.size} entities from cluster ${this.#cluster.name}${
        failingKinds.length > 0
          ? `; kept the last known objects of ${failingKinds.join(', ')}`
          : ''
      }`,
    );
    return true;
  }

  /**
   * The entities of this cluster now, or undefined while it does not answer
   * or, before the first write, while a kind has not answered its first list.
   * Failing kinds contribute their last known objects.
   */
  #currentEntities():
    | Map<string, { entity: Entity; json: string }>
    | undefined {
    const status = this.#cache.status();
    if (!status.reachable) return undefined;
    if (!this.#emitted && !status.synced) return undefined;
    const snapshot = new ClusterSnapshot(
      this.#cluster.name,
      this.#config,
      this.#cache.objects(),
    );
    const result = new Map<string, { entity: Entity; json: string }>();
    const add = (entity: Entity) => {
      result.set(stringifyEntityRef(entity), {
        entity,
        json: JSON.stringify(entity),
      });
    };
    add(clusterEntity(this.#cluster, this.#config, status.failingKinds));
    for (const object of snapshot.objects) {
      try {
        const entity = objectToEntity(object, snapshot);
        if (entity) add(entity);
      } catch (error) {
        this.#logger.warn(
          `Skipped ${object.kind} ${object.metadata.namespace ?? ''}/${
            object.metadata.name
          }: ${error}`,
        );
      }
    }
    return result;
  }

  #deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.#locationKey() };
  }

  #locationKey() {
    return clusterLocation(this.#cluster.name);
  }

  #requireConnection() {
    if (!this.#connection)
      throw new Error(`${this.getProviderName()} is not connected`);
    return this.#connection;
  }
}
