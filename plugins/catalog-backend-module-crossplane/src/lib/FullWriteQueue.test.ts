import { FullWriteQueue } from './FullWriteQueue';

describe('FullWriteQueue', () => {
  it('runs one write at a time, in the order asked', async () => {
    const queue = new FullWriteQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const write = (name: string, ms: number) =>
      queue.run(async () => {
        running += 1;
        most = Math.max(most, running);
        log.push(`${name} start`);
        await new Promise(r => setTimeout(r, ms));
        log.push(`${name} end`);
        running -= 1;
        return name;
      });
    const results = await Promise.all([
      write('a', 30),
      write('b', 5),
      write('c', 10),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual([
      'a start',
      'a end',
      'b start',
      'b end',
      'c start',
      'c end',
    ]);
  });

  it('gives a failed write its error and runs the next', async () => {
    const queue = new FullWriteQueue();
    const failed = queue.run(async () => {
      throw new Error('catalog gone');
    });
    const next = queue.run(async () => 'written');
    await expect(failed).rejects.toThrow('catalog gone');
    await expect(next).resolves.toBe('written');
  });
});
