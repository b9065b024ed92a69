import { CrossplanePermissionSubject } from '@platformops/plugin-crossplane-common';

/** Which objects, by their permission subject, a caller may see. */
export type Visibility = (subject: CrossplanePermissionSubject) => boolean;

/**
 * The visibility of a caller allowed every object. Answers computed for it
 * are the same for every such caller, so they may be shared (see the
 * status service's summary).
 */
export const everyObject: Visibility = () => true;
