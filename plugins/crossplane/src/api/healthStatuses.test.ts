import { compareHealth } from '@platformops/plugin-crossplane-common';
import { HEALTH_STATUSES } from './types';

describe('HEALTH_STATUSES', () => {
  it('lists every status worst first, in the order health values are compared', () => {
    expect(new Set(HEALTH_STATUSES).size).toBe(6);
    const pairs = HEALTH_STATUSES.slice(1).map((better, i) => [
      HEALTH_STATUSES[i],
      better,
    ]);
    for (const [worse, better] of pairs) {
      expect({
        worse,
        better,
        compared: Math.sign(
          compareHealth({ status: worse }, { status: better }),
        ),
      }).toEqual({ worse, better, compared: 1 });
    }
  });
});
