import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CROSSPLANE_APIEXTENSIONS_GROUP,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterCacheEvent,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { MutationScheduler } from '../lib/MutationScheduler';
import { runWritingWindows } from '../lib/WritingWindow';
import { CrossplaneProviderConfig } from './config';
import { TEMPLATES_LOCATION, xrdTemplates } from './xrdTemplate';

const XRD_KIND = 'CompositeResourceDefinition';

/**
 * Emits one software template per XRD across all clusters, offering the
 * clusters that serve it. Separate from the per-cluster providers because a
 * template spans clusters.
 *
 * Each cluster's XRDs are remembered as last listed: an unreachable
 * cluster (or one whose XRDs fail to list) stays on offer (a run on it fails naming the cluster) and its
 * templates are never removed. Until every cluster has been seen once, only
 * additions and updates are written; after that, full mutations.
 *
 * With several backend replicas, one writes at a time: the one holding the
 * templates' writing window (a global scheduled task, as for each
 * cluster's entities, see {@link runWritingWindows}), which starts with a
 * write of every template. Every replica keeps the XRDs it sees.
 *
 * @public
 */
export class CrossplaneTemplateProvider implements EntityProvider {
  readonly #caches: () => ClusterObjectCache[];
  /** The caches whose XRD changes trigger a write. */
  readonly #watched = new WeakSet<ClusterObjectCache>();
  readonly #config: CrossplaneProviderConfig;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  /** The XRDs of each cluster when it was last in sync. */
  readonly #xrds = new Map<string, KubernetesObject[]>();
  readonly #scheduler: MutationScheduler;
  #connection?: EntityProviderConnection;
  /** This replica holds the templates' writing window. */
  #writing = false;
  /** What the catalog holds from us: entity ref to serialized entity. */
  #emitted = new Map<string, string>();

  constructor(options: {
    /**
     * One per cluster, in the order clusters are offered; a function when
     * clusters come and go (those found later are watched from the next
     * write on).
     */
    caches: ClusterObjectCache[] | (() => ClusterObjectCache[]);
    config: CrossplaneProviderConfig;
    logger: LoggerService;
    /**
     * Runs the writing window: a global task, so that one replica at a time
     * runs it, whose timeout exceeds `config.writerWindowMs`.
     */
    taskRunner: SchedulerServiceTaskRunner;
  }) {
    const caches = options.caches;
    this.#caches = typeof caches === 'function' ? caches : () => caches;
    this.#config = options.config;
    this.#taskRunner = options.taskRunner;
    this.#logger = options.logger.child({ target: this.getProviderName() });
    this.#scheduler = new MutationScheduler({
      debounceMs: options.config.debounceMs,
      onError: error =>
        this.#logger.error(`Writing XRD templates failed: ${error}`),
    });
  }

  getProviderName(): string {
    return 'CrossplaneTemplateProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    this.#caches().forEach(cache => this.#watch(cache));
    await runWritingWindows({
      taskRunner: this.#taskRunner,
      id: `${this.getProviderName()}:writer`,
      lengthMs: this.#config.writerWindowMs,
      open: () => this.#openWindow(),
      close: () => this.#closeWindow(),
    });
  }

  async #openWindow() {
    this.#writing = true;
    this.#logger.debug('Writing XRD templates from here');
    // Another replica may have written since: this window writes them all.
    this.#emitted = new Map();
    try {
      await this.refresh();
    } catch (error) {
      this.#logger.error(`Writing XRD templates failed: ${error}`);
    }
  }

  async #closeWindow() {
    this.#writing = false;
    // The window ends once no write of it is in flight.
    await this.#scheduler.run(async () => undefined);
  }

  #watch(cache: ClusterObjectCache) {
    if (this.#watched.has(cache)) return;
    this.#watched.add(cache);
    cache.subscribe(event => {
      if (!concernsXrds(event)) return;
      this.#rememberXrds();
      this.#scheduler.trigger(() => this.refresh());
    });
    cache.start();
  }

  /** Keeps each cluster's XRDs as last listed. */
  #rememberXrds() {
    for (const cache of this.#caches()) {
      this.#watch(cache);
      // The XRDs alone decide: another kind that fails changes nothing here.
      const xrds = cache.kindStatus(CROSSPLANE_APIEXTENSIONS_GROUP, XRD_KIND);
      if (cache.status().reachable && xrds?.synced && !xrds.failing) {
        this.#xrds.set(
          cache.cluster,
          cache.objectsOfKind(CROSSPLANE_APIEXTENSIONS_GROUP, XRD_KIND),
        );
      }
    }
  }

  /**
   * Writes the templates of the XRDs now known, if this replica holds the
   * writing window. Returns whether it wrote a full mutation (every cluster
   * seen at least once).
   */
  async refresh(): Promise<boolean> {
    return this.#scheduler.run(async () => {
      if (!this.#writing) return false;
      const connection = this.#requireConnection();
      this.#rememberXrds();
      const caches = this.#caches();
      const known = new Map(
        caches
          .filter(cache => this.#xrds.has(cache.cluster))
          .map(cache => [cache.cluster, this.#xrds.get(cache.cluster)!]),
      );
      const current = new Map<string, { entity: Entity; json: string }>();
      for (const entity of xrdTemplates(known, this.#config)) {
        current.set(stringifyEntityRef(entity), {
          entity,
          json: JSON.stringify(entity),
        });
      }
      const complete = known.size === caches.length;
      const deferred = (entity: Entity) => ({
        entity,
        locationKey: TEMPLATES_LOCATION,
      });
      if (complete) {
        await connection.applyMutation({
          type: 'full',
          entities: [...current.values()].map(({ entity }) => deferred(entity)),
        });
        this.#emitted = new Map(
          [...current].map(([ref, { json }]) => [ref, json]),
        );
      } else {
        const added = [...current]
          .filter(([ref, { json }]) => this.#emitted.get(ref) !== json)
          .map(([, { entity }]) => deferred(entity));
        if (added.length > 0) {
          await connection.applyMutation({ type: 'delta', added, removed: [] });
        }
        for (const [ref, { json }] of current) this.#emitted.set(ref, json);
      }
      this.#logger.debug(
        `${current.size} XRD templates from ${known.size} of ${caches.length} clusters`,
      );
      return complete;
    });
  }

  #requireConnection() {
    if (!this.#connection)
      throw new Error(`${this.getProviderName()} is not connected`);
    return this.#connection;
  }
}

/** Whether a cache event can change a template: XRDs, and (re)syncs. */
function concernsXrds(event: ClusterCacheEvent): boolean {
  switch (event.type) {
    case 'sync':
      return true;
    case 'upsert':
    case 'delete':
      return event.object.kind === XRD_KIND;
    default:
      return false;
  }
}
