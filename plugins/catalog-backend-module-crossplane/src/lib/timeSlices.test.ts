import { timeSlices } from './timeSlices';

describe('timeSlices', () => {
  it('lets a timer run during a long loop, and does not yield within a slice', async () => {
    let timerRan = false;
    let roundsBeforeTimer = 0;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    const next = timeSlices(5);
    const until = Date.now() + 50;
    let rounds = 0;
    while (Date.now() < until) {
      rounds += 1;
      if (!timerRan) roundsBeforeTimer = rounds;
      await next();
    }
    expect(timerRan).toBe(true);
    // Within the first 5 ms slice, the loop ran without yielding.
    expect(roundsBeforeTimer).toBeGreaterThan(10);
  });
});
