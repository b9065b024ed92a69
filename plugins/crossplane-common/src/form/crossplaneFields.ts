import { Xrd, XrdTarget, usesCrossplaneSpecField } from '../model/xrd';

/**
 * Fields of a claim or composite spec that Crossplane manages or that
 * select its machinery. They are left out of generated forms unless asked
 * for.
 *
 * @public
 */
export const CROSSPLANE_SPEC_FIELDS: readonly string[] = [
  'crossplane',
  'compositionRef',
  'compositionSelector',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionUpdatePolicy',
  'compositeDeletePolicy',
  'resourceRef',
  'resourceRefs',
  'claimRef',
  'writeConnectionSecretToRef',
  'publishConnectionDetailsTo',
  'environmentConfigRefs',
  'environment',
];

/** Whether the target of an XRD can write a connection secret. */
export function supportsConnectionSecret(xrd: Xrd, target: XrdTarget): boolean {
  return !usesCrossplaneSpecField(xrd) || target === 'claim';
}
