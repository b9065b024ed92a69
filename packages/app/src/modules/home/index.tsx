import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

/**
 * The portal opens on the control-plane page: every resource the user may
 * see, failing first, across clusters.
 */
const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    loader: async () => <Navigate to="/crossplane" replace />,
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [homePage],
});
