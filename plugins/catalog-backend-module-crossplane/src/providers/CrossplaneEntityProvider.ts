import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { clusterLocation } from '@platformops/plugin-crossplane-common';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  ClusterCacheEvent,
  ClusterConfig,
  ClusterObjectCache,
} from '@platformops/plugin-crossplane-node';
import { CatalogHoldings } from './CatalogHoldings';
import { clusterEntity } from './clusterEntity';
import {
  ClusterSnapshot,
  SnapshotChange,
  snapshotKey,
} from './ClusterSnapshot';
import { FirstWriteBarrier } from '../lib/FirstWriteBarrier';
import { FullWriteQueue } from '../lib/FullWriteQueue';
import { timeSlices } from '../lib/timeSlices';
import { BulkHoldOptions, waitUntilHeld } from '../lib/waitUntilHeld';
import { MutationScheduler } from '../lib/MutationScheduler';
import { runWritingWindows } from '../lib/WritingWindow';
import { CrossplaneProviderConfig } from './config';
import {
  inIngestionOrder,
  ingestionStages,
  withoutDependencies,
} from './ingestionOrder';
import { objectToEntity } from './objectToEntity';
import type { EntityTransforms } from '../transforms/EntityTransforms';

/**
 * A replica holding a cluster's window again and again still rewrites it
 * whole every so many windows (20 minutes with the default window).
 */
const FULL_WRITE_EVERY_WINDOWS = 10;

/** First-stage entities asked for to tell a new catalog from one that holds them. */
const NEW_CATALOG_SAMPLE = 20;

/**
 * Ingests one cluster: the cluster itself, its XRDs, claims, composites,
 * managed resources and, by option, workloads (templates, which span
 * clusters, come from {@link CrossplaneTemplateProvider}). One provider per cluster, so
 * that a full mutation of one cluster never touches another's entities.
 *
 * Changes arrive from the shared watch cache and leave as `delta` mutations
 * of just the entities that changed: a change remaps only the entities that
 * read the changed object (see {@link ClusterSnapshot}), and those whose
 * content differs from what was last written go out. With several backend replicas on one
 * database, one replica at a time writes a cluster: the one running the
 * cluster's writing window, a global scheduled task (see
 * {@link runWritingWindows}); each window starts with a `full` mutation,
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
 * @internal
 */
