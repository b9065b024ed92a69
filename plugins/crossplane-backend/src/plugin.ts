import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { crossplanePermissions } from '@platformops/plugin-crossplane-common';
import {
  crossplaneClustersServiceRef,
  crossplaneStatusSourcesExtensionPoint,
  StatusSource,
  crossplaneObjectCacheServiceRef,
  readEntityMapping,
  readNamespacePolicy,
  readWritableKinds,
} from '@platformops/plugin-crossplane-node';
import { createRouter } from './service/router';
import {
  crossplaneObjectResourceRef,
  crossplaneObjectRules,
} from './service/permissionRules';
import { StatusService } from './service/StatusService';
import { ObjectAuthorizer } from './service/ObjectAuthorizer';
import { LifecycleService } from './service/lifecycle/LifecycleService';
import { DeleteService } from './service/lifecycle/DeleteService';
import { EditService } from './service/lifecycle/EditService';
import { CreateService } from './service/lifecycle/CreateService';
import { CreateChoices } from './service/CreateChoices';
import { UpgradeService } from './service/lifecycle/UpgradeService';
import {
  AuditRecordStore,
  readAuditRetention,
} from './service/audit/AuditRecordStore';
import { RecordingAuditor } from './service/audit/RecordingAuditor';
import { TimelineService } from './service/audit/TimelineService';
import { registerCrossplaneActions } from './actions/registerCrossplaneActions';
import { createRollupService } from './service/rollup/createRollupService';
import { GitOpsPullRequests } from './service/gitops/GitOpsPullRequests';

/**
 * The PlatformOps status backend: live Crossplane status for the frontend,
 * mounted at `/api/crossplane`.
 *
 * @public
 */
export const crossplanePlugin = createBackendPlugin({
  pluginId: 'crossplane',
  register(env) {
    const statusSources: StatusSource[] = [];
    env.registerExtensionPoint(crossplaneStatusSourcesExtensionPoint, {
      addStatusSource(...sources) {
        statusSources.push(...sources.flat());
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        clusters: crossplaneClustersServiceRef,
        catalog: catalogServiceRef,
        cache: crossplaneObjectCacheServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        pluginLifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const {
          config,
          logger,
          httpRouter,
          httpAuth,
          auth,
          auditor: baseAuditor,
          database,
          permissions,
          permissionsRegistry,
          clusters,
          cache,
          catalog,
          actionsRegistry,
          pluginLifecycle,
        } = deps;
        // The catalog locator reads the catalog with this plugin's credentials.
        clusters.readCatalogWith({ catalog, auth });
        cache.start();
        const status = new StatusService({
          cache,
          clusters,
          mapping: readEntityMapping(config),
        });
        // The summary's first visitor does not wait for a large cluster's view.
        pluginLifecycle.addShutdownHook(status.warmUp());
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
        const authorizer = new ObjectAuthorizer({
          permissions,
          rules,
          subjects: status.subjects,
        });
        // Every operation on an object is also kept for its timeline.
        const records = await AuditRecordStore.create({
          database,
          retention: readAuditRetention(config),
        });
        const auditor = new RecordingAuditor({
          auditor: baseAuditor,
          sink: records,
          logger,
        });
        // Edits and deletes of what PlatformOps delivers through Git.
        const pullRequests = GitOpsPullRequests.fromConfig(config);
        const lifecycle = new LifecycleService({
          status,
          clusters,
          authorizer,
          auditor,
          pullRequests,
        });
        const upgrades = new UpgradeService({
          status,
          clusters,
          authorizer,
          auditor,
        });
        const timeline = new TimelineService({ status, clusters, records });
        const deletion = new DeleteService({
          clusters,
          authorizer,
          auditor,
          logger,
          mapping: readEntityMapping(config),
          catalog,
          writable: readWritableKinds(config),
          namespaces: readNamespacePolicy(config),
          pullRequests,
        });
        const edits = new EditService({
          clusters,
          authorizer,
          auditor,
          namespaces: readNamespacePolicy(config),
          pullRequests,
        });
        const creates = new CreateService({
          clusters,
          authorizer,
          auditor,
          catalog,
          namespaces: readNamespacePolicy(config),
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            rules,
            status,
            lifecycle,
            upgrades,
            timeline,
            deletion,
            edits,
            creates,
            choices: new CreateChoices({
              clusters,
              authorizer,
              subjects: status.subjects,
              namespaces: readNamespacePolicy(config),
            }),
            rollups: createRollupService({
              catalog,
              cache,
              status,
              authorizer,
              logger,
              added: statusSources,
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // The same services, for agents and other plugins.
        registerCrossplaneActions({
          actionsRegistry,
          permissions,
          authorizer,
          status,
          lifecycle,
          upgrades,
          timeline,
          deletion,
          edits,
          creates,
        });
      },
    });
  },
});
