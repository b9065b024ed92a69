import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createNamespacePolicy,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  bucketXrd,
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { CreateChoices } from './CreateChoices';
import { ObjectAuthorizer } from './ObjectAuthorizer';
import {
  crossplaneConditions,
  createCrossplaneConditionalDecision,
  crossplaneObjectRules,
} from './permissionRules';
import { PermissionSubjects } from './PermissionSubjects';

const XRD = 'xpostgresqlinstances.database.example.org';

const namespace = (name: string, terminating = false): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name,
    ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
});

const composition = (
  name: string,
  kind: string,
  labels?: Record<string, string>,
): KubernetesObject => ({
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: {
    compositeTypeRef: { apiVersion: 'database.example.org/v1alpha1', kind },
    mode: 'Pipeline',
    pipeline: [{ step: 'render', functionRef: { name: 'function-x' } }],
  },
});

const withDefault = (object: KubernetesObject, name: string) => ({
  ...object,
  spec: { ...object.spec, defaultCompositionRef: { name } },
});

/** Decisions as a policy gives them: by the permission's kind only. */
type Policy = (resource: boolean) => PolicyDecision;

const onlyIn =
  (...namespaces: string[]): Policy =>
  resource =>
    resource
      ? createCrossplaneConditionalDecision(
          { type: 'resource', resourceType: 'crossplane-resource' } as any,
          crossplaneConditions.isInNamespace({ namespaces }),
        )
      : { result: AuthorizeResult.ALLOW };

function setup(
  policy: Policy,
  objects: KubernetesObject[] = [],
  options: { namespaces?: ReturnType<typeof createNamespacePolicy> } = {},
) {
  const client = new InMemoryClusterClient('east', [
    withDefault(postgresXrd, 'postgres-small'),
    bucketXrd,
    ...[
      'default',
      'kube-system',
      'crossplane-system',
      'team-alpha',
      'team-beta',
      'team-gamma',
    ].map(name => namespace(name)),
    namespace('team-leaving', true),
    ...objects,
  ]);
  const asked: string[] = [];
  const permissions = {
    async authorizeConditional(requests: Array<{ permission: any }>) {
      return requests.map(({ permission }) => {
        asked.push(permission.name);
        return policy(isResourcePermission(permission));
      });
    },
  } as unknown as PermissionsService;
  const rules = {
    getRuleByName: (name: string) =>
      Object.values(crossplaneObjectRules).find(r => r.name === name)!,
  };
  const subjects = new PermissionSubjects({
    view: () => undefined,
    ownerOf: () => '',
  });
  const choices = new CreateChoices({
    clusters: new StaticCrossplaneClusters([client]),
    authorizer: new ObjectAuthorizer({
      permissions,
      rules: rules as any,
      subjects,
    }),
    subjects,
    namespaces: options.namespaces,
  });
  return { choices, asked };
}

const alice = mockCredentials.user('user:default/alice');

describe('CreateChoices.namespaces', () => {
  it("offers the namespaces the caller's create permission allows, one decision for all", async () => {
    const { choices, asked } = setup(onlyIn('team-alpha', 'team-gamma'));
    const answer = await choices.namespaces(
      { cluster: 'east', xrd: XRD },
      alice,
    );
    expect(answer).toEqual({
      cluster: 'east',
      xrd: XRD,
      kind: 'PostgreSQLInstance',
      namespaced: true,
      items: ['team-alpha', 'team-gamma'],
    });
    expect(asked).toEqual(['crossplane.resource.create']);
  });

  it('never offers what the namespace policy denies, even to a caller allowed everywhere', async () => {
    const { choices } = setup(() => ({ result: AuthorizeResult.ALLOW }));
    const { items } = await choices.namespaces(
      { cluster: 'east', xrd: XRD },
      alice,
    );
    // Not default, kube-*, crossplane-system; not a namespace being deleted.
    expect(items).toEqual(['team-alpha', 'team-beta', 'team-gamma']);
  });

  it("applies a configured policy's allow list", async () => {
    const { choices } = setup(() => ({ result: AuthorizeResult.ALLOW }), [], {
      namespaces: createNamespacePolicy({ allow: ['team-b*'] }),
    });
    const { items } = await choices.namespaces(
      { cluster: 'east', xrd: XRD },
      alice,
    );
    expect(items).toEqual(['team-beta']);
  });

  it('offers nothing to a caller who may create nothing', async () => {
    const { choices } = setup(resource => ({
      result: resource ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }));
    const { items } = await choices.namespaces(
      { cluster: 'east', xrd: XRD },
      alice,
    );
    expect(items).toEqual([]);
  });

  it('names the field of an XRD that is not one, and of one that is missing', async () => {
    const { choices } = setup(onlyIn('team-alpha'));
    await expect(
      choices.namespaces({ cluster: 'east', xrd: 'Not An XRD' }, alice),
    ).rejects.toMatchObject({ name: 'InputError', message: /^xrd: / });
    await expect(
      choices.namespaces(
        { cluster: 'east', xrd: 'xthings.example.org' },
        alice,
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError', message: /^xrd: / });
  });
});

describe('CreateChoices.compositions', () => {
  it("offers the Compositions of the XRD's composite type, the default marked", async () => {
    const { choices } = setup(onlyIn('team-alpha'), [
      composition('postgres-small', 'XPostgreSQLInstance', { size: 'small' }),
      composition('postgres-large', 'XPostgreSQLInstance', { size: 'large' }),
      composition('bucket', 'XBucket'),
    ]);
    expect(await choices.compositions({ cluster: 'east', xrd: XRD })).toEqual({
      cluster: 'east',
      xrd: XRD,
      items: [
        { name: 'postgres-large', labels: { size: 'large' }, default: false },
        { name: 'postgres-small', labels: { size: 'small' }, default: true },
      ],
    });
  });
});
