import { retryDelay } from './backoff';

describe('retryDelay', () => {
  it('doubles per failure up to the bound, less up to half at random', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 6].map(f => retryDelay(f, 1000, 30_000, () => 0)),
    ).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(retryDelay(2, 1000, 30_000, () => 1)).toBe(2000);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(10, 1000, 30_000);
      expect(delay).toBeGreaterThanOrEqual(15_000);
      expect(delay).toBeLessThanOrEqual(30_000);
    }
  });
});
