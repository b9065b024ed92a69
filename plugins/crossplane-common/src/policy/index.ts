export type { NamespacePolicy } from './namespaces';
export {
  DEFAULT_DENIED_NAMESPACES,
  DEFAULT_NAMESPACE_POLICY,
  createNamespacePolicy,
  isNamespaceWritable,
  namespaceWriteProblem,
} from './namespaces';
export { parseFullEntityRef, parseOwnerRef } from './entityRefs';
export { reservedMetadataKeyProblem } from './metadataKeys';
export { crossplaneSpecFields, specControlFieldProblem } from './specFields';
export type { ManifestControlFieldOptions } from './manifestControlFields';
export {
  MAX_ANNOTATIONS_BYTES,
  checkManifestControlFields,
} from './manifestControlFields';
