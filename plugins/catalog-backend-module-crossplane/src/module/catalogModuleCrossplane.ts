import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readClusterConfigs } from '@platformops/plugin-crossplane-node';
import { CrossplaneEntityProvider } from '../providers/CrossplaneEntityProvider';

/**
 * Registers the Crossplane entity provider with the catalog.
 *
 * @public
 */
export const catalogModuleCrossplane = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'crossplane',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        catalog.addEntityProvider(
          new CrossplaneEntityProvider({
            clusters: readClusterConfigs(config),
            logger,
            taskRunner: scheduler.createScheduledTaskRunner({
              frequency: { minutes: 5 },
              timeout: { minutes: 3 },
            }),
          }),
        );
      },
    });
  },
});
