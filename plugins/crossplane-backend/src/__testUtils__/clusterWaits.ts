import {
  getCompositeRef,
  getCondition,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import type { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';

/** An object's exact identity. */
type ObjectName = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

/** Waits until the object says it is Ready, and returns it. */
export function waitForReady(
  admin: KubernetesClusterClient,
  o: ObjectName,
  timeoutMs = 180_000,
): Promise<KubernetesObject> {
  return waitFor(
    `${o.kind} ${o.namespace}/${o.name} to be Ready`,
    async () => {
      const object = await admin.get(o);
      return getCondition(object, 'Ready')?.status === 'True'
        ? object
        : undefined;
    },
    timeoutMs,
  );
}

/** Waits until Crossplane has composed a claim, Ready: its composite's name. */
export function waitForComposed(
  admin: KubernetesClusterClient,
  claim: ObjectName,
  timeoutMs = 180_000,
): Promise<string> {
  return waitFor(
    `${claim.kind} ${claim.namespace}/${claim.name} to be Ready`,
    async () => {
      const object = await admin.get(claim);
      const xr = object && getCompositeRef(object)?.name;
      return getCondition(object, 'Ready')?.status === 'True' && xr
        ? xr
        : undefined;
    },
    timeoutMs,
  );
}

/**
 * Waits until an earlier run's object is gone or alive, never on its way
 * out: applying it again then makes it anew.
 */
export function waitUntilNotDeleting(
  admin: KubernetesClusterClient,
  o: ObjectName,
  timeoutMs = 180_000,
): Promise<true> {
  return waitFor(
    `${o.kind} ${o.name} to be gone or alive`,
    async () =>
      (await admin.get(o))?.metadata.deletionTimestamp ? undefined : true,
    timeoutMs,
  );
}
