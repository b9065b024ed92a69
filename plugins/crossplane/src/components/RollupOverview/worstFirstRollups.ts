import { compareHealth } from '@platformops/plugin-crossplane-common';
import { CrossplaneApi } from '../../api/CrossplaneApi';
import { EntityRollup, RollupGrouping } from '../../api/types';

/** Most roll-ups the control-plane page reads per grouping. */
export const MAX_ROLLUPS = 100;

/**
 * The roll-ups of every System or owner (the first {@link MAX_ROLLUPS} by
 * name), worst first; those equally bad stay in name order. `total`
 * counts them all.
 */
export async function worstFirstRollups(
  api: Pick<CrossplaneApi, 'listRollups'>,
  by: RollupGrouping,
): Promise<{ rollups: EntityRollup[]; total: number }> {
  const rollups: EntityRollup[] = [];
  let total = 0;
  // The backend pages in name order; read every page up to the bound.
  for (;;) {
    const { items, page } = await api.listRollups(by, {
      offset: rollups.length,
    });
    rollups.push(...items);
    total = page.total;
    if (items.length === 0 || rollups.length >= Math.min(total, MAX_ROLLUPS))
      break;
  }
  const shown = rollups.slice(0, MAX_ROLLUPS);
  // Array.prototype.sort is stable: name order within one health.
  shown.sort((a, b) => compareHealth(b.health, a.health));
  return { rollups: shown, total };
}
