import { createApiRef } from '@backstage/core-plugin-api';
import {
  CrossplaneClusterStatus,
  CrossplaneEvent,
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
}

/**
 * The API reference of {@link CrossplaneApi}.
 *
 * @public
 */
export const crossplaneApiRef = createApiRef<CrossplaneApi>({
  id: 'plugin.crossplane.service',
});
