import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { CROSSPLANE_RESOURCE_TYPE } from '@platformops/plugin-crossplane-common';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
} from '@platformops/plugin-crossplane-backend';
import { TeamNamespaces } from './teamNamespaces';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * What a user may do only to objects of their teams' namespaces: every
 * PlatformOps permission that changes something (create, update, delete:
 * edit, pause, reconcile, upgrade and any added later), so a new write is
 * restricted before anyone remembers to list it here.
 */
function isTeamWrite(
  permission: Permission,
): permission is ResourcePermission<typeof CROSSPLANE_RESOURCE_TYPE> {
  return (
    isResourcePermission(permission, CROSSPLANE_RESOURCE_TYPE) &&
    permission.attributes.action !== 'read'
  );
}

/**
 * The portal's default permission policy, and the example of per-team rules
 * to start from. A signed-in user is a developer of the teams (catalog
 * groups) they belong to:
 *
 * - reads everything: the catalog, every claim's status, tree, events and
 *   redacted YAML, in every namespace (the platform is shared knowledge);
 * - creates, edits, deletes, pauses, resumes, reconciles and upgrades
 *   Crossplane claims and composites (and what they compose) only in their
 *   teams' namespaces (`platformops.demoPolicy.teams`); a user of no team
 *   changes nothing;
 * - unregisters only catalog entities their teams (or they) own;
 * - reads and cancels only their own scaffolder tasks: a task's log tells
 *   the conditions of what it created;
 * - never uses the Kubernetes plugin's proxy, which would act on the cluster
 *   with the portal's own credentials for anyone;
 * - runs templates and everything else.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  readonly #teams: TeamNamespaces;
  readonly #userInfo: UserInfoService;

  constructor(options: { teams: TeamNamespaces; userInfo: UserInfoService }) {
    this.#teams = options.teams;
    this.#userInfo = options.userInfo;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, kubernetesProxyPermission)) return DENY;

    if (isTeamWrite(permission)) {
      const namespaces = await this.#namespacesOf(user);
      if (namespaces.length === 0) return DENY;
      return createCrossplaneConditionalDecision(
        permission,
        crossplaneConditions.isInNamespace({ namespaces }),
      );
    }

    if (
      isResourcePermission(permission, 'catalog-entity') &&
      permission.attributes.action === 'delete'
    ) {
      const claims = await this.#ownershipOf(user);
      if (claims.length === 0) return DENY;
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }

    if (isResourcePermission(permission, 'scaffolder-task')) {
      if (!user) return DENY;
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }

    return ALLOW;
  }

  async #ownershipOf(user?: PolicyQueryUser): Promise<string[]> {
    if (!user) return [];
    const info = await this.#userInfo.getUserInfo(user.credentials);
    return info.ownershipEntityRefs;
  }

  async #namespacesOf(user?: PolicyQueryUser): Promise<string[]> {
    return this.#teams.namespacesOf(await this.#ownershipOf(user));
  }
}
