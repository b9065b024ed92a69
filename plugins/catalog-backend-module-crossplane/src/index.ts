/**
 * Catalog module that ingests Crossplane and Kubernetes objects from the
 * configured clusters.
 *
 * @packageDocumentation
 */

export { catalogModuleCrossplane as default } from './module/catalogModuleCrossplane';

// The provider of one cluster, exported for this repository's benchmarks;
// adopters install the module. Left out of the published types.

/** @internal */
export { CrossplaneEntityProvider } from './providers/CrossplaneEntityProvider';

/** @internal */
export { readProviderConfig } from './providers/config';
