import { CrossplaneModelError } from '../model/errors';
import { dns1123LabelProblem, labelValueProblem } from '../model/names';

/** Longer than any valid `kind:namespace/name` (63 + 63 + kind). */
const MAX_ENTITY_REF_LENGTH = 255;
const CONTROL_CHARACTERS = /\p{Cc}/u;
const KIND = /^[a-zA-Z][a-zA-Z0-9]*$/;
const OWNER_KINDS = ['user', 'group'];

/** A value for an error message: quoted, escaped and cut short. */
export function quoted(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Parses a full entity ref, `kind:namespace/name` or `kind:name` (namespace
 * `default`), by the catalog's rules: kind letters and digits; namespace a
 * DNS-1123 label; name at most 63 alphanumerics, '-', '_' and '.'. Returns
 * it normalised (kind in lowercase, namespace filled in); throws
 * {@link CrossplaneModelError} naming `field`.
 *
 * @public
 */
export function parseFullEntityRef(
  value: unknown,
  field: string,
  options: { kinds?: readonly string[]; example: string },
): string {
  const shape = `must be an entity reference like ${options.example}`;
  if (typeof value !== 'string')
    throw new CrossplaneModelError(field, `${shape} (got ${typeof value})`);
  if (value.length > MAX_ENTITY_REF_LENGTH) {
    throw new CrossplaneModelError(
      field,
      `${shape}, at most ${MAX_ENTITY_REF_LENGTH} characters (got ${value.length})`,
    );
  }
  if (CONTROL_CHARACTERS.test(value)) {
    throw new CrossplaneModelError(
      field,
      `${shape}, without control characters (got ${quoted(value)})`,
    );
  }
  const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(value);
  const [, kind, namespace = 'default', name] = match ?? [];
  if (
    !match ||
    !KIND.test(kind) ||
    dns1123LabelProblem(namespace) ||
    !name ||
    labelValueProblem(name)
  ) {
    throw new CrossplaneModelError(field, `${shape} (got ${quoted(value)})`);
  }
  const normalisedKind = kind.toLowerCase();
  if (options.kinds && !options.kinds.includes(normalisedKind)) {
    throw new CrossplaneModelError(
      field,
      `must be a ${options.kinds.join(' or ')} entity reference like ${
        options.example
      } (got kind ${quoted(kind)})`,
    );
  }
  return `${normalisedKind}:${namespace}/${name}`;
}

/**
 * Parses the owner of a resource: a user or group entity ref such as
 * `group:default/team-a`, normalised. Whether the entity exists is for the
 * caller to ask the catalog.
 *
 * @public
 */
export function parseOwnerRef(value: unknown, field = 'owner'): string {
  return parseFullEntityRef(value, field, {
    kinds: OWNER_KINDS,
    example: 'group:default/team-a',
  });
}
