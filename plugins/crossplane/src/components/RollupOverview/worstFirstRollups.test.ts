import { EntityRollup, HealthStatus } from '../../api/types';
import { MAX_ROLLUPS, worstFirstRollups } from './worstFirstRollups';

function rollup(name: string, status: HealthStatus): EntityRollup {
  return {
    entityRef: `system:default/${name}`,
    health: { status },
    sources: [],
    computedAt: '2026-12-05T10:01:00Z',
  };
}

/** A backend holding `all` in name order, in pages of 20. */
function pagedApi(all: EntityRollup[]) {
  return {
    listRollups: jest.fn(
      async (_by: string, page: { offset?: number } = {}) => {
        const offset = page.offset ?? 0;
        return {
          items: all.slice(offset, offset + 20),
          page: { offset, limit: 20, total: all.length },
        };
      },
    ),
  };
}

describe('worstFirstRollups', () => {
  it('reads every page and puts the worst first, name order among equals', async () => {
    const all = Array.from({ length: 45 }, (_, i) =>
      rollup(
        `s${String(i).padStart(2, '0')}`,
        i % 10 === 7 ? 'Degraded' : 'Healthy',
      ),
    );
    all[30] = rollup('s30', 'Progressing');
    const api = pagedApi(all);

    const { rollups, total } = await worstFirstRollups(api, 'system');

    expect(total).toBe(45);
    expect(rollups).toHaveLength(45);
    expect(rollups.slice(0, 6).map(r => r.entityRef)).toEqual([
      'system:default/s07',
      'system:default/s17',
      'system:default/s27',
      'system:default/s37',
      'system:default/s30',
      'system:default/s00',
    ]);
    expect(api.listRollups.mock.calls.map(c => c[1])).toEqual([
      { offset: 0 },
      { offset: 20 },
      { offset: 40 },
    ]);
  });

  it(`stops at ${MAX_ROLLUPS}, saying how many there are`, async () => {
    const all = Array.from({ length: 250 }, (_, i) =>
      rollup(`s${String(i).padStart(3, '0')}`, 'Healthy'),
    );
    const api = pagedApi(all);

    const { rollups, total } = await worstFirstRollups(api, 'owner');

    expect(rollups).toHaveLength(MAX_ROLLUPS);
    expect(total).toBe(250);
    expect(api.listRollups).toHaveBeenCalledTimes(MAX_ROLLUPS / 20);
  });
});
