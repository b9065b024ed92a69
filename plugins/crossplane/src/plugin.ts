import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { crossplaneApiRef } from './api/CrossplaneApi';
import { CrossplaneClient } from './api/CrossplaneClient';
import { rootRouteRef } from './routes';

/**
 * The PlatformOps frontend plugin (legacy frontend system).
 *
 * @public
 */
export const crossplanePlugin = createPlugin({
  id: 'crossplane',
  apis: [
    createApiFactory({
      api: crossplaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CrossplaneClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The control-plane page (legacy frontend system).
 *
 * @public
 */
export const CrossplaneControlPlanePage = crossplanePlugin.provide(
  createRoutableExtension({
    name: 'CrossplaneControlPlanePage',
    component: () =>
      import('./components/ControlPlanePage').then(m => m.ControlPlanePage),
    mountPoint: rootRouteRef,
  }),
);
