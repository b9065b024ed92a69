import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { crossplaneClustersServiceRef } from '@platformops/plugin-crossplane-node';
import { createCrossplaneApplyAction } from '../actions/apply';
import { createCrossplaneDeleteAction } from '../actions/delete';
import { createCrossplaneRenderAction } from '../actions/render';
import { createCrossplaneWaitAction } from '../actions/wait';

/**
 * Registers the `crossplane:*` scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleCrossplane = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'crossplane',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        clusters: crossplaneClustersServiceRef,
        permissions: coreServices.permissions,
      },
      async init({ scaffolder, clusters, permissions }) {
        scaffolder.addActions(
          createCrossplaneRenderAction({ clusters }),
          createCrossplaneApplyAction({ clusters, permissions }),
          createCrossplaneWaitAction({ clusters }),
          createCrossplaneDeleteAction({ clusters, permissions }),
        );
      },
    });
  },
});
