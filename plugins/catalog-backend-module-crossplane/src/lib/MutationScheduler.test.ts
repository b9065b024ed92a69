import { MutationScheduler } from './MutationScheduler';

describe('MutationScheduler', () => {
  it('runs writes one at a time, in order, past a failure', async () => {
    const scheduler = new MutationScheduler({
      debounceMs: 1,
      onError: () => undefined,
    });
    const log: string[] = [];
    const write =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise(r => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      scheduler.run(write('a', 20, true)),
      scheduler.run(write('b', 1)),
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(results.map(r => r.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('batches a burst of triggers into one write and reports its failure', async () => {
    const errors: unknown[] = [];
    const scheduler = new MutationScheduler({
      debounceMs: 20,
      onError: error => errors.push(error),
    });
    let writes = 0;
    const write = async () => {
      writes++;
      throw new Error('catalog unavailable');
    };
    for (let i = 0; i < 5; i++) scheduler.trigger(write);
    await new Promise(r => setTimeout(r, 60));
    expect(writes).toBe(1);
    expect(String(errors[0])).toContain('catalog unavailable');

    scheduler.trigger(write);
    await new Promise(r => setTimeout(r, 60));
    expect(writes).toBe(2);
  });
});
