export type { ObjectIdentity } from './entityNames';
export {
  clusterEntityName,
  clusterLocation,
  entityRefString,
  fitEntityName,
  groupToken,
  identityOf,
  objectEntityName,
  shortHash,
} from './entityNames';
export type { LabelRequirement } from './labelSelector';
export { matchesLabelSelector, parseLabelSelector } from './labelSelector';
export type { OwnerRules } from './ownerRules';
export {
  claimLabelsOf,
  DEFAULT_OWNER_RULES,
  explicitOwner,
  ownerOf,
} from './ownerRules';
export type {
  CompositeEntityKind,
  EntityMappingConfig,
  EntityMappingContext,
  EntityTarget,
} from './entityMapping';
export {
  DEFAULT_ENTITY_MAPPING,
  dependsOnOf,
  entityOf,
  entityOwnerOf,
  entityRefOf,
  entitySystemOf,
  entityTargetOf,
  passesIngestionFilters,
  SYSTEM_KEY,
} from './entityMapping';
