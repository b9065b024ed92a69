/**
 * Lets the providers of several clusters all write their claims before any
 * of them writes the bulk of its entities, so that claims of every cluster
 * reach the catalog first. A provider waits after its claims until every
 * provider has written its own, or `maxWaitMs` at most: a cluster that is
 * slow to sync, or unreachable, holds the others back no longer than that.
 */
export class FirstWriteBarrier {
  readonly #parties: number;
  readonly #maxWaitMs: number;
  readonly #all: Promise<void>;
  #arrived = 0;
  #release!: () => void;

  constructor(options: { parties: number; maxWaitMs: number }) {
    this.#parties = options.parties;
    this.#maxWaitMs = options.maxWaitMs;
    this.#all = new Promise(resolve => {
      this.#release = resolve;
    });
  }

  /** Called once per provider after its claims; resolves when all are in. */
  async arrive(): Promise<void> {
    this.#arrived += 1;
    if (this.#arrived >= this.#parties) this.#release();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, this.#maxWaitMs);
      timer.unref?.();
    });
    await Promise.race([this.#all, timeout]);
    clearTimeout(timer);
  }
}
