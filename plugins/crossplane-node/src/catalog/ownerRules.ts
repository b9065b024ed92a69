import { Config } from '@backstage/config';
import {
  parseOwnerRef,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';

/**
 * Who owns an ingested object (`catalog.providers.crossplane.owner`).
 *
 * @public
 */
export interface OwnerRules {
  /** Annotation holding an owner entity ref. */
  annotation: string;
  /** Label naming an owner group, or an entity ref written with dots. */
  label: string;
  /** Without annotation or label, the group named like the namespace owns. */
  fromNamespace: boolean;
  defaultOwner: string;
}

/** @public */
export const DEFAULT_OWNER = 'group:default/platform-team';
/** @public */
export const DEFAULT_OWNER_KEY = 'platformops.io/owner';

/**
 * Reads `catalog.providers.crossplane.owner`, with defaults.
 *
 * @public
 */
export function readOwnerRules(root: Config): OwnerRules {
  const owner = root.getOptionalConfig('catalog.providers.crossplane.owner');
  return {
    annotation: owner?.getOptionalString('annotation') ?? DEFAULT_OWNER_KEY,
    label: owner?.getOptionalString('label') ?? DEFAULT_OWNER_KEY,
    fromNamespace: owner?.getOptionalBoolean('fromNamespace') ?? false,
    defaultOwner: owner?.getOptionalString('default') ?? DEFAULT_OWNER,
  };
}

/**
 * The owner an object names itself, by annotation or label, when it is a
 * valid user or group ref (normalised); anything else is ignored, so that a
 * malformed owner written by hand cannot keep the object out of the
 * catalog. Label values cannot hold ':' or '/': a label names a group
 * (`team-a`) or an entity ref written with dots (`group.default.team-a`, as
 * PlatformOps renders it).
 *
 * @public
 */
export function explicitOwner(
  object: KubernetesObject,
  rules: OwnerRules,
  entityNamespace: string,
): string | undefined {
  const annotated = validOwner(object.metadata.annotations?.[rules.annotation]);
  if (annotated) return annotated;
  const labelled = object.metadata.labels?.[rules.label];
  if (!labelled) return undefined;
  const dotted = /^(group|user)\.([^.]+)\.(.+)$/.exec(labelled);
  if (dotted) return validOwner(`${dotted[1]}:${dotted[2]}/${dotted[3]}`);
  return validOwner(`group:${entityNamespace}/${labelled}`);
}

function validOwner(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return parseOwnerRef(value);
  } catch {
    return undefined;
  }
}
