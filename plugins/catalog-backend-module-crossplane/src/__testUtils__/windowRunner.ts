import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';

/**
 * Runs a writer's window task as the scheduler would: `hold()` gives this
 * replica the window (until `release()`), as a global task's run does.
 */
export function windowRunner() {
  let task: SchedulerServiceTaskInvocationDefinition | undefined;
  let run: { abort: AbortController; done: Promise<unknown> } | undefined;
  return {
    taskRunner: {
      run: async (t: SchedulerServiceTaskInvocationDefinition) => {
        task = t;
      },
    },
    hold() {
      const abort = new AbortController();
      run = { abort, done: Promise.resolve(task!.fn(abort.signal)) };
    },
    async release() {
      run?.abort.abort();
      await run?.done;
      run = undefined;
    },
  };
}
