import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Order in which entities go to the catalog. The catalog processes new
 * entities oldest first, about ten at a time; entities written in one
 * mutation tie, and ties go in no particular order. Claims come first
 * because they are what developers look for; managed resources, the bulk of
 * a cluster, last.
 */
const RANK_BY_TYPE: Record<string, number> = {
  'kubernetes-cluster': 0,
  'crossplane-claim': 1,
  'crossplane-xr': 2,
  'crossplane-xrd': 3,
};
const OTHER_RANK = 4;
const MANAGED_RANK = 5;

function rank(entity: Entity): number {
  const type = entity.spec?.type;
  if (typeof type !== 'string') return OTHER_RANK;
  if (type === 'crossplane-managed') return MANAGED_RANK;
  return RANK_BY_TYPE[type] ?? OTHER_RANK;
}

/** The entities in ingestion order (stable within a rank). */
export function inIngestionOrder<T extends { entity: Entity }>(
  items: readonly T[],
): T[] {
  return [...items].sort((a, b) => rank(a.entity) - rank(b.entity));
}

/** Ranks written in a first stage of their own, before the rest. */
const FIRST_STAGE_MAX_RANK = RANK_BY_TYPE['crossplane-claim'];

/**
 * Entities in ingestion order split into the two stages of a first write:
 * the cluster, the claims and the XRs no claim stands for (Crossplane v2's
 * XRs, which are what developers look for there), then everything else.
 * Written as separate mutations they get different times, which the
 * catalog does order by.
 */
export function ingestionStages<T extends { entity: Entity }>(
  ordered: readonly T[],
): [T[], T[]] {
  const behindClaims = new Set(
    ordered
      .filter(i => i.entity.spec?.type === 'crossplane-claim')
      .flatMap(i => (i.entity.spec?.dependsOn as string[] | undefined) ?? []),
  );
  const first = (i: T) =>
    rank(i.entity) <= FIRST_STAGE_MAX_RANK ||
    (i.entity.spec?.type === 'crossplane-xr' &&
      !behindClaims.has(stringifyEntityRef(i.entity)));
  return [ordered.filter(first), ordered.filter(i => !first(i))];
}

/**
 * A first-stage entity as written to a new catalog: without `dependsOn`,
 * whose other ends (composites, managed resources) the catalog does not
 * hold yet. Processing an entity queues each of its relations' other ends
 * for stitching, and an end not processed yet is stitched for nothing, in
 * the claims' own queue. The full mutation after them writes them whole.
 */
export function withoutDependencies<T extends { entity: Entity }>(item: T): T {
  const spec = item.entity.spec;
  if (!spec || !('dependsOn' in spec)) return item;
  const { dependsOn: _, ...rest } = spec;
  return { ...item, entity: { ...item.entity, spec: rest } };
}
