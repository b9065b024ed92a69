import { waitUntilHeld } from './waitUntilHeld';

/** A clock that moves only when the waiter sleeps. */
function clock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

const hold = { intervalMs: 5_000, stallMs: 30_000, maxMs: 600_000 };

describe('waitUntilHeld', () => {
  it('is held as soon as the catalog holds every entity written ahead', async () => {
    const counts = [0, 10, 60, 100];
    const asked: number[] = [];
    const c = clock();
    const outcome = await waitUntilHeld({
      expected: 100,
      count: async () => {
        asked.push(c.now());
        return counts.shift()!;
      },
      writing: () => true,
      hold,
      ...c,
    });
    expect(outcome).toBe('held');
    expect(asked).toEqual([0, 1_000, 3_000, 7_000]);
  });

  it('is held at once when the catalog already holds them (a restart)', async () => {
    const c = clock();
    const outcome = await waitUntilHeld({
      expected: 3,
      count: async () => 3_000,
      writing: () => true,
      hold,
      ...c,
    });
    expect(outcome).toBe('held');
    expect(c.now()).toBe(0);
  });

  it('lets the bulk go when the count stops growing (an entity the catalog refuses)', async () => {
    const c = clock();
    const outcome = await waitUntilHeld({
      expected: 100,
      count: async () => Math.min(99, c.now() / 100),
      writing: () => true,
      hold,
      ...c,
    });
    expect(outcome).toBe('stalled');
    // Asked at 0, 1, 3, 7, 12, 17 s...: 99 from 12 s on; by 42 s it has
    // not grown for 30 s.
    expect(c.now()).toBe(42_000);
  });

  it('counts a failing count as no progress, and never waits past the maximum', async () => {
    const c = clock();
    const failing = await waitUntilHeld({
      expected: 5,
      count: async () => {
        throw new Error('catalog unavailable');
      },
      writing: () => true,
      hold,
      ...c,
    });
    expect(failing).toBe('stalled');
    expect(c.now()).toBe(32_000);

    const slow = clock();
    const growing = await waitUntilHeld({
      expected: 1_000_000,
      count: async () => slow.now(),
      writing: () => true,
      hold,
      ...slow,
    });
    expect(growing).toBe('timeout');
    expect(slow.now()).toBe(602_000);
  });

  it('stops when the writing window closes, without writing', async () => {
    const c = clock();
    let writing = true;
    const outcome = await waitUntilHeld({
      expected: 100,
      count: async () => {
        if (c.now() >= 7_000) writing = false;
        return 1;
      },
      writing: () => writing,
      hold,
      ...c,
    });
    expect(outcome).toBe('closed');
    expect(c.now()).toBe(7_000);
  });
});
