import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CrossplaneDay2Capabilities,
  CrossplaneDay2Operation,
  crossplaneDeletePermission,
  CrossplaneGitOpsSource,
  CrossplaneLifecycleCapability,
  CrossplaneObjectId,
  crossplanePausePermission,
  crossplaneReconcilePermission,
  crossplaneUpdatePermission,
  crossplaneUpgradePermission,
  describeObjectId,
  gitOpsSourceOf,
  isPaused,
  KubernetesObject,
  ObjectClass,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  LifecycleOperation,
  LifecycleResult,
  notDeletionRootReason,
  runLifecycleOperation,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { StatusService } from '../StatusService';
import { GitOpsPullRequests } from '../gitops/GitOpsPullRequests';

/** The field manager of every write PlatformOps makes. */
export const FIELD_MANAGER = 'platformops';

/** How long an operation waits for the cache to show what it wrote. */
const CACHE_FOLLOW_MS = 3_000;

/** What lifecycle operations act on: never a Secret or any other kind. */
const OPERABLE_CLASSES: ObjectClass[] = ['claim', 'composite', 'managed'];

/** The permission of each day-2 operation, asked on the target object. */
const DAY2_PERMISSIONS: Record<CrossplaneDay2Operation, ResourcePermission> = {
  pause: crossplanePausePermission,
  resume: crossplanePausePermission,
  reconcile: crossplaneReconcilePermission,
  edit: crossplaneUpdatePermission,
  delete: crossplaneDeletePermission,
  upgrade: crossplaneUpgradePermission,
};

/**
 * Whether the caller may run an operation on an object, and why not.
 */
export type LifecycleCapability = CrossplaneLifecycleCapability;

/**
 * Pause, resume and reconcile of the claims, composites and managed
 * resources the status backend follows. The target is the cached object of
 * the exact identity; the permission is asked on it as the routes ask
 * theirs (a composed object is judged by the claim or XR at its root);
 * every operation is recorded with the auditor, refused ones too.
 */
export class LifecycleService {
  readonly #status: StatusService;
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #pullRequests?: GitOpsPullRequests;

  constructor(options: {
    status: StatusService;
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
    /** For capabilities: which Git objects edit and delete reach by PR. */
    pullRequests?: GitOpsPullRequests;
  }) {
    this.#status = options.status;
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
    this.#pullRequests = options.pullRequests;
  }

  pause(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
    options: LifecycleRunOptions = {},
  ) {
    return this.run('pause', id, credentials, options);
  }

  resume(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
    options: LifecycleRunOptions = {},
  ) {
    return this.run('resume', id, credentials, options);
  }

  reconcile(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
    options: LifecycleRunOptions = {},
  ) {
    return this.run('reconcile', id, credentials, options);
  }

