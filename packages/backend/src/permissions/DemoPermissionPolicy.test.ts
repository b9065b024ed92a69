import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { Permission } from '@backstage/plugin-permission-common';
import {
  crossplaneCreatePermission,
  crossplaneDeletePermission,
  crossplanePausePermission,
  crossplaneReadPermission,
  crossplaneReconcilePermission,
  crossplaneResourceRef,
  crossplaneViewYamlPermission,
} from '@platformops/plugin-crossplane-common';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';
import { demoPermissionPolicyModule } from './demoPermissionPolicyModule';
import { TeamNamespaces } from './teamNamespaces';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const NOBODY = 'user:default/nobody';

/** Catalog memberships, as the sign-in resolver puts them in the token. */
const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-alpha'],
  [BOB]: [BOB, 'group:default/team-alpha', 'group:default/team-beta'],
  [NOBODY]: [NOBODY],
};

const config = {
  permission: { enabled: true },
  platformops: {
    demoPolicy: {
      teams: [
        { group: 'group:default/team-alpha', namespaces: ['team-alpha'] },
        {
          group: 'group:default/team-beta',
          namespaces: ['team-beta', 'team-beta-dev'],
        },
      ],
    },
  },
};

const userInfo = mockServices.userInfo.mock({
  async getUserInfo(credentials: BackstageCredentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] };
  },
});

const entityDelete: Permission = {
  type: 'resource',
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
};
const taskCreate: Permission = {
  type: 'basic',
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
};

const claimRef = (namespace: string) =>
  crossplaneResourceRef({
    cluster: 'local',
    apiVersion: 'storage.platformops.io/v1alpha1',
    kind: 'ObjectBucket',
    namespace,
    name: 'assets',
  });

describe('the demo policy behind the real permission backend', () => {
  let authorize: (
    user: string,
    permission: Permission,
    resourceRef?: string,
  ) => Promise<unknown>;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        demoPermissionPolicyModule,
        mockServices.rootConfig.factory({ data: config }),
        userInfo.factory,
      ],
    });
    stop = () => backend.stop();
    authorize = async (user, permission, resourceRef) => {
      const res = await fetch(
        `http://localhost:${backend.server.port()}/api/permission/authorize`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: mockCredentials.user.header(user),
          },
          body: JSON.stringify({
            items: [{ id: '1', permission, resourceRef }],
          }),
        },
      );
      if (res.status !== 200) throw new Error(await res.text());
      const { items } = await res.json();
      return items[0].result;
    };
  });

  afterAll(() => stop?.());

  it("denies the Kubernetes plugin's proxy and allows templates", async () => {
    for (const user of [ALICE, NOBODY]) {
      expect(await authorize(user, kubernetesProxyPermission)).toBe('DENY');
      expect(await authorize(user, taskCreate)).toBe('ALLOW');
    }
  });

  it('lets anyone read any claim, and a user of no team create none', async () => {
    expect(
      await authorize(NOBODY, crossplaneReadPermission, claimRef('team-beta')),
    ).toBe('ALLOW');
    expect(
      await authorize(
        NOBODY,
        crossplaneCreatePermission,
        claimRef('team-alpha'),
      ),
    ).toBe('DENY');
  });
});

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy({
    teams: TeamNamespaces.fromConfig(new ConfigReader(config)),
    userInfo,
  });
  const decide = (user: string, permission: Permission) =>
    policy.handle(
      { permission },
      {
        credentials: mockCredentials.user(user),
        info: { userEntityRef: user, ownershipEntityRefs: [] },
      },
    );

  it('lets a team member create, delete, pause and reconcile claims in the team namespaces only', async () => {
    for (const permission of [
      crossplaneCreatePermission,
      crossplaneDeletePermission,
      crossplanePausePermission,
      crossplaneReconcilePermission,
    ]) {
      expect(await decide(ALICE, permission)).toEqual({
        result: 'CONDITIONAL',
        pluginId: 'crossplane',
        resourceType: 'crossplane-resource',
        conditions: {
          rule: 'IS_IN_NAMESPACE',
          resourceType: 'crossplane-resource',
          params: { namespaces: ['team-alpha'] },
        },
      });
    }
  });

  it('gives a member of two teams the namespaces of both', async () => {
    expect(await decide(BOB, crossplaneCreatePermission)).toMatchObject({
      result: 'CONDITIONAL',
      conditions: {
        params: { namespaces: ['team-alpha', 'team-beta', 'team-beta-dev'] },
      },
    });
  });

  it('lets a user of no team read, and neither create nor delete', async () => {
    expect(await decide(NOBODY, crossplaneCreatePermission)).toEqual({
      result: 'DENY',
    });
    expect(await decide(NOBODY, crossplaneDeletePermission)).toEqual({
      result: 'DENY',
    });
    expect(await decide(NOBODY, crossplanePausePermission)).toEqual({
      result: 'DENY',
    });
    expect(await decide(NOBODY, crossplaneReconcilePermission)).toEqual({
      result: 'DENY',
    });
    for (const permission of [
      crossplaneReadPermission,
      crossplaneViewYamlPermission,
    ]) {
      expect(await decide(NOBODY, permission)).toEqual({ result: 'ALLOW' });
    }
  });

  it('unregisters only catalog entities the user or their teams own', async () => {
    expect(await decide(ALICE, entityDelete)).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: [ALICE, 'group:default/team-alpha'] },
      },
    });
  });

  it('lets a user read and cancel only their own scaffolder tasks', async () => {
    const taskRead: Permission = {
      type: 'resource',
      name: 'scaffolder.task.read',
      attributes: { action: 'read' },
      resourceType: 'scaffolder-task',
    };
    expect(await decide(ALICE, taskRead)).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: [ALICE] },
      },
    });
    expect(await policy.handle({ permission: taskRead })).toEqual({
      result: 'DENY',
    });
  });

  it('denies everything that needs a user to a request without one', async () => {
    expect(
      await policy.handle({ permission: crossplaneCreatePermission }),
    ).toEqual({ result: 'DENY' });
    expect(await policy.handle({ permission: entityDelete })).toEqual({
      result: 'DENY',
    });
  });
});
