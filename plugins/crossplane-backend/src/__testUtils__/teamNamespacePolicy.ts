import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CROSSPLANE_RESOURCE_TYPE } from '@platformops/plugin-crossplane-common';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
} from '../service/permissionRules';

/**
 * A permission policy for integration tests: each user named in
 * `namespaces` may use every crossplane.* permission on the objects of
 * those namespaces only; each user named in `owners` may use them on the
 * objects owned (IS_OWNED_BY) by those entities (e.g. their team's group);
 * each user in `readers` may read every Crossplane
 * object and do nothing else; each user in `admins` may do everything;
 * each user in `refused` no permission at all (not even to read the
 * catalog's entities); everyone else no crossplane.* permission at all;
 * every other permission is allowed.
 */
export function teamNamespacePolicy(options: {
  moduleId: string;
  namespaces: Record<string, string[]>;
  readers?: string[];
  admins?: string[];
  refused?: string[];
  owners?: Record<string, string[]>;
}) {
  const decide = (permission: Permission, user?: string): PolicyDecision => {
    if (user && options.refused?.includes(user)) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      !permission.name.startsWith('crossplane.') ||
      (user && options.admins?.includes(user))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (user && options.readers?.includes(user)) {
      const read =
        !isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE) ||
        permission.attributes.action === 'read';
      return { result: read ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    const owners = user ? options.owners?.[user] : undefined;
    if (owners) {
      return isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE)
        ? createCrossplaneConditionalDecision(
            permission,
            crossplaneConditions.isOwnedBy({ owners }),
          )
        : { result: AuthorizeResult.ALLOW };
    }
    const namespaces = user ? options.namespaces[user] : undefined;
    if (!namespaces) return { result: AuthorizeResult.DENY };
    if (!isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createCrossplaneConditionalDecision(
      permission,
      crossplaneConditions.isInNamespace({ namespaces }),
    );
  };
  return createBackendModule({
    pluginId: 'permission',
    moduleId: options.moduleId,
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy }) {
          policy.setPolicy({
            async handle(request, user) {
              return decide(request.permission, user?.info.userEntityRef);
            },
          });
        },
      });
    },
  });
}
