import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ObjectClass } from '@platformops/plugin-crossplane-common';
import { objectEntityName, ObjectIdentity } from './entityNames';

/**
 * Catalog kind an ingested claim or composite becomes.
 *
 * @public
 */
export type CompositeEntityKind = 'Component' | 'Resource';

/**
 * How ingested objects are named in the catalog: shared by the catalog
 * module, which creates the entities, and the status backend, which links
 * to them.
 *
 * @public
 */
export interface EntityNaming {
  entityNamespace: string;
  claimsAs: CompositeEntityKind;
  compositesAs: CompositeEntityKind;
}

const PATH = 'catalog.providers.crossplane';

function readEntityKind(
  config: Config | undefined,
  key: string,
): CompositeEntityKind {
  const value = config?.getOptionalString(key) ?? 'Component';
  if (value !== 'Component' && value !== 'Resource') {
    throw new InputError(
      `${PATH}.${key}: must be one of Component, Resource (got "${value}")`,
    );
  }
  return value;
}

/**
 * Reads the naming options of `catalog.providers.crossplane`.
 *
 * @public
 */
export function readEntityNaming(root: Config): EntityNaming {
  const config = root.getOptionalConfig(PATH);
  return {
    entityNamespace: config?.getOptionalString('entityNamespace') ?? 'default',
    claimsAs: readEntityKind(config, 'claimsAs'),
    compositesAs: readEntityKind(config, 'compositesAs'),
  };
}

/**
 * The catalog kind of an ingested Crossplane object of this class, or
 * undefined for classes that are not Crossplane resources.
 *
 * @public
 */
export function crossplaneEntityKind(
  objectClass: ObjectClass | string,
  naming: EntityNaming,
): string | undefined {
  switch (objectClass) {
    case 'claim':
      return naming.claimsAs;
    case 'composite':
      return naming.compositesAs;
    case 'managed':
      return 'Resource';
    case 'xrd':
      return 'API';
    default:
      return undefined;
  }
}

/**
 * The entity ref of an ingested claim, composite, managed resource or XRD.
 *
 * @public
 */
export function crossplaneEntityRef(
  object: ObjectIdentity,
  objectClass: ObjectClass | string,
  naming: EntityNaming,
): string | undefined {
  const kind = crossplaneEntityKind(objectClass, naming);
  if (!kind) return undefined;
  return stringifyEntityRef({
    kind,
    namespace: naming.entityNamespace,
    name: objectEntityName(object),
  });
}
