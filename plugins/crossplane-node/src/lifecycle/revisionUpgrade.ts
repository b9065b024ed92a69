import {
  compositeInfo,
  Condition,
  getConditions,
  gitOpsSourceOf,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient, ObjectLocator } from '../client/types';

/**
 * The kind Crossplane keeps every version of a Composition as.
 *
 * @internal
 */
export const COMPOSITION_REVISION_KIND = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositionRevision',
} as const;

/**
 * The label Crossplane puts on a CompositionRevision: its Composition.
 *
 * @internal
 */
export const COMPOSITION_NAME_LABEL = 'crossplane.io/composition-name';

/**
 * How long an upgrade waits, by default, for an object to be Ready and
 * Synced again on its new revision.
 *
 * @internal
 */
export const DEFAULT_UPGRADE_WAIT_MS = 60_000;

/**
 * Most objects one upgrade run may move: a run is sequential and waits on
 * each, so a longer list is refused rather than left running for hours.
 *
 * @internal
 */
export const MAX_UPGRADE_OBJECTS = 100;

/**
 * The newest revision of one Composition.
 *
 * @internal
 */
export interface LatestRevision {
  composition: string;
  /** The CompositionRevision's name. */
  name: string;
  /** Its `spec.revision`. */
  revision: number;
}

/**
 * The newest CompositionRevision of each Composition (highest
 * `spec.revision`), keyed by the Composition's name.
 *
 * @public
 */
export function latestRevisions(
  revisions: KubernetesObject[],
): Map<string, LatestRevision> {
  const latest = new Map<string, LatestRevision>();
  for (const object of revisions) {
    const composition = object.metadata.labels?.[COMPOSITION_NAME_LABEL];
    const revision = (object.spec as { revision?: unknown } | undefined)
      ?.revision;
    if (!composition || typeof revision !== 'number') continue;
    const known = latest.get(composition);
    if (!known || revision > known.revision) {
      latest.set(composition, {
        composition,
        name: object.metadata.name,
        revision,
      });
    }
  }
  return latest;
}

/**
 * Every CompositionRevision of a cluster, reduced to the newest of each
 * Composition.
 *
 * @internal
 */
export async function readLatestRevisions(
  client: ClusterClient,
): Promise<Map<string, LatestRevision>> {
  const { items } = await client.list(
    COMPOSITION_REVISION_KIND.apiVersion,
    COMPOSITION_REVISION_KIND.kind,
  );
  return latestRevisions(items);
}

/**
 * How far a claim or XR is behind its Composition.
 *
 * @internal
 */
export interface RevisionLag {
  composition: string;
  currentRevision: string;
  latestRevision: string;
}

/**
 * Whether a claim or XR with a Manual composition update policy is pinned
 * to a revision older than its Composition's newest (v1 fields under
 * `spec`, v2 under `spec.crossplane`); undefined otherwise. An Automatic
 * object follows new revisions on its own.
 *
 * @internal
 */
export function revisionLagOf(
  object: KubernetesObject,
  latest: Map<string, LatestRevision>,
): RevisionLag | undefined {
  const info = compositeInfo(object);
  if (info.compositionUpdatePolicy !== 'Manual') return undefined;
  const current = info.compositionRevisionRef?.name;
  const composition = info.compositionRef?.name;
  if (!current || !composition) return undefined;
  const newest = latest.get(composition);
  if (!newest || newest.name === current) return undefined;
  return {
    composition,
    currentRevision: current,
    latestRevision: newest.name,
  };
}

/**
 * Whether an object is pinned to its composition revisions by hand.
 *
 * @internal
 */
export function hasManualRevisionPolicy(object: KubernetesObject): boolean {
  return compositeInfo(object).compositionUpdatePolicy === 'Manual';
}

/**
 * The spec merge patch that pins an object to a revision, where its layout
 * keeps the reference (`spec` for v1 claims and composites,
 * `spec.crossplane` for v2 XRs).
 *
 * @public
 */
export function revisionPatch(
  object: KubernetesObject,
  revision: string,
): Record<string, unknown> {
  const ref = { compositionRevisionRef: { name: revision } };
  return compositeInfo(object).layout === 'v2' ? { crossplane: ref } : ref;
}

/**
 * What became of one object of an upgrade.
 *
 * @internal
 */
export type RevisionUpgradeOutcome =
  | 'upgraded'
  | 'unhealthy'
  | 'refused'
  | 'failed'
  | 'not-run';

/**
 * Runs upgrades one by one, in order. The first object that turns
 * unhealthy, or whose upgrade fails, stops the run: the objects after it
 * are `not-run`. A refusal (permission, GitOps delivery) says nothing of
 * health and the run goes on with the next object.
 *
 * @internal
 */
export async function runInSequence<T, S extends { outcome: string }>(
  targets: T[],
  upgrade: (target: T) => Promise<S>,
  notRun: (target: T) => S,
): Promise<S[]> {
  const steps: S[] = [];
  let stopped = false;
  for (const target of targets) {
    if (stopped) {
      steps.push(notRun(target));
      continue;
    }
    const step = await upgrade(target);
    steps.push(step);
    stopped = step.outcome === 'unhealthy' || step.outcome === 'failed';
  }
  return steps;
}

/**
 * What an upgrade of one object found.
 *
 * @internal
 */
export interface RevisionUpgradeResult {
  outcome: 'upgraded' | 'unhealthy';
  message?: string;
}

/**
 * Pins an object the caller has resolved and authorized to a revision (a
 * merge patch of the reference alone, with PlatformOps' field manager),
 * then waits until it is Ready and Synced on it, or turns unhealthy. A dry
 * run is the API server's: validated and admitted, not stored.
 *
 * @public
 */
