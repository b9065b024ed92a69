import { createApiRef } from '@backstage/core-plugin-api';
import {
  CrossplaneClusterStatus,
  CrossplaneCompositionChoices,
  CrossplaneCreatePreview,
  CrossplaneCreatePreviewRequest,
  CrossplaneDay2Capabilities,
  CrossplaneDeleteRequest,
  CrossplaneDeletionImpact,
  CrossplaneDeletionProgress,
  CrossplaneEditForm,
  CrossplaneEditRequest,
  CrossplaneEditResult,
  CrossplaneEvent,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
  CrossplaneNamespaceChoices,
  CrossplaneObjectLocator,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneRevisionLag,
  CrossplaneTimelineEntry,
  CrossplaneTreeNode,
  CrossplaneUpgradeRequest,
  CrossplaneUpgradeStep,
  EntityRollup,
  EntityRollupPage,
  RollupGrouping,
} from './types';

/**
 * Client of the PlatformOps status backend (`/api/crossplane`). Every method
 * rejects with a `ResponseError` when the backend answers with an error;
 * status 403 means the user lacks the permission.
 *
 * @public
 */
export interface CrossplaneApi {
  /** Reachability and version of every configured cluster. */
  getClusters(): Promise<CrossplaneClusterStatus[]>;
  /** Every claim and composite, worst first, narrowed by the filters. */
  /** Worst first; `page` selects part of the list (all by default). */
  getSummary(
    filters?: CrossplaneSummaryFilters,
    page?: CrossplaneSummaryPage,
  ): Promise<CrossplaneSummary>;
  /** The resource tree below an object. */
  getTree(ref: CrossplaneObjectLocator): Promise<CrossplaneTreeNode>;
  /** Events of an object, or of its whole tree; newest first. */
  getEvents(
    ref: CrossplaneObjectLocator,
    options?: { tree?: boolean },
  ): Promise<CrossplaneEvent[]>;
  /** The object as redacted YAML. */
  getYaml(ref: CrossplaneObjectLocator): Promise<string>;
  /** Which day-2 operations the user may run on the object, and why not. */
  getCapabilities(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneDay2Capabilities>;
  /**
   * Pauses, resumes or reconciles the object; a reconcile waits up to
   * `waitSeconds` for its outcome (the backend's default when absent).
   */
  runLifecycleOperation(
    operation: CrossplaneLifecycleOperation,
    ref: CrossplaneObjectLocator,
    options?: LifecycleRequestOptions,
  ): Promise<CrossplaneLifecycleResult>;
  /** The edit form of a claim or XR, prefilled with its live values. */
  getEditForm(ref: CrossplaneObjectLocator): Promise<CrossplaneEditForm>;
  /** Previews (`dryRun`) or applies an edit: the diff, validation, conflicts. */
  editObject(request: CrossplaneEditRequest): Promise<CrossplaneEditResult>;
  /** The manifest a create would apply, and the API server's dry run of it. */
  previewCreate(
    request: CrossplaneCreatePreviewRequest,
  ): Promise<CrossplaneCreatePreview>;
  /** The namespaces where the user may create the XRD's claim or XR. */
  getNamespaceChoices(request: {
    cluster: string;
    xrd: string;
  }): Promise<CrossplaneNamespaceChoices>;
  /** The Compositions of the XRD's composite type. */
  getCompositionChoices(request: {
    cluster: string;
    xrd: string;
  }): Promise<CrossplaneCompositionChoices>;
  /** What deleting the object takes with it; once started, how far it is. */
  getDeletionImpact(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneDeletionImpact>;
  /**
   * How far a deletion is once its root is gone: each object it took with
   * it (from the impact shown), gone or still there, and what holds them.
   * An object the user may not read is `hidden`: not followed, never gone.
   */
  getDeletionProgress(
    objects: CrossplaneObjectLocator[],
  ): Promise<CrossplaneDeletionProgress>;
  /** Deletes the object, its name typed again as `confirm`. */
  deleteObject(
    request: CrossplaneDeleteRequest,
  ): Promise<CrossplaneDeletionImpact>;
  /**
   * XRs and claims behind the latest revision of their Composition, of the
   * clusters named (all by default).
   */
  getUpgrades(filters?: {
    cluster?: string[];
  }): Promise<CrossplaneRevisionLag[]>;
  /** Moves objects to their latest revision, one by one; what each did. */
  upgrade(request: CrossplaneUpgradeRequest): Promise<CrossplaneUpgradeStep[]>;
  /** Audit records, events and field managers of an object, newest first. */
  getTimeline(ref: CrossplaneObjectLocator): Promise<CrossplaneTimelineEntry[]>;
  /**
   * Everything known about one entity, rolled up: a service's status
   * sources, or a System's or owner's services; worst first.
   */
  getRollup(entityRef: string): Promise<EntityRollup>;
  /**
   * One page of the roll-ups of the Systems or owners the user may see, in
   * name order (the backend's page size by default, at most 20).
   */
  listRollups(
    by: RollupGrouping,
    page?: { offset?: number; limit?: number },
  ): Promise<EntityRollupPage>;
}

/**
 * Options of a lifecycle operation request.
 *
 * @public
 */
export interface LifecycleRequestOptions {
  /** Validated and authorized by the cluster, nothing written. */
  dryRun?: boolean;
  /** Reconcile only: seconds to wait for the outcome (at most 60). */
  waitSeconds?: number;
}

/**
 * The API reference of {@link CrossplaneApi}.
 *
 * @public
 */
export const crossplaneApiRef = createApiRef<CrossplaneApi>({
  id: 'plugin.crossplane.service',
});
