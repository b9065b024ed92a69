import { CROSSPLANE_ENTITY_ANNOTATIONS } from '@platformops/plugin-crossplane-common';

/**
 * Label with the health in lower case, for catalog filters and badges: the
 * key of the health annotation.
 */
export const HEALTH_LABEL = CROSSPLANE_ENTITY_ANNOTATIONS.health;
