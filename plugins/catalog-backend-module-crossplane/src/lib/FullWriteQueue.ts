/**
 * Runs the clusters' full writes one at a time. For a full mutation the
 * catalog hashes, serializes and compares every entity of the cluster at
 * once, in one transaction; clusters doing so together multiply the
 * process's peak memory (the largest part of it at 100k objects) for no
 * gain in time, as the catalog then processes the entities one by one
 * whichever cluster wrote them. A failed write does not hold the next.
 */
export class FullWriteQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(write);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
