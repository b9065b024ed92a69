import { InputError } from '@backstage/errors';
import {
  Composition,
  compositionMatches,
  parseComposition,
  resolveXrdVersion,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterClient } from '../client/types';

const COMPOSITION_API_VERSION = 'apiextensions.crossplane.io/v1';

/**
 * The Compositions of the cluster whose `compositeTypeRef` is the XRD's
 * composite type, sorted by name; malformed ones are left out.
 *
 * @internal
 */
export async function compositionsOf(
  client: ClusterClient,
  xrd: Xrd,
): Promise<Composition[]> {
  const { items } = await client.list(COMPOSITION_API_VERSION, 'Composition');
  const composite = {
    apiVersion: `${xrd.group}/${resolveXrdVersion(xrd).name}`,
    kind: xrd.names.kind,
  };
  return items
    .flatMap(object => {
      try {
        return [parseComposition(object)];
      } catch {
        return []; // A malformed Composition composes nothing.
      }
    })
    .filter(composition => compositionMatches(composition, composite))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Checks a Composition chosen in a form against the cluster: it must be
 * one of the XRD's own, never taken on the input's word. Throws an
 * `InputError` naming the field.
 *
 * @internal
 */
export async function checkCompositionChoice(
  client: ClusterClient,
  xrd: Xrd,
  name: string | undefined,
  field = 'compositionRef',
): Promise<void> {
  if (!name) return;
  const offered = (await compositionsOf(client, xrd)).map(c => c.name);
  if (!offered.includes(name)) {
    throw new InputError(
      `${field}: ${JSON.stringify(name)} is not a Composition of ${
        xrd.names.kind
      } in cluster ${client.name} (its Compositions: ${
        offered.join(', ') || 'none'
      })`,
    );
  }
}
