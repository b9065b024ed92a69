import { CROSSPLANE_ENTITY_ANNOTATIONS } from '@platformops/plugin-crossplane-common';

/** Annotations PlatformOps sets on every ingested entity. */
export const CROSSPLANE_ANNOTATIONS = CROSSPLANE_ENTITY_ANNOTATIONS;

/** Label with the health in lower case, for catalog filters and badges. */
export const HEALTH_LABEL = 'platformops.io/health';
