import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  ClusterClient,
  ObjectLocator,
  WatchHandle,
} from '@platformops/plugin-crossplane-node';

/**
 * Calls `onChange` with the object's current state, then on every change,
 * with undefined once it is deleted, until the returned handle is stopped.
 * A watch that ends is resumed from a fresh read, so no change is missed.
 */
export async function watchObject(
  client: ClusterClient,
  locator: ObjectLocator,
  onChange: (object: KubernetesObject | undefined) => void,
  onError: (error: Error) => void,
): Promise<WatchHandle> {
  let stopped = false;
  let handle: WatchHandle | undefined;

  const start = async () => {
    const current = await client.get(locator);
    if (stopped) return;
    onChange(current);
    handle = await client.watch(
      locator.apiVersion,
      locator.kind,
      {
        namespace: locator.namespace,
        fieldSelector: `metadata.name=${locator.name}`,
        resourceVersion: current?.metadata.resourceVersion,
      },
      event => {
        if (event.type === 'BOOKMARK') return;
        onChange(event.type === 'DELETED' ? undefined : event.object);
      },
      error => {
        if (stopped) return;
        if (error) onError(error);
        // Resume after the server closed the watch or it expired.
        setTimeout(() => start().catch(onError), error ? 1000 : 0);
      },
    );
  };

  await start();
  return {
    stop() {
      stopped = true;
      handle?.stop();
    },
  };
}
