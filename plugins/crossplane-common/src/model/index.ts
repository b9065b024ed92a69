export type {
  Condition,
  KubernetesObject,
  ObjectClass,
  ObjectMeta,
  ObjectRef,
  OwnerReference,
} from './types';
export { CrossplaneModelError, isCrossplaneModelError } from './errors';
export type { OpenAPISchema } from './schema';
export { checkOpenAPISchema } from './schema';
export type { Xrd, XrdScope, XrdTarget, XrdVersion } from './xrd';
export {
  CROSSPLANE_APIEXTENSIONS_GROUP,
  isNamespacedTarget,
  parseXrd,
  referenceableVersion,
  resolveXrdTarget,
  resolveXrdVersion,
  servedVersions,
  targetTypeMeta,
  usesCrossplaneSpecField,
} from './xrd';
export type { Composition } from './composition';
export { compositionMatches, parseComposition } from './composition';
export type {
  ClaimObject,
  CompositeMachinery,
  CompositeObject,
  LabelSelector,
  ManagedObject,
  NameRef,
  SecretRef,
} from './crossplane';
export {
  CrossplaneAnnotations,
  CrossplaneLabels,
  getClaimRef,
  getCompositeRef,
  getCompositionName,
  getCondition,
  getConditions,
  getResourceRefs,
  isPaused,
} from './crossplane';
export type { XrdKindIndex } from './classify';
export { classifyObject, indexXrdKinds } from './classify';
export {
  objectRefKey,
  objectRefToString,
  parseObjectRef,
  refOf,
  sameObjectRef,
} from './objectRef';
export {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  toLabelValue,
} from './names';
export type { PackageInfo } from './packages';
export { packageInfo } from './packages';
export type { CompositeInfo, ManagedInfo } from './machinery';
export { compositeInfo, managedInfo } from './machinery';
export type { ArgoCdTracking } from './gitops';
export { argoCdTrackingOf, fluxOwnerOf, gitOpsSourceOf } from './gitops';
export { fieldOwnersOf, fieldsV1Paths } from './managedFields';
