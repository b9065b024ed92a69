import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { crossplanePermissions } from '@platformops/plugin-crossplane-common';
import {
  crossplaneClustersServiceRef,
  crossplaneObjectCacheServiceRef,
  readEntityNaming,
  readOwnerRules,
} from '@platformops/plugin-crossplane-node';
import { createRouter } from './service/router';
import {
  crossplaneObjectResourceRef,
  crossplaneObjectRules,
} from './service/permissionRules';
import { StatusService } from './service/StatusService';
import { ObjectAuthorizer } from './service/ObjectAuthorizer';
import { LifecycleService } from './service/lifecycle/LifecycleService';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        clusters: crossplaneClustersServiceRef,
        cache: crossplaneObjectCacheServiceRef,
      },
      async init(deps) {
        const {
          config,
          logger,
          httpRouter,
          httpAuth,
          auditor,
          permissions,
          permissionsRegistry,
          clusters,
          cache,
        } = deps;
        cache.start();
        const status = new StatusService({
          cache,
          clusters,
          naming: readEntityNaming(config),
          owners: readOwnerRules(config),
        });
        permissionsRegistry.addPermissions(crossplanePermissions);
        permissionsRegistry.addResourceType({
          resourceRef: crossplaneObjectResourceRef,
          permissions: crossplanePermissions.filter(p => p.type === 'resource'),
          rules: Object.values(crossplaneObjectRules),
          // Conditions are applied to what the cluster says of the object.
          getResources: refs => status.subjects.ofRefs(refs),
        });
        const rules = permissionsRegistry.getPermissionRuleset(
          crossplaneObjectResourceRef,
        );
        const lifecycle = new LifecycleService({
          status,
          clusters,
          authorizer: new ObjectAuthorizer({
            permissions,
            rules,
            subjects: status.subjects,
          }),
          auditor,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            rules,
            status,
            lifecycle,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
