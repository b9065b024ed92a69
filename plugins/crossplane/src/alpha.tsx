import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { crossplaneApiRef } from './api/CrossplaneApi';
import { CrossplaneClient } from './api/CrossplaneClient';
import { rootRouteRef } from './routes';

/** The API client, for the new frontend system. */
export const crossplaneApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: crossplaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CrossplaneClient(deps),
    }),
});

/** The control-plane page at /crossplane, with its nav item. */
export const crossplaneControlPlanePage = PageBlueprint.make({
  params: {
    path: '/crossplane',
    title: 'Control plane',
    icon: <DeviceHubIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/ControlPlanePage').then(m => <m.ControlPlanePage />),
  },
});

/**
 * The PlatformOps frontend plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'crossplane',
  title: 'Control plane',
  icon: <DeviceHubIcon />,
  extensions: [crossplaneApi, crossplaneControlPlanePage],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});
