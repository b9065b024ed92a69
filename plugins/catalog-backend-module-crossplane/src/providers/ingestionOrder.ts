import { Entity } from '@backstage/catalog-model';

/**
 * Order in which a mutation hands entities to the catalog. The catalog
 * processes new entities oldest first, about ten at a time, and entities
 * written together tie; they then go in the order written. Claims come first
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