  async run(
    operation: LifecycleOperation,
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
    options: LifecycleRunOptions = {},
  ): Promise<LifecycleResult> {
    const event = await this.#auditor.createEvent({
      eventId: operation,
      severityLevel: 'medium',
      request: options.request,
      meta: {
        action: operation,
        object: describeObjectId(id),
        objectKey: objectIdKey(id),
        actor: actorOf(credentials),
        dryRun: options.dryRun ?? false,
      },
    });
    try {
      // Asked before the lookup: a hidden object and a missing one alike.
      await this.#authorizer.authorize(
        credentials,
        DAY2_PERMISSIONS[operation],
        id,
      );
      const { object, composed } = this.#operable(id);
      const result = await runLifecycleOperation({
        // The signed-in user's token where the cluster takes it (401 when
        // the request lacks it): the cluster's RBAC decides too.
        client: await clientForWrites(
          this.#clusters.get(id.cluster),
          options.request?.headers,
        ),
        operation,
        target: locatorOf(object),
        composed: operation === 'reconcile' ? composed.map(locatorOf) : [],
        fieldManager: FIELD_MANAGER,
        dryRun: options.dryRun,
        waitMs: options.waitMs,
      });
      if (operation !== 'reconcile' && !result.dryRun) {
        await this.#cacheShows(id, result.paused);
      }
      await event.success({
        meta: {
          objects: result.objects.length,
          ...(result.skipped ? { skipped: result.skipped.length } : {}),
          ...(result.reconcile ? { observed: result.reconcile.observed } : {}),
        },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Which operations the caller may run on an object: each permission
   * asked on the object's subject, then what the object's state allows
   * (pause or resume as it is; on an object being deleted, only resume).
   */
  async capabilities(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneDay2Capabilities> {
    const operations = Object.keys(
      DAY2_PERMISSIONS,
    ) as CrossplaneDay2Operation[];
    const allowed = await Promise.all(
      operations.map(operation =>
        this.#authorizer.allows(credentials, DAY2_PERMISSIONS[operation], id),
      ),
    );
    const may = Object.fromEntries(
      operations.map((operation, i) => [operation, allowed[i]]),
    ) as Record<CrossplaneDay2Operation, boolean>;
    const refused = (operation: CrossplaneDay2Operation) => ({
      allowed: false,
      reason: `your permissions do not allow ${DAY2_PERMISSIONS[operation].name} on this object`,
    });
    if (!allowed.some(Boolean)) {
      // Nothing is said of an object the caller may not act on.
      return Object.fromEntries(
        operations.map(operation => [operation, refused(operation)]),
      ) as CrossplaneDay2Capabilities;
    }
    const { object, objectClass } = this.#operable(id);
    const paused = isPaused(object);
    const deleting = Boolean(object.metadata.deletionTimestamp);
    // The same rules the edit and delete routes apply, said before asking.
    const gitOps = gitOpsSourceOf(object);
    // Git's objects: edited and deleted by pull request where the portal
    // may open one, else refused.
    const inGit = gitOps
      ? await this.#gitRefusal(id, object, gitOps)
      : undefined;
    const blockedBy: Record<CrossplaneDay2Operation, string | undefined> = {
      pause: paused ? 'already paused' : undefined,
      resume: paused ? undefined : 'not paused',
      reconcile: paused ? 'paused: resume it first' : undefined,
      edit:
        inGit ??
        (objectClass === 'managed'
          ? 'a managed resource: edit its claim or composite resource'
          : undefined),
      delete: inGit ?? notDeletionRootReason(object, objectClass === 'claim'),
      upgrade: undefined,
    };
    return Object.fromEntries(
      operations.map(operation => {
        if (!may[operation]) return [operation, refused(operation)];
        // A paused object being deleted waits for its resume: only that
        // is still offered.
        const blocked =
          deleting && operation !== 'resume'
            ? 'being deleted'
            : blockedBy[operation];
        const proposed =
          gitOps && (operation === 'edit' || operation === 'delete');
        return [
          operation,
          blocked
            ? { allowed: false, reason: blocked }
            : { allowed: true, ...(proposed ? { pullRequest: true } : {}) },
        ];
      }),
    ) as CrossplaneDay2Capabilities;
  }

  /**
   * Why an object Git delivers is not edited or deleted from the portal;
   * undefined when a pull request on its file does it.
   */
  async #gitRefusal(
    id: CrossplaneObjectId,
    object: KubernetesObject,
    gitOps: CrossplaneGitOpsSource,
  ): Promise<string | undefined> {
    try {
      const client = this.#clusters.get(id.cluster);
      if (await this.#pullRequests?.fileOf(client, id, object)) {
        return undefined;
      }
    } catch (error) {
      return (error as Error).message;
    }
    return `delivered by ${gitOps.description}: change it in Git`;
  }

  /**
   * Waits (briefly) until the shared cache has the written pause state, so
   * that what the caller reads next (status, capabilities, the summary)
   * shows the change it just made. A cache that lags longer only delays
   * that: the write is done.
   */
  async #cacheShows(id: CrossplaneObjectId, paused: boolean) {
    const deadline = Date.now() + CACHE_FOLLOW_MS;
    while (Date.now() < deadline) {
      try {
        if (isPaused(this.#status.cached(id).object) === paused) return;
      } catch {
        // Not cached (yet, or any more): nothing to wait for.
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** The cached object of the identity, if it is one operations act on. */
  #operable(id: CrossplaneObjectId) {
    const cached = this.#status.cached(id);
    if (!OPERABLE_CLASSES.includes(cached.objectClass)) {
      throw new InputError(
        `kind: ${describeObjectId(
          id,
        )} is not a claim, composite resource or managed resource`,
      );
    }
    return cached;
  }
}

/**
 * Options of one operation.
 */
export interface LifecycleRunOptions {
  dryRun?: boolean;
  /** Reconcile only: how long to wait for the outcome. */
  waitMs?: number;
  /**
   * The HTTP request, for the audit record and the user's cluster token
   * of a cluster that writes with it.
   */
  request?: Request;
}

function locatorOf(object: KubernetesObject) {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

/** Who an audit record names: the user, or the calling service. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type ?? '';
}
