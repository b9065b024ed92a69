/**
 * One replica's turn at writing a cluster's entities, as the run of a global
 * scheduled task: the scheduler lets one replica at a time run it (its lock
 * lives in the shared database), so while the run lasts this replica is the
 * cluster's only writer. The run opens the window, holds it for `lengthMs`
 * (or until the scheduler aborts it: shutdown, timeout, lost lock), then
 * closes it and returns, which hands the next window to any replica.
 */
export async function holdWritingWindow(options: {
  signal: AbortSignal;
  lengthMs: number;
  /** Starts writing; the window is held while this runs. */
  open: () => Promise<void>;
  /** Stops writing; resolves once no write of this window is in flight. */
  close: () => Promise<void>;
}): Promise<void> {
  const { signal, lengthMs, open, close } = options;
  try {
    await open();
    await new Promise<void>(resolve => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, lengthMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  } finally {
    await close();
  }
}
