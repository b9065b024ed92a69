/**
 * Catalog module that ingests Crossplane and Kubernetes objects from the
 * configured clusters.
 *
 * @packageDocumentation
 */

export { catalogModuleCrossplane as default } from './module/catalogModuleCrossplane';
export { CrossplaneEntityProvider } from './providers/CrossplaneEntityProvider';
export { CrossplaneTemplateProvider } from './providers/CrossplaneTemplateProvider';