export async function upgradeRevision(options: {
  client: ClusterClient;
  /** The object as the cluster has it: its layout says where the ref is. */
  object: KubernetesObject;
  revision: string;
  fieldManager: string;
  dryRun?: boolean;
  waitMs?: number;
  pollIntervalMs?: number;
}): Promise<RevisionUpgradeResult> {
  const { client, object, revision } = options;
  const locator = locatorOf(object);
  const written = await client.patchSpec(
    locator,
    revisionPatch(object, revision),
    { fieldManager: options.fieldManager, dryRun: options.dryRun },
  );
  if (options.dryRun) {
    return {
      outcome: 'upgraded',
      message: `dry run: the cluster accepts ${revision}; nothing changed`,
    };
  }
  return awaitRevisionHealth(client, locator, {
    revision,
    generation: written.metadata.generation,
    waitMs: options.waitMs ?? DEFAULT_UPGRADE_WAIT_MS,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
  });
}

/**
 * What became of one object moved to its Composition's newest revision:
 * `refused` (delivered through Git, or not Manual: nothing written),
 * `upgraded` without `from`/`to` when it is on the newest already.
 *
 * @internal
 */
export interface LatestRevisionUpgrade {
  outcome: 'upgraded' | 'unhealthy' | 'refused';
  from?: string;
  to?: string;
  message?: string;
}

/**
 * Moves an object the caller has resolved and authorized to its
 * Composition's newest revision, with the checks every path shares: never
 * an object Git delivers (its revision belongs in the repository), only a
 * Manual update policy (Crossplane moves the others itself).
 *
 * @internal
 */
export async function upgradeToLatestRevision(options: {
  client: ClusterClient;
  /** The object as the cluster has it now. */
  object: KubernetesObject;
  /** Read afresh: the revision to move to. */
  latest: Map<string, LatestRevision>;
  fieldManager: string;
  dryRun?: boolean;
  waitMs?: number;
}): Promise<LatestRevisionUpgrade> {
  const { object } = options;
  const gitOps = gitOpsSourceOf(object);
  if (gitOps) {
    return {
      outcome: 'refused',
      message: `delivered by ${gitOps.description}: change its composition revision in Git`,
    };
  }
  if (!hasManualRevisionPolicy(object)) {
    return {
      outcome: 'refused',
      message:
        'its composition update policy is not Manual: Crossplane moves it to new revisions itself',
    };
  }
  const lag = revisionLagOf(object, options.latest);
  if (!lag) {
    return { outcome: 'upgraded', message: 'already on the latest revision' };
  }
  const result = await upgradeRevision({
    client: options.client,
    object,
    revision: lag.latestRevision,
    fieldManager: options.fieldManager,
    dryRun: options.dryRun,
    waitMs: options.waitMs,
  });
  return {
    from: lag.currentRevision,
    to: lag.latestRevision,
    ...result,
  };
}

/** When conditions carry no observedGeneration: how long to let them follow. */
const SETTLE_MS = 3_000;

/**
 * How an object stands on a revision: `healthy` when its reference names
 * the revision and Ready and Synced are True for its current generation
 * (or, where conditions do not say their generation, after a moment to
 * follow the change); `unhealthy` at once when Synced is False for it.
 *
 * @public
 */
export function revisionHealth(
  object: KubernetesObject,
  expected: { revision: string; generation?: number; settled: boolean },
): { state: 'healthy' | 'unhealthy' | 'pending'; message?: string } {
  const info = compositeInfo(object);
  const conditions = getConditions(object);
  const current = (c: Condition | undefined) =>
    c !== undefined &&
    (c.observedGeneration === undefined
      ? expected.settled
      : expected.generation === undefined ||
        c.observedGeneration >= expected.generation);
  const synced = conditions.find(c => c.type === 'Synced');
  const ready = conditions.find(c => c.type === 'Ready');
  if (synced?.status === 'False' && current(synced)) {
    return { state: 'unhealthy', message: describeCondition(synced) };
  }
  if (
    info.compositionRevisionRef?.name === expected.revision &&
    synced?.status === 'True' &&
    ready?.status === 'True' &&
    current(synced) &&
    current(ready)
  ) {
    return { state: 'healthy' };
  }
  return {
    state: 'pending',
    message: [ready, synced]
      .filter((c): c is Condition => c !== undefined && c.status !== 'True')
      .map(describeCondition)
      .join('; '),
  };
}

async function awaitRevisionHealth(
  client: ClusterClient,
  locator: ObjectLocator,
  options: {
    revision: string;
    generation?: number;
    waitMs: number;
    pollIntervalMs: number;
  },
): Promise<RevisionUpgradeResult> {
  const started = Date.now();
  let message: string | undefined;
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, options.pollIntervalMs));
    const object = await client.get(locator);
    if (!object) {
      return { outcome: 'unhealthy', message: 'deleted while upgrading' };
    }
    const health = revisionHealth(object, {
      revision: options.revision,
      generation: options.generation,
      settled: Date.now() - started >= SETTLE_MS,
    });
    if (health.state === 'healthy') return { outcome: 'upgraded' };
    if (health.state === 'unhealthy') {
      return { outcome: 'unhealthy', message: health.message };
    }
    message = health.message;
    if (Date.now() - started >= options.waitMs) {
      return {
        outcome: 'unhealthy',
        message: `not Ready and Synced on ${
          options.revision
        } within ${Math.round(options.waitMs / 1000)} s${
          message ? `: ${message}` : ''
        }`,
      };
    }
  }
}

function describeCondition(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${
    c.message ? `: ${c.message}` : ''
  }`;
}

function locatorOf(object: KubernetesObject): ObjectLocator {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}
