import type { Health, HealthStatus } from '../health/types';
import type { Condition, ObjectRef } from '../model/types';

/*
 * The JSON of the PlatformOps status backend (`/api/crossplane`), shared by
 * the backend that serves it and the frontend that reads it.
 */

/**
 * The full address of one object in one cluster, as the status backend
 * expects it in its query parameters.
 *
 * @public
 */
export interface CrossplaneObjectLocator {
  cluster: string;
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/**
 * Reachability, sync state and version of one cluster (`GET /clusters`).
 *
 * @public
 */
export interface CrossplaneClusterStatus {
  name: string;
  reachable: boolean;
  /** Whether the backend's watch of this cluster has caught up. */
  synced?: boolean;
  kubernetesVersion?: string;
  /** How many Crossplane objects the backend currently knows of. */
  objectCount?: number;
  lastError?: string;
  /** RFC 3339 timestamp of {@link CrossplaneClusterStatus.lastError}. */
  lastErrorAt?: string;
  /**
   * Kinds whose list or watch fails (e.g. `Bucket.s3.aws.upbound.io`): their
   * last known objects are kept, the rest of the cluster stays current.
   */
  failingKinds?: string[];
}

/**
 * Filters of the summary; every field is optional and repeatable.
 *
 * @public
 */
export interface CrossplaneSummaryFilters {
  cluster?: string[];
  xrd?: string[];
  owner?: string[];
  namespace?: string[];
  /**
   * Rolled-up health statuses to list. Narrows the list only: the counts
   * still say how many resources of each status match the other filters.
   */
  health?: HealthStatus[];
}

/**
 * Which part of the sorted list `GET /summary` returns.
 *
 * @public
 */
export interface CrossplaneSummaryPage {
  /** How many resources to skip. Default 0. */
  offset?: number;
  /** At most this many resources; all when undefined. */
  limit?: number;
}

/**
 * One claim or composite in the summary, with its own and rolled-up health.
 *
 * @public
 */
export interface CrossplaneResourceSummary {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  objectClass: 'claim' | 'composite';
  /** Name of the XRD that defines the resource's kind. */
  xrd?: string;
  /** Entity reference of the owner, e.g. `group:default/team-a`. */
  owner?: string;
  /** Entity reference of the catalog entity of the resource. */
  entityRef?: string;
  health: Health;
  rolledUpHealth: Health;
  /** From the resource down to the object responsible for its health. */
  culpritPath?: ObjectRef[];
  culprit?: { ref: ObjectRef; health: Health };
}

/**
 * Health of one cluster's resources, per status.
 *
 * @public
 */
export interface CrossplaneClusterCounts {
  cluster: string;
  counts: Partial<Record<HealthStatus, number>>;
}

/**
 * Every claim and composite of every cluster (`GET /summary`), sorted worst
 * rolled-up health first.
 *
 * @public
 */
export interface CrossplaneSummary {
  generatedAt: string;
  totals: Partial<Record<HealthStatus, number>>;
  byCluster: CrossplaneClusterCounts[];
  /** The values each filter can take. */
  filters: {
    clusters: string[];
    xrds: string[];
    owners: string[];
    namespaces: string[];
  };
  /** The requested part of the sorted list. */
  resources: CrossplaneResourceSummary[];
  /** Where {@link CrossplaneSummary.resources} sits in the whole list. */
  page: {
    offset: number;
    limit?: number;
    /** How many resources match the filters, on every page together. */
    total: number;
  };
}

/**
 * A status condition of an object.
 *
 * @public
 */
export interface CrossplaneCondition {
  type: string;
  status: Condition['status'] | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * A node of a resource tree (`GET /tree`).
 *
 * @public
 */
export interface CrossplaneTreeNode {
  ref: ObjectRef;
  objectClass: string;
  health: Health;
  rolledUpHealth: Health;
  conditions: CrossplaneCondition[];
  /** From this node down to the node whose own health is the rolled-up one. */
  culpritPath?: ObjectRef[];
  /** Referenced but not found in the cluster. */
  missing?: boolean;
  entityRef?: string;
  children: CrossplaneTreeNode[];
}

/**
 * A Kubernetes event about an object (`GET /events`).
 *
 * @public
 */
export interface CrossplaneEvent {
  involvedObject: ObjectRef;
  type: 'Normal' | 'Warning';
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** The controller that reported it, e.g. `defined/compositeresourcedefinition.apiextensions.crossplane.io`. */
  source?: string;
}

/**
 * The day-2 operations on a claim, composite or managed resource
 * (`POST /pause`, `/resume`, `/reconcile`).
 *
 * @public
 */
export type CrossplaneLifecycleOperation = 'pause' | 'resume' | 'reconcile';

/**
 * An object a lifecycle operation wrote, in the cluster of the request.
 *
 * @public
 */
export type CrossplaneLifecycleObject = Omit<
  CrossplaneObjectLocator,
  'cluster'
>;

/**
 * What a lifecycle operation did (`POST /pause`, `/resume`, `/reconcile`).
 *
 * @public
 */
export interface CrossplaneLifecycleResult {
  operation: CrossplaneLifecycleOperation;
  dryRun: boolean;
  /** The objects written, the target first. */
  objects: CrossplaneLifecycleObject[];
  /**
   * Reconcile only: composed objects the cluster did not let PlatformOps
   * write (typically managed resources, which the portal's least-privilege
   * role may read but not patch); present when there are any.
   */
  skipped?: { object: CrossplaneLifecycleObject; reason: string }[];
  /** When the request was made (RFC 3339). */
  requestedAt: string;
  /** Whether the target carries Crossplane's pause annotation now. */
  paused: boolean;
  /** Reconcile only: what the target's controller did after the request. */
  reconcile?: CrossplaneReconcileOutcome;
}

/**
 * The outcome of a reconcile request, as the target shows it.
 *
 * @public
 */
export interface CrossplaneReconcileOutcome {
  /**
   * Whether a controller wrote the target after the request (its status
   * or conditions), within the wait; a reconcile that changes nothing
   * writes nothing, so false means "no change seen", not "not reconciled".
   */
  observed: boolean;
  /** Whether a condition changed (status, reason, message or time). */
  conditionsChanged: boolean;
  /** The target's Ready and Synced conditions at the end of the wait. */
  conditions: CrossplaneCondition[];
  /** How long the wait took, in milliseconds. */
  waitedMs: number;
}

/**
 * Whether the caller may run one operation on an object, and why not.
 *
 * @public
 */
export interface CrossplaneLifecycleCapability {
  allowed: boolean;
  /** Why it is not allowed, for the UI to show. */
  reason?: string;
  /**
   * Edit and delete of an object PlatformOps delivers through Git: done as
   * a pull request on its file, the cluster is not written.
   */
  pullRequest?: boolean;
}

/**
 * What the caller may do with an object (`GET /capabilities`).
 *
 * @public
 */
export type CrossplaneLifecycleCapabilities = Record<
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleCapability
>;
