import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  apiVersionOf,
  CrossplaneDeletionImpact,
  CrossplaneDeletionProgress,
  CrossplaneDeletionProgressItem,
  crossplaneDeletePermission,
  crossplaneReadPermission,
  CrossplaneObjectId,
  describeObjectId,
  EntityMappingConfig,
  entityRefOf,
  KubernetesObject,
  locatorOfId,
  NamespacePolicy,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import {
  assertDeletionRoot,
  assertNotGitOps,
  clientForWrites,
  CrossplaneClusters,
  deleteTreeRoot,
  objectClassOfTarget,
  readDeletionImpact,
  readDeletionProgress,
  resolveWriteTarget,
  WritableKinds,
  WriteTarget,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { GitOpsPullRequests } from '../gitops/GitOpsPullRequests';
import { actorOf } from './LifecycleService';

/** What the typed confirmation must be, said when it is not. */
export const CONFIRM_PROBLEM =
  "confirm: must be the object's name, typed again";

/**
 * Deletion of a claim or XR with its impact shown first: what goes, what
 * the provider deletes or keeps, what blocks it, and who depends on it.
 * The permission is asked before the object is looked up; what may be
 * deleted (roots only: a claim, or an XR no claim binds; other kinds as
 * `crossplane.writes` allows) and whether Git delivers it are read from
 * the cluster, by the same code as the scaffolder's `crossplane:delete`.
 * An object delivered through Git (by PlatformOps, Argo CD or Flux) is not
 * deleted: a pull request removes its manifest. Every deletion is recorded with the auditor,
 * refused and dry ones too.
 */
export class DeleteService {
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #catalog?: CatalogService;
  readonly #mapping: EntityMappingConfig;
  readonly #writable?: WritableKinds;
  readonly #namespaces?: NamespacePolicy;
  readonly #logger: LoggerService;
  readonly #pullRequests?: GitOpsPullRequests;

  constructor(options: {
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
    logger: LoggerService;
    /** Which objects the catalog ingests and how, to name their entities. */
    mapping: EntityMappingConfig;
    /** For the entities that depend on the object; none without it. */
    catalog?: CatalogService;
    writable?: WritableKinds;
    namespaces?: NamespacePolicy;
    /** The pull-request path; without it, Git's objects are refused (409). */
    pullRequests?: GitOpsPullRequests;
  }) {
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
    this.#catalog = options.catalog;
    this.#mapping = options.mapping;
    this.#writable = options.writable;
    this.#namespaces = options.namespaces;
    this.#logger = options.logger;
    this.#pullRequests = options.pullRequests;
  }

  /** What deleting the object does, or how far its deletion is. */
  async impact(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneDeletionImpact> {
    // Asked before the lookup: a hidden object and a missing one alike.
    await this.#authorizer.authorize(
      credentials,
      crossplaneDeletePermission,
      id,
    );
    const { target, object } = await this.#target(id);
    return readDeletionImpact(this.#clusters.get(id.cluster), target, object, {
      dependents: await this.#dependents(target, object, credentials),
    });
  }

  /**
   * How far a deletion is once its root is gone: the objects it took with
   * it (the client has them from the impact it showed), each gone or still
   * there, and what holds them. Each object is judged with its own read
   * permission before it is looked up, as it is now or, gone lately, as it
   * was when it went; one the caller may not read is `hidden`: not
   * followed, neither gone nor there, whether it exists or not.
   */
  async progress(
    ids: CrossplaneObjectId[],
    credentials: BackstageCredentials,
  ): Promise<CrossplaneDeletionProgress> {
    const readable = await this.#authorizer.allowsEach(
      credentials,
      crossplaneReadPermission,
      ids,
      { departed: true },
    );
    const items: CrossplaneDeletionProgressItem[] = ids.map(id => ({
      object: locatorOfId(id),
      gone: false,
      hidden: true,
    }));
    const heldBy: string[] = [];
    for (const cluster of new Set(ids.map(id => id.cluster))) {
      const read = ids
        .map((_, i) => i)
        .filter(i => readable[i] && ids[i].cluster === cluster);
      if (!read.length) continue;
      const progress = await readDeletionProgress(
        this.#clusters.get(cluster),
        read.map(i => ids[i]),
      );
      read.forEach((i, n) => {
        items[i] = progress.items[n];
      });
      heldBy.push(...progress.heldBy);
    }
    return {
      items,
      deleting: items.some(item => !item.gone && !item.hidden),
      heldBy,
    };
  }

  /**
   * Deletes the object once its name is typed again (`confirm`), unless
   * Git delivers it; a dry run has the API server admit the deletion and
   * changes nothing. Returns the impact as it was before the deletion.
   */
  async delete(
    id: CrossplaneObjectId,
    request: { confirm: unknown; dryRun?: boolean },
    credentials: BackstageCredentials,
    options: { request?: Request } = {},
  ): Promise<CrossplaneDeletionImpact> {
    const dryRun = request.dryRun ?? false;
    const event = await this.#auditor.createEvent({
      eventId: 'delete',
      severityLevel: 'high',
      request: options.request,
      meta: {
        action: 'delete',
        object: describeObjectId(id),
        objectKey: objectIdKey(id),
        actor: actorOf(credentials),
        dryRun,
      },
    });
    try {
      await this.#authorizer.authorize(
        credentials,
        crossplaneDeletePermission,
        id,
      );
      if (request.confirm !== id.name) throw new InputError(CONFIRM_PROBLEM);
      const { target, object, locator } = await this.#target(id);
      const client = this.#clusters.get(id.cluster);
      const file = await this.#pullRequests?.fileOf(client, target.id, object);
      if (!file) assertNotGitOps(target, object);
      const impact = await readDeletionImpact(client, target, object, {
        dependents: await this.#dependents(target, object, credentials),
      });
      if (file) {
        // Git's object: its file goes in a pull request; the GitOps tool
        // deletes it once merged.
        const pullRequest = dryRun
          ? undefined
          : await this.#pullRequests!.proposeDeletion(file, {
              actor: actorOf(credentials),
            });
        await event.success({
          meta: {
            objects: impact.items.length,
            ...(pullRequest ? { pullRequest: pullRequest.url } : {}),
          },
        });
        return { ...impact, ...(pullRequest ? { pullRequest } : {}) };
      }
      await deleteTreeRoot(
        await clientForWrites(client, options.request?.headers),
        locator,
        { dryRun },
      );
      const fates = impact.items.filter(item => item.fate);
      await event.success({
        meta: {
          objects: impact.items.length,
          externalDeleted: fates.filter(i => i.fate === 'deleted').length,
          externalOrphaned: fates.filter(i => i.fate === 'orphaned').length,
          usages: impact.usages.length,
        },
      });
      return impact;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * The object as its cluster says it is: a kind PlatformOps may delete,
   * the root of its tree, existing.
   */
  async #target(id: CrossplaneObjectId) {
    const client = this.#clusters.get(id.cluster);
    const target = await resolveWriteTarget(
      client,
      {
        apiVersion: apiVersionOf(id),
        kind: id.kind,
        namespace: id.namespace,
        name: id.name,
      },
      { writable: this.#writable, namespaces: this.#namespaces },
    );
    const locator = {
      apiVersion: apiVersionOf(target.id),
      kind: target.id.kind,
      namespace: target.id.namespace,
      name: target.id.name,
    };
    const object = await client.get(locator);
    if (!object) {
      throw new NotFoundError(`${describeObjectId(target.id)}: not found`);
    }
    assertDeletionRoot(target, object);
    return { target, object, locator };
  }

  /**
   * The catalog entities with a `dependsOn` relation to the object's
   * entity, as far as the caller may see them; best effort: none when the
   * catalog does not answer.
   */
  async #dependents(
    target: WriteTarget,
    object: KubernetesObject,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const entityRef = entityRefOf(
      object,
      objectClassOfTarget(target),
      target.id.cluster,
      this.#mapping,
    );
    if (!this.#catalog || !entityRef) return [];
    try {
      const { items } = await this.#catalog.getEntities(
        {
          filter: { 'relations.dependsOn': entityRef },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      return items.map(entity => stringifyEntityRef(entity));
    } catch (error) {
      this.#logger.warn(
        `Dependents of ${entityRef} not read from the catalog: ${
          (error as Error).message
        }`,
      );
      return [];
    }
  }
}
