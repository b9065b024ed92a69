import {
  Condition,
  CrossplaneAnnotations,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
  CrossplaneReconcileOutcome,
  getConditions,
  isPaused,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import { ClusterClient, ObjectLocator } from '../client/types';

/**
 * The day-2 operations PlatformOps runs on a claim, composite or managed
 * resource.
 *
 * @public
 */
export type LifecycleOperation = CrossplaneLifecycleOperation;

/**
 * The annotation whose change makes Crossplane and the provider reconcile
 * an object at once: every update of an object is a watch event, and
 * neither Crossplane's claim and composite controllers nor the managed
 * reconciler of crossplane-runtime filter it out (their predicates, where
 * set, let annotation changes through).
 *
 * @public
 */
export const RECONCILE_REQUESTED_ANNOTATION =
  'platformops.io/reconcile-requested-at';

/**
 * How long a reconcile waits, by default, for the object to be written
 * again (its conditions or status) after the request.
 *
 * @public
 */
export const DEFAULT_RECONCILE_WAIT_MS = 20_000;

/**
 * The one annotation an operation writes (null removes it).
 *
 * @public
 */
export function lifecycleAnnotations(
  operation: LifecycleOperation,
  now: Date,
): Record<string, string | null> {
  switch (operation) {
    case 'pause':
      return { [CrossplaneAnnotations.paused]: 'true' };
    case 'resume':
      return { [CrossplaneAnnotations.paused]: null };
    case 'reconcile':
      return { [RECONCILE_REQUESTED_ANNOTATION]: now.toISOString() };
    default:
      throw new Error(`unknown operation ${operation}`);
  }
}

/**
 * What an operation did to one object (the status backend's answer).
 *
 * @public
 */
export type LifecycleResult = CrossplaneLifecycleResult;

/**
 * A composed object a reconcile did not annotate, and why.
 *
 * @public
 */
export type SkippedObject = NonNullable<LifecycleResult['skipped']>[number];

/**
 * The outcome of a reconcile request, as the target shows it.
 *
 * @public
 */
export type ReconcileOutcome = CrossplaneReconcileOutcome;

/**
 * Runs a lifecycle operation on an object the caller has resolved from the
 * cluster and authorized: a JSON merge patch of its one annotation with
 * PlatformOps' field manager, nothing else. A reconcile also annotates the
 * composed objects given (a composite behind a claim and its managed
 * resources, which a reconcile of the root alone would not make the
 * provider look at), then waits for the target to be written again.
 *
 * @public
 */
export async function runLifecycleOperation(options: {
  client: ClusterClient;
  operation: LifecycleOperation;
  target: ObjectLocator;
  /** Objects composed under the target, reconciled with it. */
  composed?: ObjectLocator[];
  fieldManager: string;
  dryRun?: boolean;
  /** Reconcile only: how long to wait for the outcome (0: do not wait). */
  waitMs?: number;
  now?: () => Date;
  /** Between two reads of the target while waiting. */
  pollIntervalMs?: number;
}): Promise<LifecycleResult> {
  const { client, operation, target, fieldManager } = options;
  const dryRun = options.dryRun ?? false;
  const now = options.now ?? (() => new Date());
  const requestedAt = now();
  const annotations = lifecycleAnnotations(operation, requestedAt);
  const written = await client.patchAnnotations(target, annotations, {
    fieldManager,
    dryRun,
  });
  const objects = [target];
  const skipped: SkippedObject[] = [];
  if (operation === 'reconcile') {
    for (const locator of options.composed ?? []) {
      try {
        await client.patchAnnotations(locator, annotations, {
          fieldManager,
          dryRun,
        });
        objects.push(locator);
      } catch (error) {
        // A composed object deleted meanwhile has nothing to reconcile.
        if ((error as Error)?.name === 'NotFoundError') continue;
        // The target is written: its controller reconciles what it
        // composes, only the provider is not asked to look at once.
        if (isForbidden(error)) {
          skipped.push({ object: locator, reason: (error as Error).message });
          continue;
        }
        throw error;
      }
    }
  }
  const result: LifecycleResult = {
    operation,
    dryRun,
    objects,
    requestedAt: requestedAt.toISOString(),
    paused: isPaused(written),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
  if (operation === 'reconcile' && !dryRun) {
    result.reconcile = await awaitReconcile(
      client,
      written,
      options.waitMs ?? DEFAULT_RECONCILE_WAIT_MS,
      options.pollIntervalMs ?? 500,
    );
  }
  return result;
}

/**
 * The cluster refused the request to PlatformOps' own identity (RBAC).
 *
 * @public
 */
export function isForbidden(error: unknown): boolean {
  return error instanceof ClusterRequestError && error.statusCode === 403;
}

const OUTCOME_CONDITIONS = ['Ready', 'Synced'];
/** How long conditions may take to follow a controller's first write. */
const SETTLE_MS = 2_000;

function outcomeConditions(object: KubernetesObject | undefined) {
  return getConditions(object).filter(c => OUTCOME_CONDITIONS.includes(c.type));
}

function conditionsKey(conditions: Condition[]) {
  return JSON.stringify(
    conditions.map(c => [
      c.type,
      c.status,
      c.reason,
      c.message,
      c.lastTransitionTime,
    ]),
  );
}

/**
 * Reads the target until something wrote it after the request (a new
 * resourceVersion: a controller's status update) or the wait is over.
 */
async function awaitReconcile(
  client: ClusterClient,
  written: KubernetesObject,
  waitMs: number,
  pollIntervalMs: number,
): Promise<ReconcileOutcome> {
  const started = Date.now();
  const before = conditionsKey(outcomeConditions(written));
  const locator = {
    apiVersion: written.apiVersion,
    kind: written.kind,
    namespace: written.metadata.namespace,
    name: written.metadata.name,
  };
  let current: KubernetesObject = written;
  let observedAt: number | undefined;
  while (Date.now() - started < waitMs) {
    await new Promise(resolve => setTimeout(resolve, pollIntervalMs));
    current = (await client.get(locator)) ?? current;
    if (
      observedAt === undefined &&
      current.metadata.resourceVersion !== written.metadata.resourceVersion
    ) {
      observedAt = Date.now();
    }
    if (observedAt === undefined) continue;
    // A status write may come in two steps (Synced, then Ready): the
    // conditions get a moment more when they have not changed yet.
    if (
      conditionsKey(outcomeConditions(current)) !== before ||
      Date.now() - observedAt >= SETTLE_MS
    ) {
      break;
    }
  }
  const conditions = outcomeConditions(current);
  return {
    observed: observedAt !== undefined,
    conditionsChanged: conditionsKey(conditions) !== before,
    conditions,
    waitedMs: Date.now() - started,
  };
}
