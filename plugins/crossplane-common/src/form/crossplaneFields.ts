import { Xrd, XrdTarget, usesCrossplaneSpecField } from '../model/xrd';

/** How a claim or composite chooses and follows its Composition. */
const COMPOSITION_FIELDS = [
  'compositionRef',
  'compositionSelector',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionUpdatePolicy',
] as const;

/**
 * The spec fields Crossplane adds to the CRDs it generates from an XRD
 * (`internal/xcrd` in Crossplane), per kind of object and release line.
 * Every other spec field is the XRD author's, whatever its name.
 *
 * - `v1Claim`, `v1Composite`: Crossplane 1.x, every XRD of the v1 API
 *   (`LegacyCluster`), directly under `spec`.
 * - `legacyClusterClaim`, `legacyClusterComposite`: Crossplane 2.x, XRDs
 *   of scope `LegacyCluster`: the v1 layout without External Secret Stores
 *   (`publishConnectionDetailsTo`) and `environmentConfigRefs`.
 * - `v2Composite`: Crossplane 2.x, scope `Namespaced` or `Cluster`: one
 *   field, `spec.crossplane`, which holds `v2CompositeMachinery`.
 */
export const CROSSPLANE_SPEC_FIELDS_BY_LAYOUT = {
  v1Claim: [
    ...COMPOSITION_FIELDS,
    'compositeDeletePolicy',
    'resourceRef',
    'writeConnectionSecretToRef',
    'publishConnectionDetailsTo',
  ],
  v1Composite: [
    ...COMPOSITION_FIELDS,
    'claimRef',
    'resourceRefs',
    'environmentConfigRefs',
    'writeConnectionSecretToRef',
    'publishConnectionDetailsTo',
  ],
  legacyClusterClaim: [
    ...COMPOSITION_FIELDS,
    'compositeDeletePolicy',
    'resourceRef',
    'writeConnectionSecretToRef',
  ],
  legacyClusterComposite: [
    ...COMPOSITION_FIELDS,
    'claimRef',
    'resourceRefs',
    'writeConnectionSecretToRef',
  ],
  v2Composite: ['crossplane'],
  v2CompositeMachinery: [...COMPOSITION_FIELDS, 'resourceRefs'],
} as const;

/** A top-level spec field that Crossplane adds to claims or composites. */
export type CrossplaneSpecField =
  (typeof CROSSPLANE_SPEC_FIELDS_BY_LAYOUT)[keyof typeof CROSSPLANE_SPEC_FIELDS_BY_LAYOUT][number];

/**
 * Every top-level spec field that Crossplane adds to a claim or composite
 * of some layout (see {@link crossplaneMachineryFields} for one target).
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
];

/**
 * Crossplane's own top-level spec fields of a claim or composite of this
 * XRD; generated forms leave them out unless asked for. A v1 XRD does not
 * tell which Crossplane serves it, so it gets the 1.x list, the larger one.
 */
export function crossplaneMachineryFields(
  xrd: Xrd,
  target: XrdTarget,
): readonly CrossplaneSpecField[] {
  const layouts = CROSSPLANE_SPEC_FIELDS_BY_LAYOUT;
  if (xrd.crossplaneVersion === 'v1') {
    return target === 'claim' ? layouts.v1Claim : layouts.v1Composite;
  }
  if (target === 'claim') return layouts.legacyClusterClaim;
  return usesCrossplaneSpecField(xrd)
    ? layouts.v2Composite
    : layouts.legacyClusterComposite;
}

/** Whether the target of an XRD can write a connection secret. */
export function supportsConnectionSecret(xrd: Xrd, target: XrdTarget): boolean {
  return crossplaneMachineryFields(xrd, target).some(
    field => field === 'writeConnectionSecretToRef',
  );
}
