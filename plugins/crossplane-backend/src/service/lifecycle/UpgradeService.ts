import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  CrossplaneObjectId,
  crossplaneReadPermission,
  CrossplaneRevisionLag,
  CrossplaneUpgradeStep,
  crossplaneUpgradePermission,
  describeObjectId,
  locatorOfId,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  DEFAULT_UPGRADE_WAIT_MS,
  hasManualRevisionPolicy,
  LatestRevision,
  readLatestRevisions,
  revisionLagOf,
  runInSequence,
  upgradeToLatestRevision,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { StatusService } from '../StatusService';
import { actorOf, FIELD_MANAGER } from './LifecycleService';

/**
 * How long the CompositionRevisions read for `GET /upgrades` are reused.
 * The object cache does not follow them (they are bulky and change only
 * when a Composition does); a list of a cluster's revisions takes tens of
 * milliseconds, and an upgrade always reads them afresh.
 */
export const REVISIONS_MAX_AGE_MS = 10_000;

/**
 * Options of one upgrade run.
 */
export interface UpgradeRunOptions {
  dryRun?: boolean;
  /** How long each object may take to be Ready and Synced again. */
  waitMs?: number;
  /** The HTTP request, for the audit records. */
  request?: Request;
}

/**
 * Composition revision upgrades of claims and XRs whose update policy is
 * Manual: which lag their Composition's newest revision, and moving them
 * to it one by one. Each object is its own operation: the upgrade
 * permission asked on it before it is looked up, its own audit record.
 */
export class UpgradeService {
  readonly #status: StatusService;
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #revisions = new Map<
    string,
    { at: number; latest: Promise<Map<string, LatestRevision>> }
  >();

  constructor(options: {
    status: StatusService;
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
  }) {
    this.#status = options.status;
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
  }

  /**
   * The claims and XRs the caller may read, of the clusters named (all
   * when none is), pinned by hand to an older revision than their
   * Composition's newest.
   */
  async lags(
    credentials: BackstageCredentials,
    clusters?: string[],
  ): Promise<CrossplaneRevisionLag[]> {
    const visible = await this.#authorizer.visibility(
      credentials,
      crossplaneReadPermission,
    );
    const manual = this.#status
      .roots(clusters, visible)
      .filter(root => hasManualRevisionPolicy(root.object));
    const items: CrossplaneRevisionLag[] = [];
    for (const root of manual) {
      const latest = await this.#latestRevisions(root.cluster);
      const lag = revisionLagOf(root.object, latest);
      if (!lag) continue;
      items.push({
        object: {
          cluster: root.cluster,
          apiVersion: root.object.apiVersion,
          kind: root.object.kind,
          namespace: root.object.metadata.namespace,
          name: root.object.metadata.name,
        },
        objectClass: root.objectClass,
        ...lag,
        health: root.health,
      });
    }
    return items;
  }

  /**
   * Moves each object to its Composition's newest revision, in order: a
   * refused object (no permission, delivered through Git, not Manual) is
   * skipped and the run goes on; the first that turns unhealthy, or fails,
   * stops it, and the objects after it are `not-run`.
   */
  async upgrade(
    ids: CrossplaneObjectId[],
    credentials: BackstageCredentials,
    options: UpgradeRunOptions = {},
  ): Promise<CrossplaneUpgradeStep[]> {
    return runInSequence(
      ids,
      id => this.#upgradeOne(id, credentials, options),
      id => ({ object: locatorOfId(id), outcome: 'not-run' }),
    );
  }

  async #upgradeOne(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
    options: UpgradeRunOptions,
  ): Promise<CrossplaneUpgradeStep> {
    const dryRun = options.dryRun ?? false;
    const event = await this.#auditor.createEvent({
      eventId: 'upgrade',
      severityLevel: 'medium',
      request: options.request,
      meta: {
        action: 'upgrade',
        object: describeObjectId(id),
        objectKey: objectIdKey(id),
        actor: actorOf(credentials),
        dryRun,
      },
    });
    const step = (
      outcome: CrossplaneUpgradeStep['outcome'],
      fields: Partial<CrossplaneUpgradeStep> = {},
    ): CrossplaneUpgradeStep => ({
      object: locatorOfId(id),
      outcome,
      ...fields,
    });
    const refuse = async (message: string) => {
      await event.fail({ error: new NotAllowedError(message) });
      return step('refused', { message });
    };
    try {
      // Asked before the lookup: a hidden object and a missing one alike.
      try {
        await this.#authorizer.authorize(
          credentials,
          crossplaneUpgradePermission,
          id,
        );
      } catch (error) {
        if (!(error instanceof NotAllowedError)) throw error;
        // The authorizer's own error: the auditor tells a refused
        // permission from the other refusals by it.
        await event.fail({ error });
        return step('refused', { message: error.message });
      }
      const { object: cached, objectClass } = this.#status.cached(id);
      if (objectClass !== 'claim' && objectClass !== 'composite') {
        return await refuse(
          `${describeObjectId(id)} is not a claim or composite resource`,
        );
      }
      const client = this.#clusters.get(id.cluster);
      // The cluster's object, not the cache's: the revision it is on now.
      const object = await client.get(locatorOfId(id));
      if (!object || object.metadata.uid !== cached.metadata.uid) {
        throw new Error(`${describeObjectId(id)}: not found`);
      }
      const result = await upgradeToLatestRevision({
        client: await clientForWrites(client, options.request?.headers),
        object,
        latest: await this.#latestRevisions(id.cluster, { fresh: true }),
        fieldManager: FIELD_MANAGER,
        dryRun,
        waitMs: options.waitMs ?? DEFAULT_UPGRADE_WAIT_MS,
      });
      const { outcome, message, from, to } = result;
      if (outcome === 'refused') return await refuse(message ?? outcome);
      if (!from || !to) {
        await event.success({ meta: { changed: false } });
        return step(outcome, { message });
      }
      const moved = { from, to };
      if (outcome === 'unhealthy') {
        await event.fail({
          error: new Error(message ?? 'unhealthy'),
          meta: moved,
        });
      } else {
        await event.success({ meta: moved });
      }
      return step(outcome, { ...moved, message });
    } catch (error) {
      await event.fail({ error: error as Error });
      // No user token for a cluster that writes with it: the request's
      // answer (401), and no further object is upgraded.
      if (error instanceof AuthenticationError) throw error;
      // The cluster refused the user (403, its reason in the message).
      if (error instanceof NotAllowedError) {
        return step('refused', { message: error.message });
      }
      return step('failed', { message: (error as Error).message });
    }
  }

  /** The newest revision of each Composition of a cluster, briefly reused. */
  #latestRevisions(
    cluster: string,
    options: { fresh?: boolean } = {},
  ): Promise<Map<string, LatestRevision>> {
    const known = this.#revisions.get(cluster);
    if (
      known &&
      !options.fresh &&
      Date.now() - known.at < REVISIONS_MAX_AGE_MS
    ) {
      return known.latest;
    }
    const latest = readLatestRevisions(this.#clusters.get(cluster));
    this.#revisions.set(cluster, { at: Date.now(), latest });
    // A failed read is not kept.
    latest.catch(() => this.#revisions.delete(cluster));
    return latest;
  }
}