export class CrossplaneEntityProvider implements EntityProvider {
  readonly #cluster: ClusterConfig;
  readonly #cache: ClusterObjectCache;
  readonly #config: CrossplaneProviderConfig;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #scheduler: MutationScheduler;
  readonly #firstWrite?: FirstWriteBarrier;
  readonly #fullWrites: FullWriteQueue;
  readonly #catalog?: Pick<CatalogHoldings, 'countFrom' | 'holdsAny'>;
  readonly #bulkHold?: BulkHoldOptions;
  readonly #now: () => number;
  readonly #transforms?: EntityTransforms;
  #leftFirstWrite = false;
  /** This replica holds the cluster's writing window. */
  #writing = false;
  /** The window's first write, a full one, is done. */
  #wroteInWindow = false;
  /**
   * Whether the first write's claims went to a catalog that held nothing
   * of this cluster, without their dependencies (see withoutDependencies);
   * decided once, so that a first write tried again writes them alike.
   */
  #leanFirstStage?: boolean;
  /** When this replica's last window closed, keeping what it wrote. */
  #closedAt?: number;
  /** Windows this replica continued since its last full mutation. */
  #windowsSinceFull = 0;
  /** Written at least once since start: later writes need not wait for sync. */
  #wroteOnce = false;
  #connection?: EntityProviderConnection;
  /**
   * While this replica writes: the objects as last written, which the
   * changes noted since are applied to at the next delta.
   */
  #snapshot?: ClusterSnapshot;
  /** Changes announced since the last write, the latest per object. */
  #pending = new Map<string, SnapshotChange>();
  /** A kind was listed anew: the next delta compares every object. */
  #relisted = false;
  /** What the catalog holds from us: entity ref to a hash of the entity. */
  #written = new Map<string, string>();
  /** The ref of each object's entity, by object key. */
  #refOfObject = new Map<string, string>();

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
    /** Shared by the providers of all clusters; see {@link FullWriteQueue}. */
    fullWrites?: FullWriteQueue;
    /**
     * What the catalog shows; with it, a first write's claims go to a new
     * catalog without their dependencies, and the bulk waits until they
     * are in (see {@link waitUntilHeld}).
     */
    catalog?: Pick<CatalogHoldings, 'countFrom' | 'holdsAny'>;
    bulkHold?: BulkHoldOptions;
    /** The clock of the writing windows. */
    now?: () => number;
    /** The platform team's transforms of the mapped entities. */
    transforms?: EntityTransforms;
  }) {
    this.#firstWrite = options.firstWrite;
    this.#fullWrites = options.fullWrites ?? new FullWriteQueue();
    this.#catalog = options.catalog;
    this.#bulkHold = options.bulkHold;
    this.#now = options.now ?? Date.now;
    this.#transforms = options.transforms;
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
        if (!this.#wroteOnce && !this.#leftFirstWrite) {
          this.#leftFirstWrite = true;
          this.#firstWrite?.leave();
        }
        return;
      }
      // An error too: the failing kinds on the cluster entity change, and
      // the first write may no longer have to wait for that kind.
      this.#note(event);
      this.#scheduler.trigger(() => this.deltaMutation());
    });
    this.#cache.start();
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
    if (this.#continuesOwnWindow()) {
      // What this replica wrote is what the catalog holds: no full
      // mutation, only the changes noted since its window closed.
      this.#logger.debug(
        `Writing cluster ${
          this.#cluster.name
        } from here, going on from its last window`,
      );
      this.#windowsSinceFull += 1;
      this.#wroteInWindow = true;
      this.#scheduler.trigger(() => this.deltaMutation());
      return;
    }
    this.#forget();
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
    // The window ends once no write of it is in flight. What it wrote is
    // kept, in case this replica holds the next window too.
    await this.#scheduler.run(async () => {
      this.#closedAt = this.#now();
    });
  }

  /**
   * Whether the window opening follows this replica's own last one, with
   * nothing written in between: it opens sooner after that one closed than
   * any other replica's window lasts (`writerWindow`, unless that replica
   * stops), and a full mutation is at most `FULL_WRITE_EVERY_WINDOWS`
   * windows old. A window every 2 minutes would otherwise rewrite every
   * entity of the cluster each time, and the catalog compare them all.
   */
  #continuesOwnWindow(): boolean {
    const closedAt = this.#closedAt;
    this.#closedAt = undefined;
    return (
      closedAt !== undefined &&
      this.#snapshot !== undefined &&
      this.#wroteInWindow &&
      this.#now() - closedAt < this.#config.writerWindowMs &&
      this.#windowsSinceFull + 1 < FULL_WRITE_EVERY_WINDOWS
    );
  }

  /** Notes a change for the next delta, while there is a snapshot to apply it to. */
  #note(event: ClusterCacheEvent) {
    if (
      !this.#writing &&
      this.#closedAt !== undefined &&
      this.#now() - this.#closedAt >= this.#config.writerWindowMs
    ) {
      // Another replica writes now: this one's next window starts whole.
      this.#forget();
      this.#closedAt = undefined;
    }
    if (!this.#snapshot) return;
    if (event.type === 'upsert' || event.type === 'delete') {
      // The cache's objects leave CRDs out; so does the snapshot.
      if (isCrd(event.object)) return;
      this.#pending.set(snapshotKey(event.object), {
        type: event.type,
        object: event.object,
      });
    } else if (event.type === 'sync') {
      this.#relisted = true;
    }
  }

  /** Drops what this replica knows it wrote: the next write is a full one. */
  #forget() {
    this.#snapshot = undefined;
    this.#pending = new Map();
    this.#relisted = false;
    this.#written = new Map();
    this.#refOfObject = new Map();
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
      // The window's first write is a full one: another replica may have
      // written since this one's last window.
      const snapshot = this.#snapshot;
      if (!snapshot || !this.#wroteInWindow) return this.#writeFull();
      const status = this.#cache.status();
      if (!status.reachable) return false;
      const marked = this.#applyChanges(snapshot);
      const next = await this.#remap(snapshot, marked, status.failingKinds);
      const added = inIngestionOrder(
        [...next.changed.values()].map(({ entity }) => this.#deferred(entity)),
      );
      const removed = [...next.removed].map(entityRef => ({
        entityRef,
        locationKey: this.#locationKey(),
      }));
      try {
        if (added.length > 0 || removed.length > 0) {
          await this.#requireConnection().applyMutation({
            type: 'delta',
            added,
            removed,
          });
        }
      } catch (error) {
        // The snapshot is ahead of the catalog: repair with a full write.
        this.#forget();
        throw error;
      }
      for (const [key, ref] of next.refs) {
        if (ref) this.#refOfObject.set(key, ref);
        else this.#refOfObject.delete(key);
      }
      for (const ref of next.removed) this.#written.delete(ref);
      for (const [ref, { hash }] of next.changed) this.#written.set(ref, hash);
      if (added.length > 0 || removed.length > 0) {
        this.#logger.debug(
          `Cluster ${this.#cluster.name}: ${marked.size} objects remapped, ${
            added.length
          } entities changed, ${removed.length} removed`,
        );
      }
      return true;
    });
  }

  /**
   * Applies the changes noted since the last write to the snapshot; returns
   * the keys of the objects whose entities they may alter.
   */
  #applyChanges(snapshot: ClusterSnapshot): Set<string> {
    let changes = [...this.#pending.values()];
    this.#pending = new Map();
    if (this.#relisted) {
      // A relist announces no single changes: the cache, compared object by
      // object, says which (it holds every noted change too).
      this.#relisted = false;
      changes = this.#differences(snapshot);
    }
    const marked = new Set<string>();
    for (const change of changes) {
      const keys = snapshot.apply(change);
      if (keys === 'all') {
        for (const key of snapshot.keys()) marked.add(key);
        for (const key of this.#refOfObject.keys()) marked.add(key);
      }
      for (const key of keys === 'all' ? [snapshotKey(change.object)] : keys)
        marked.add(key);
    }
    return marked;
  }

  /** How the cache's objects differ from the snapshot's. */
  #differences(snapshot: ClusterSnapshot): SnapshotChange[] {
    const changes: SnapshotChange[] = [];
    const present = new Set<string>();
    for (const object of this.#cache.objects()) {
      const key = snapshotKey(object);
      present.add(key);
      const known = snapshot.get(key);
      if (!known || !sameVersion(known, object))
        changes.push({ type: 'upsert', object });
    }
    for (const key of snapshot.keys()) {
      if (!present.has(key))
        changes.push({ type: 'delete', object: snapshot.get(key)! });
    }
    return changes;
  }

  /**
   * The entities of the marked objects and of the cluster now, against
   * what the catalog holds from us: those whose content differs, the refs
   * no object has any longer, and each marked object's ref.
   */
  async #remap(
    snapshot: ClusterSnapshot,
    marked: Iterable<string>,
    failingKinds: readonly string[],
  ) {
    const next = timeSlices();
    const changed = new Map<string, { entity: Entity; hash: string }>();
    const refs = new Map<string, string | undefined>();
    const consider = (entity: Entity) => {
      const ref = stringifyEntityRef(entity);
      const hash = hashOf(entity);
      if (this.#written.get(ref) !== hash) changed.set(ref, { entity, hash });
      return ref;
    };
    consider(clusterEntity(this.#cluster, this.#config, failingKinds));
    for (const key of marked) {
      await next();
      const entity = snapshot.read(key, object =>
        this.#entityOf(object, snapshot),
      );
      refs.set(key, entity && consider(entity));
    }
    const produced = new Set(refs.values());
    const removed = new Set<string>();
    for (const [key, ref] of refs) {
      const before = this.#refOfObject.get(key);
      if (before && before !== ref && !produced.has(before))
        removed.add(before);
    }
    return { changed, refs, removed };
  }

  async #writeFull(): Promise<boolean> {
    const status = this.#cache.status();
    if (!status.reachable) return false;
    // Before the first write, every kind answers its first list.
    if (!this.#wroteOnce && !status.synced) return false;
    // Changes announced from here on apply to this snapshot.
    this.#forget();
    const snapshot = new ClusterSnapshot(
      this.#cluster.name,
      this.#config,
      this.#cache.objects(),
      this.#transforms,
    );
    this.#snapshot = snapshot;
    const next = await this.#remap(
      snapshot,
      [...snapshot.keys()],
      status.failingKinds,
    );
    const entities = [...next.changed.values()];
    const connection = this.#requireConnection();
    const ordered = inIngestionOrder(entities).map(({ entity }) =>
      this.#deferred(entity),
    );
    try {
      if (!this.#wroteOnce) {
        // The first write since start: claims first, as additions of their
        // own. The catalog processes entities by the time they were
        // written, so claims reach it before the bulk of managed resources,
        // which the full mutation adds; for entities already in the
        // catalog, it changes nothing.
        const [claims] = ingestionStages(ordered);
        // On a new catalog they go in without their dependencies, which
        // come with the rest; on a catalog that holds this cluster already,
        // as they are (nothing changes, nothing flaps).
        this.#leanFirstStage ??= await this.#isNewCatalog(claims);
        await connection.applyMutation({
          type: 'delta',
          added: this.#leanFirstStage
            ? claims.map(withoutDependencies)
            : claims,
          removed: [],
        });
        // Every cluster's claims before any cluster's bulk.
        if (!this.#leftFirstWrite) await this.#firstWrite?.arrive();
        if (!(await this.#holdBulk(claims.length))) {
          // The window closed: the next one writes, claims first again.
          this.#forget();
          return false;
        }
      }
      await this.#fullWrites.run(() =>
        connection.applyMutation({ type: 'full', entities: ordered }),
      );
    } catch (error) {
      this.#forget();
      throw error;
    }
    this.#written = new Map(
      [...next.changed].map(([ref, { hash }]) => [ref, hash]),
    );
    this.#refOfObject = new Map(
      [...next.refs].filter((e): e is [string, string] => Boolean(e[1])),
    );
    this.#wroteOnce = true;
    this.#wroteInWindow = true;
    this.#windowsSinceFull = 0;
    this.#logger.info(
      `Ingested ${entities.length} entities from cluster ${this.#cluster.name}${
        status.failingKinds.length > 0
          ? `; kept the last known objects of ${status.failingKinds.join(', ')}`
          : ''
      }`,
    );
    return true;
  }

  /**
   * Whether the catalog holds none of the first stage's entities (a few
   * asked by ref): a new catalog, or one this cluster was never written to.
   * False when the catalog does not answer.
   */
  async #isNewCatalog(ahead: DeferredEntity[]): Promise<boolean> {
    if (!this.#catalog) return false;
    const refs = ahead
      .filter(d => d.entity.spec?.type !== 'kubernetes-cluster')
      .slice(0, NEW_CATALOG_SAMPLE)
      .map(d => stringifyEntityRef(d.entity));
    if (refs.length === 0) return false;
    try {
      return !(await this.#catalog.holdsAny(refs));
    } catch {
      return false;
    }
  }

  /**
   * Waits until the catalog holds the entities written ahead of the bulk
   * (see {@link waitUntilHeld}); false when the writing window closed
   * meanwhile.
   */
  async #holdBulk(ahead: number): Promise<boolean> {
    const catalog = this.#catalog;
    if (!catalog) return true;
    const started = this.#now();
    const outcome = await waitUntilHeld({
      expected: ahead,
      count: () => catalog.countFrom(this.#locationKey()),
      writing: () => this.#writing,
      hold: this.#bulkHold,
    });
    if (outcome === 'closed') return false;
    this.#logger.info(
      `Cluster ${this.#cluster.name}: ${ahead} claims and roots written ahead ${
        outcome === 'held'
          ? 'are in the catalog'
          : `are not all in the catalog (${outcome})`
      } after ${Math.round(
        (this.#now() - started) / 1000,
      )} s; writing the rest`,
    );
    return true;
  }

  /**
   * The entity of one object, or undefined when it is not ingested or its
   * mapping fails (it is left out, as the catalog cannot hold it).
   */
  #entityOf(
    object: KubernetesObject,
    snapshot: ClusterSnapshot,
  ): Entity | undefined {
    try {
      return objectToEntity(object, snapshot);
    } catch (error) {
      this.#logger.warn(
        `Skipped ${object.kind} ${object.metadata.namespace ?? ''}/${
          object.metadata.name
        }: ${error}`,
      );
      return undefined;
    }
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

/** A hash of an entity's content, to tell whether the catalog holds it. */
function hashOf(entity: Entity): string {
  return createHash('sha256').update(JSON.stringify(entity)).digest('base64');
}

/** The same version of an object: what a relist brings again unchanged. */
function sameVersion(a: KubernetesObject, b: KubernetesObject): boolean {
  if (a === b) return true;
  const version = a.metadata.resourceVersion;
  return (
    version !== undefined &&
    version === b.metadata.resourceVersion &&
    a.metadata.uid === b.metadata.uid &&
    a.apiVersion === b.apiVersion
  );
}

function isCrd(object: KubernetesObject): boolean {
  return (
    object.kind === 'CustomResourceDefinition' &&
    object.apiVersion.startsWith('apiextensions.k8s.io/')
  );
}
