import { InputError, NotFoundError } from '@backstage/errors';
import {
  dns1123SubdomainProblem,
  parseXrd,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';
import { XRD_API_VERSION, XRD_KIND } from './writeTargets';

/**
 * The XRD that defines a resource, read from the cluster: by XRD name, or by
 * the apiVersion and kind of its claim or composite.
 *
 * @internal
 */
export async function findXrd(
  client: ClusterClient,
  by: { xrd?: string; apiVersion?: string; kind?: string },
): Promise<Xrd> {
  if (by.xrd) {
    const problem = dns1123SubdomainProblem(by.xrd);
    if (problem) {
      throw new InputError(
        `xrd: ${problem}; an XRD is named <plural>.<group>, e.g. xpostgresqlinstances.database.example.org`,
      );
    }
    const object = await client.get({
      apiVersion: XRD_API_VERSION,
      kind: XRD_KIND,
      name: by.xrd,
    });
    if (!object) {
      throw new NotFoundError(
        `xrd: no CompositeResourceDefinition "${by.xrd}" in cluster ${client.name}`,
      );
    }
    return parseXrd(object);
  }
  if (!by.apiVersion || !by.kind) {
    throw new InputError(
      'xrd: give the XRD name, or the apiVersion and kind of the resource',
    );
  }
  const group = by.apiVersion.split('/')[0];
  const { items } = await client.list(XRD_API_VERSION, XRD_KIND);
  for (const item of items) {
    const xrd = parseXrd(item);
    if (
      xrd.group === group &&
      (xrd.names.kind === by.kind || xrd.claimNames?.kind === by.kind)
    ) {
      return xrd;
    }
  }
  throw new NotFoundError(
    `kind: no XRD in cluster ${client.name} defines ${by.kind} in group ${group}`,
  );
}
