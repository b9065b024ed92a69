import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CompositeEntityKind,
  DEFAULT_ENTITY_MAPPING,
  DEFAULT_OWNER_RULES,
  EntityMappingConfig,
  OwnerRules,
  parseLabelSelector,
} from '@platformops/plugin-crossplane-common';

/**
 * Where the catalog module's options live; the status backend and the
 * scaffolder read the same keys, so that what they link to is what the
 * catalog emits.
 *
 * @public
 */
export const ENTITY_MAPPING_CONFIG_KEY = 'catalog.providers.crossplane';

function readEntityKind(
  config: Config | undefined,
  key: 'claimsAs' | 'compositesAs',
): CompositeEntityKind {
  const value = config?.getOptionalString(key) ?? DEFAULT_ENTITY_MAPPING[key];
  if (value !== 'Component' && value !== 'Resource') {
    throw new InputError(
      `${ENTITY_MAPPING_CONFIG_KEY}.${key}: must be one of Component, Resource (got "${value}")`,
    );
  }
  return value;
}

function readOwnerRules(config: Config | undefined): OwnerRules {
  const owner = config?.getOptionalConfig('owner');
  const defaults = DEFAULT_OWNER_RULES;
  return {
    annotation: owner?.getOptionalString('annotation') ?? defaults.annotation,
    label: owner?.getOptionalString('label') ?? defaults.label,
    fromNamespace:
      owner?.getOptionalBoolean('fromNamespace') ?? defaults.fromNamespace,
    defaultOwner: owner?.getOptionalString('default') ?? defaults.defaultOwner,
  };
}

/**
 * Reads which objects become entities and how, from
 * `catalog.providers.crossplane`, with defaults; a bad value is an
 * `InputError` naming its key.
 *
 * @public
 */
export function readEntityMapping(root: Config): EntityMappingConfig {
  const config = root.getOptionalConfig(ENTITY_MAPPING_CONFIG_KEY);
  const defaults = DEFAULT_ENTITY_MAPPING;
  const selector = config?.getOptionalString('labelSelector') ?? '';
  let labelSelector;
  try {
    labelSelector = parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(
      `${ENTITY_MAPPING_CONFIG_KEY}.labelSelector: ${(error as Error).message}`,
    );
  }
  return {
    entityNamespace:
      config?.getOptionalString('entityNamespace') ?? defaults.entityNamespace,
    claimsAs: readEntityKind(config, 'claimsAs'),
    compositesAs: readEntityKind(config, 'compositesAs'),
    namespaces: config?.getOptionalStringArray('namespaces'),
    labelSelector,
    managedResources:
      config?.getOptionalBoolean('managedResources') ??
      defaults.managedResources,
    workloads: config?.getOptionalBoolean('workloads') ?? defaults.workloads,
    owner: readOwnerRules(config),
  };
}
