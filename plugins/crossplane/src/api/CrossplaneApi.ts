import { createApiRef } from '@backstage/core-plugin-api';

/**
 * Reachability and version of one cluster.
 *
 * @public
 */
export interface CrossplaneClusterStatus {
  name: string;
  reachable: boolean;
  kubernetesVersion?: string;
  error?: string;
}

/**
 * Client of the PlatformOps status backend (`/api/crossplane`).
 *
 * @public
 */
export interface CrossplaneApi {
  getClusters(): Promise<CrossplaneClusterStatus[]>;
}

/**
 * The API reference of {@link CrossplaneApi}.
 *
 * @public
 */
export const crossplaneApiRef = createApiRef<CrossplaneApi>({
  id: 'plugin.crossplane.service',
});
