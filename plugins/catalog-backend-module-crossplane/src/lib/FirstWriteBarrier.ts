/**
 * Lets the providers of several clusters all write their claims before any
 * of them writes the bulk of its entities, so that claims of every cluster
 * reach the catalog first. A provider waits after its claims until every
 * provider has written its own, or `maxWaitMs` at most. A provider whose
 * cluster fails before its first write leaves, so that an unreachable
 * cluster holds no one back; one that is merely slow to sync holds the
 * others back no longer than `maxWaitMs`.
 */
export class FirstWriteBarrier {
  #parties: number;
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
    this.#check();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, this.#maxWaitMs);
      timer.unref?.();
    });
    await Promise.race([this.#all, timeout]);
    clearTimeout(timer);
  }

  /** Called once by a provider that will not arrive soon. */
  leave(): void {
    this.#parties -= 1;
    this.#check();
  }

  #check() {
    if (this.#arrived >= this.#parties) this.#release();
  }
}
