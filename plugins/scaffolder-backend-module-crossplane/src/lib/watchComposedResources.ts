import {
  getCompositeRef,
  getCondition,
  getResourceRefs,
  KubernetesObject,
  ObjectRef,
  objectRefKey,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterClient,
  ObjectLocator,
  WatchHandle,
} from '@platformops/plugin-crossplane-node';
import { describeConditions } from './describeConditions';
import { watchObject } from './watchObject';

/**
 * At most this many composed resources are watched at once: one watch each,
 * so a very large composite cannot open an unbounded number of connections.
 */
export const MAX_WATCHED_COMPOSED = 20;

/** What the waited object's composition is doing, as it changes. */
export interface ComposedResourcesWatch {
  /** Feeds every state of the waited claim or composite. */
  observe(object: KubernetesObject): void;
  stop(): void;
}

/**
 * Follows the composite behind a claim (`spec.resourceRef`) and the
 * resources it composes (`spec.resourceRefs` or
 * `spec.crossplane.resourceRefs`), watching each, and reports every change
 * of a composed resource's Ready condition: the claim only says "Unready
 * resources", the composed resources say which one and why.
 */
export function watchComposedResources(
  client: ClusterClient,
  report: (line: string) => void,
  onError: (error: Error) => void,
): ComposedResourcesWatch {
  let stopped = false;
  let composite:
    | { key: string; handle: Promise<WatchHandle | void> }
    | undefined;
  const composed = new Map<string, Promise<WatchHandle | void>>();
  const lastReady = new Map<string, string>();
  let reportedLimit = false;

  const watch = (
    locator: ObjectLocator,
    onChange: (object: KubernetesObject | undefined) => void,
  ) =>
    watchObject(
      client,
      locator,
      object => {
        if (!stopped) onChange(object);
      },
      onError,
    ).catch(onError);

  const stopWatch = (handle: Promise<WatchHandle | void>) =>
    handle.then(h => h?.stop());

  const followComposed = (refs: ObjectRef[]) => {
    const wanted = new Map<string, ObjectLocator>();
    for (const ref of refs) {
      if (ref.apiVersion) {
        wanted.set(objectRefKey(ref), { ...ref, apiVersion: ref.apiVersion });
      }
    }
    for (const [key, handle] of composed) {
      if (!wanted.has(key)) {
        composed.delete(key);
        stopWatch(handle);
      }
    }
    for (const [key, locator] of wanted) {
      if (composed.has(key)) continue;
      if (composed.size >= MAX_WATCHED_COMPOSED) {
        if (!reportedLimit) {
          reportedLimit = true;
          report(
            `Following the Ready condition of the first ${MAX_WATCHED_COMPOSED} of ${wanted.size} composed resources`,
          );
        }
        break;
      }
      composed.set(
        key,
        watch(locator, object => {
          if (!object) return;
          const ready = getCondition(object, 'Ready');
          const state = ready
            ? describeConditions([ready])
            : 'no Ready condition yet';
          if (lastReady.get(key) === state) return;
          lastReady.set(key, state);
          report(`${locator.kind} ${locator.name}: ${state}`);
        }),
      );
    }
  };

  return {
    observe(object) {
      if (stopped) return;
      const ref = getCompositeRef(object);
      if (!ref?.apiVersion) {
        // A composite itself: its own references are the composed resources.
        followComposed(getResourceRefs(object));
        return;
      }
      const key = objectRefKey(ref);
      if (composite?.key === key) return;
      if (composite) stopWatch(composite.handle);
      composite = {
        key,
        handle: watch({ ...ref, apiVersion: ref.apiVersion }, xr =>
          followComposed(xr ? getResourceRefs(xr) : []),
        ),
      };
    },
    stop() {
      stopped = true;
      if (composite) stopWatch(composite.handle);
      composed.forEach(stopWatch);
      composed.clear();
    },
  };
}
