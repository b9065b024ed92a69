import { createApiRef } from '@backstage/core-plugin-api';
import {
  CrossplaneClusterStatus,
  CrossplaneEvent,
  CrossplaneLifecycleCapabilities,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
  CrossplaneObjectLocator,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneTreeNode,
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
  /** Which lifecycle operations the user may run on the object, and why not. */
  getCapabilities(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneLifecycleCapabilities>;
  /**
   * Pauses, resumes or reconciles the object; a reconcile waits up to
   * `waitSeconds` for its outcome (the backend's default when absent).
   */
  runLifecycleOperation(
    operation: CrossplaneLifecycleOperation,
    ref: CrossplaneObjectLocator,
    options?: LifecycleRequestOptions,
  ): Promise<CrossplaneLifecycleResult>;
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
