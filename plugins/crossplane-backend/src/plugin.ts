import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { crossplanePermissions } from '@platformops/plugin-crossplane-common';
import { crossplaneClustersServiceRef } from '@platformops/plugin-crossplane-node';
import { createRouter } from './service/router';

/**
 * The PlatformOps status backend: live Crossplane status for the frontend,
 * mounted at `/api/crossplane`.
 *
 * @public
 */
export const crossplanePlugin = createBackendPlugin({
  pluginId: 'crossplane',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        clusters: crossplaneClustersServiceRef,
      },
      async init({
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        clusters,
      }) {
        permissionsRegistry.addPermissions(crossplanePermissions);
        httpRouter.use(
          await createRouter({ logger, httpAuth, permissions, clusters }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
