import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  claim,
  composite,
  nop,
  ready,
  synced,
} from '../src/__fixtures__/demoCluster';

/** What a failing claim, its composite and its first managed resource say. */
const failing = {
  type: 'Ready',
  status: 'False',
  reason: 'ReconcileError',
  message: 'storage quota exceeded',
};

/**
 * A claim with its composite (`xr`) and 3 managed resources: 5 objects.
 * A broken one fails at its first managed resource, and so do the claim
 * and the composite.
 */
export function claimTree(
  name: string,
  namespace: string,
  xr: string,
  broken: boolean,
): KubernetesObject[] {
  const servers = [0, 1, 2].map(j => `${xr}-mr-${j}`);
  return [
    claim(name, namespace, xr, namespace, [synced, broken ? failing : ready()]),
    composite(xr, name, namespace, servers, [
      synced,
      broken ? failing : ready(),
    ]),
    ...servers.map((server, j) =>
      nop(server, xr, [synced, broken && j === 0 ? failing : ready()]),
    ),
  ];
}
