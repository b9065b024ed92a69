import { createRouteRef } from '@backstage/core-plugin-api';

/** The control-plane page. */
export const rootRouteRef = createRouteRef({ id: 'crossplane' });
