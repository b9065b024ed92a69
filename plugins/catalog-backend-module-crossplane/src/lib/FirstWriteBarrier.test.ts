import { FirstWriteBarrier } from './FirstWriteBarrier';

describe('FirstWriteBarrier', () => {
  it('holds each party until all have arrived', async () => {
    const barrier = new FirstWriteBarrier({ parties: 2, maxWaitMs: 10_000 });
    let firstDone = false;
    const first = barrier.arrive().then(() => {
      firstDone = true;
    });
    await new Promise(r => setTimeout(r, 20));
    expect(firstDone).toBe(false);
    await barrier.arrive();
    await first;
    expect(firstDone).toBe(true);
  });

  it('holds a party no longer than the maximum wait', async () => {
    const barrier = new FirstWriteBarrier({ parties: 3, maxWaitMs: 30 });
    const started = Date.now();
    await barrier.arrive();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets the others go when a party leaves', async () => {
    const barrier = new FirstWriteBarrier({ parties: 2, maxWaitMs: 10_000 });
    const started = Date.now();
    const first = barrier.arrive();
    barrier.leave();
    await first;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
