import { CrossplaneLabels } from '../model/crossplane';
import type { KubernetesObject } from '../model/types';
import { parseOwnerRef } from '../policy/entityRefs';
import { PlatformOpsMetadata } from '../render/platformOpsMetadata';

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
export const DEFAULT_OWNER_RULES: OwnerRules = {
  annotation: PlatformOpsMetadata.ownerAnnotation,
  label: PlatformOpsMetadata.ownerLabel,
  fromNamespace: false,
  defaultOwner: 'group:default/platform-team',
};

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

/**
 * The claim a composed object (a composite or managed resource) was made
 * for, by Crossplane's claim labels: its name and namespace.
 *
 * @public
 */
export function claimLabelsOf(
  object: KubernetesObject,
): { name: string; namespace: string } | undefined {
  const name = object.metadata.labels?.[CrossplaneLabels.claimName];
  const namespace = object.metadata.labels?.[CrossplaneLabels.claimNamespace];
  return name && namespace ? { name, namespace } : undefined;
}

/**
 * The owner of an ingested object: the one it names itself; for an object
 * made for a claim (a composite or a composed resource, which carry
 * Crossplane's claim labels), the claim's (`claim`: the claim those labels
 * name, when it is known), else the group named like the claim's namespace
 * (`fromNamespace`); the group named like its own namespace
 * (`fromNamespace`); else the default owner.
 *
 * @public
 */
export function ownerOf(
  object: KubernetesObject,
  options: {
    rules: OwnerRules;
    entityNamespace: string;
    claim?: KubernetesObject;
  },
): string {
  const { rules, entityNamespace } = options;
  const own = explicitOwner(object, rules, entityNamespace);
  if (own) return own;
  const group = (namespace: string) => `group:${entityNamespace}/${namespace}`;
  const claimed = claimLabelsOf(object);
  if (claimed) {
    const claimOwner =
      options.claim && explicitOwner(options.claim, rules, entityNamespace);
    if (claimOwner) return claimOwner;
    if (rules.fromNamespace) return group(claimed.namespace);
  }
  if (rules.fromNamespace && object.metadata.namespace) {
    return group(object.metadata.namespace);
  }
  return rules.defaultOwner;
}
