import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';
import { TeamNamespaces } from './teamNamespaces';

/**
 * Installs {@link DemoPermissionPolicy} as the permission backend's policy,
 * with the teams of `platformops.demoPolicy.teams`.
 */
export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'platformops-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new DemoPermissionPolicy({
            teams: TeamNamespaces.fromConfig(config),
            userInfo,
          }),
        );
      },
    });
  },
});
