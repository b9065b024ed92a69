/**
 * At most `max` lists of one cluster at a time, the others queued in call
 * order: after an outage every kind relists at once, and a few hundred
 * concurrent lists would only slow each other and the API server down.
 */
export class ListLimiter {
  readonly #max: number;
  readonly #queue: (() => void)[] = [];
  #active = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new Error(
        `maxConcurrentLists: must be a whole number of at least 1, got ${max}`,
      );
    }
    this.#max = max;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active < this.#max) {
      this.#active += 1;
    } else {
      // The releasing run hands its slot over: #active stays the same.
      await new Promise<void>(resolve => this.#queue.push(resolve));
    }
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
