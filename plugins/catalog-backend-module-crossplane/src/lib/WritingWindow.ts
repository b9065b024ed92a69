import {
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';

/**
 * How often a replica asks whether a writing window is free: the longest a
 * handover waits besides the next window's full mutation. Also how long a
 * cluster's first window can wait at start: the scheduler polls its tasks
 * together, and a task registered after a poll began waits for the next,
 * while the clusters' first writes wait for each other (one query of the
 * tasks table a poll, for all of them).
 */
const WINDOW_POLL = { milliseconds: 200 };
/**
 * Time left after a writing window for its last write to finish, before the
 * scheduler's lock on it expires.
 */
const WINDOW_GRACE_MS = 30_000;

/**
 * The runner of a writing window of `lengthMs`: the scheduler's global lock,
 * so that one replica at a time holds it.
 */
export function writingWindowRunner(
  scheduler: SchedulerService,
  lengthMs: number,
): SchedulerServiceTaskRunner {
  return scheduler.createScheduledTaskRunner({
    scope: 'global',
    frequency: WINDOW_POLL,
    timeout: { milliseconds: lengthMs + WINDOW_GRACE_MS },
  });
}

/**
 * Schedules a writer's windows on `taskRunner` (see
 * {@link writingWindowRunner}) under the global task id `id`: each run
 * holds one window (see {@link holdWritingWindow}).
 */
export function runWritingWindows(options: {
  taskRunner: SchedulerServiceTaskRunner;
  id: string;
  lengthMs: number;
  open: () => Promise<void>;
  close: () => Promise<void>;
}): Promise<void> {
  const { taskRunner, id, ...window } = options;
  return taskRunner.run({
    id,
    fn: signal => holdWritingWindow({ signal, ...window }),
  });
}

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
