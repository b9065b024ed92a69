import {
  Entity,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';

/**
 * Labels and annotations the suite reads back (cluster, object identity,
 * health): the status backend, permissions and links rely on them, so a
 * transform neither changes them nor adds its own.
 */
const PROTECTED_PREFIXES = ['platformops.io/', 'crossplane.io/'];

const validator = makeValidator();

/**
 * Equal as JSON, which is all an entity is (and unlike `isDeepStrictEqual`,
 * whatever realm the answer's arrays come from).
 */
const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/** The entity a transform's answer may become, and what of it was refused. */
export interface GuardedEntity {
  entity: Entity;
  /** The fields whose change was dropped, e.g. `metadata.name`. */
  refused: string[];
}

type FieldCheck = (value: unknown, namespace: string) => boolean;

const isText = (value: unknown): boolean =>
  typeof value === 'string' && value.trim().length > 0;
const isRefTo =
  (defaultKind: string): FieldCheck =>
  (value, defaultNamespace) => {
    if (!isText(value)) return false;
    try {
      parseEntityRef(value as string, { defaultKind, defaultNamespace });
      return true;
    } catch {
      return false;
    }
  };
const orAbsent =
  (check: FieldCheck): FieldCheck =>
  (value, namespace) =>
    value === undefined || check(value, namespace);

/**
 * What a transform may set, and the values it may set it to. Maps, not
 * objects: a key such as `constructor` finds nothing here.
 */
const SPEC_FIELDS = new Map<string, FieldCheck>([
  ['owner', isRefTo('Group')],
  ['system', orAbsent(isRefTo('System'))],
  ['lifecycle', isText],
]);
const METADATA_FIELDS = new Map<string, FieldCheck>([
  ['title', orAbsent(value => typeof value === 'string')],
  ['description', orAbsent(value => typeof value === 'string')],
  [
    'tags',
    orAbsent(
      value =>
        Array.isArray(value) && value.every(tag => validator.isValidTag(tag)),
    ),
  ],
  [
    'links',
    orAbsent(
      value =>
        Array.isArray(value) &&
        value.every(link => isText((link as { url?: unknown } | null)?.url)),
    ),
  ],
]);

const isProtected = (key: string) =>
  PROTECTED_PREFIXES.some(prefix => key.startsWith(prefix));

const keysOf = (...records: unknown[]) => [
  ...new Set(
    records.flatMap(record =>
      record && typeof record === 'object' ? Object.keys(record) : [],
    ),
  ),
];

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The entity to emit after a transform changed `before` into `after`: the
 * allowed changes taken, every other one dropped and named. The identity
 * (kind, namespace, name) and the suite's own labels and annotations always
 * stay as the mapping made them, so the entity stays tied to its object.
 * Annotations may be added, never changed or removed.
 */
export function guardEntityChange(
  before: Entity,
  after: unknown,
): GuardedEntity {
  const refused: string[] = [];
  // Only top-level fields of metadata and spec, and whole label and
  // annotation maps, are set below: shallow copies keep `before` as it is.
  const entity: Entity = {
    ...before,
    metadata: { ...before.metadata },
    ...(before.spec ? { spec: { ...before.spec } } : {}),
  };
  const next = asRecord(after);
  if (!next.metadata || typeof next.metadata !== 'object') {
    return { entity, refused: ['entity'] };
  }
  const namespace = before.metadata.namespace ?? 'default';

  for (const key of keysOf(before, next)) {
    if (key === 'metadata' || key === 'spec') continue;
    if (!same(asRecord(before)[key], next[key])) refused.push(key);
  }

  const beforeMeta = before.metadata as Record<string, unknown>;
  const nextMeta = asRecord(next.metadata);
  const meta = entity.metadata as Record<string, unknown>;
  for (const key of keysOf(beforeMeta, nextMeta)) {
    const value = nextMeta[key];
    if (same(beforeMeta[key], value)) continue;
    if (key === 'labels') {
      guardLabels(
        entity,
        asRecord(beforeMeta.labels),
        asRecord(value),
        refused,
      );
    } else if (key === 'annotations') {
      guardAnnotations(
        entity,
        asRecord(beforeMeta.annotations),
        asRecord(value),
        refused,
      );
    } else if (METADATA_FIELDS.get(key)?.(value, namespace)) {
      setOrDelete(meta, key, value);
    } else {
      refused.push(`metadata.${key}`);
    }
  }

  const beforeSpec = asRecord(before.spec);
  const nextSpec = asRecord(next.spec);
  for (const key of keysOf(beforeSpec, nextSpec)) {
    const value = nextSpec[key];
    if (same(beforeSpec[key], value)) continue;
    if (SPEC_FIELDS.get(key)?.(value, namespace)) {
      setOrDelete((entity.spec ??= {}), key, value);
    } else {
      refused.push(`spec.${key}`);
    }
  }
  return { entity, refused };
}

function guardLabels(
  entity: Entity,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  refused: string[],
) {
  const labels: Record<string, string> = { ...entity.metadata.labels };
  for (const key of keysOf(before, after)) {
    const value = after[key];
    if (before[key] === value) continue;
    const valid =
      value === undefined ||
      (validator.isValidLabelKey(key) && validator.isValidLabelValue(value));
    if (isProtected(key) || !valid) {
      refused.push(`metadata.labels.${key}`);
    } else if (value === undefined) {
      delete labels[key];
    } else {
      labels[key] = value as string;
    }
  }
  entity.metadata.labels = labels;
}

function guardAnnotations(
  entity: Entity,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  refused: string[],
) {
  const annotations: Record<string, string> = {
    ...entity.metadata.annotations,
  };
  for (const key of keysOf(before, after)) {
    const value = after[key];
    if (before[key] === value) continue;
    if (
      key in before ||
      isProtected(key) ||
      !validator.isValidAnnotationKey(key) ||
      !validator.isValidAnnotationValue(value)
    ) {
      refused.push(`metadata.annotations.${key}`);
    } else {
      annotations[key] = value as string;
    }
  }
  entity.metadata.annotations = annotations;
}

function setOrDelete(
  record: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  if (value === undefined) delete record[key];
  else record[key] = value;
}
