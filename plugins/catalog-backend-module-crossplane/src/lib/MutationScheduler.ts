/**
 * How an entity provider writes to the catalog: one mutation at a time, in
 * call order (a failed one does not stop the next), and bursts of cluster
 * changes batched into one write after `debounceMs`.
 */
export class MutationScheduler {
  readonly #debounceMs: number;
  readonly #onError: (error: unknown) => void;
  #tail: Promise<void> = Promise.resolve();
  #timer?: ReturnType<typeof setTimeout>;

  constructor(options: {
    debounceMs: number;
    /** Told of a failed write started by {@link MutationScheduler.trigger}. */
    onError: (error: unknown) => void;
  }) {
    this.#debounceMs = options.debounceMs;
    this.#onError = options.onError;
  }

  /** Runs `write` once every earlier one has settled. */
  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(write, write);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Calls `write` `debounceMs` after the first call of a burst; the calls
   * that follow within that time add nothing. `write` orders itself with
   * {@link MutationScheduler.run}.
   */
  trigger(write: () => Promise<unknown>): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      write().catch(this.#onError);
    }, this.#debounceMs);
  }
}
