import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  crossplaneClustersServiceRef,
  readEntityMapping,
  readNamespacePolicy,
  readWritableKinds,
} from '@platformops/plugin-crossplane-node';
import { createCrossplaneApplyAction } from '../actions/apply';
import { createCrossplaneAwaitEntityAction } from '../actions/awaitEntity';
import { createCrossplaneDeleteAction } from '../actions/delete';
import { createCrossplaneRenderAction } from '../actions/render';
import { createCrossplaneWaitAction } from '../actions/wait';
import { createCrossplanePauseAction } from '../actions/pause';
import { createCrossplaneResumeAction } from '../actions/resume';
import { createCrossplaneReconcileAction } from '../actions/reconcile';
import { createCrossplaneEditAction } from '../actions/edit';
import { createCrossplaneUpgradeAction } from '../actions/upgrade';
import { withUserFacingErrors } from '../lib/userFacingErrors';

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
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({
        scaffolder,
        clusters,
        permissions,
        auditor,
        config,
        catalog,
        auth,
      }) {
        // The catalog locator reads the catalog with this module's credentials.
        clusters.readCatalogWith({ catalog, auth });
        const namespaces = readNamespacePolicy(config);
        const writable = readWritableKinds(config);
        const actions = [
          createCrossplaneRenderAction({
            clusters,
            mapping: readEntityMapping(config),
            catalog,
            namespacePolicy: namespaces,
          }),
          createCrossplaneApplyAction({
            clusters,
            permissions,
            writable,
            namespaces,
          }),
          createCrossplaneWaitAction({ clusters, permissions }),
          createCrossplaneDeleteAction({
            clusters,
            permissions,
            writable,
            namespaces,
          }),
          createCrossplaneAwaitEntityAction({ catalog, permissions }),
          createCrossplanePauseAction({ clusters, permissions, auditor }),
          createCrossplaneResumeAction({ clusters, permissions, auditor }),
          createCrossplaneReconcileAction({ clusters, permissions, auditor }),
          createCrossplaneEditAction({
            clusters,
            permissions,
            auditor,
            namespaces,
          }),
          createCrossplaneUpgradeAction({ clusters, permissions, auditor }),
        ];
        scaffolder.addActions(...actions.map(withUserFacingErrors));
      },
    });
  },
});
