import { crossplaneMachineryFields } from '../form/crossplaneFields';
import { Xrd, XrdTarget } from '../model/xrd';
import { NOT_FROM_INPUT } from './metadataKeys';

/**
 * Machinery a form may offer (its "Crossplane" step) and the render input
 * that sets it: template input sets these only through those inputs, never
 * as spec values.
 */
export const OFFERED_MACHINERY: Readonly<Record<string, string>> = {
  compositionRef: 'compositionRef',
  compositionSelector: 'compositionSelector',
  writeConnectionSecretToRef:
    'parameters.crossplane.writeConnectionSecretToRef',
};

/** Fields Crossplane writes itself. */
const SET_BY_CROSSPLANE = [
  'resourceRef',
  'resourceRefs',
  'claimRef',
  'compositionRevisionRef',
];

/**
 * The top-level spec fields Crossplane reads for a target, as Crossplane
 * generates them per layout: `spec.crossplane` of v2 composites, the
 * machinery fields of claims and v1 (and LegacyCluster) composites.
 *
 * @public
 */
export function crossplaneSpecFields(
  xrd: Xrd,
  target: XrdTarget,
): readonly string[] {
  return crossplaneMachineryFields(xrd, target);
}

/**
 * Why template input may not set a Crossplane machinery field as a spec
 * value.
 */
export function crossplaneSpecFieldReason(field: string): string {
  if (SET_BY_CROSSPLANE.includes(field))
    return `is set by Crossplane and ${NOT_FROM_INPUT}`;
  const input = Object.prototype.hasOwnProperty.call(OFFERED_MACHINERY, field)
    ? OFFERED_MACHINERY[field]
    : undefined;
  if (input) {
    return `selects Crossplane's machinery and cannot be set as a spec value; use the ${input} input`;
  }
  if (field === 'crossplane') {
    return `holds Crossplane's machinery and cannot be set as a spec value; use the compositionRef and compositionSelector inputs`;
  }
  return `controls Crossplane's machinery and ${NOT_FROM_INPUT}`;
}

/**
 * Why a top-level spec field may not come from template input as a spec
 * value, or undefined when it may. `spec.crossplane` of v2 composites and
 * the machinery fields of claims and v1 composites are Crossplane's; those a
 * form offers are set through their own input.
 *
 * @public
 */
export function specControlFieldProblem(
  field: string,
  xrd: Xrd,
  target: XrdTarget,
): string | undefined {
  return crossplaneSpecFields(xrd, target).includes(field)
    ? crossplaneSpecFieldReason(field)
    : undefined;
}
