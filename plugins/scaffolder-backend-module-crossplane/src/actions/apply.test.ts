import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneApplyAction } from './apply';

const manifest = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
  spec: { parameters: { storage: { sizeGB: 20 } } },
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  options: Partial<Parameters<typeof createCrossplaneApplyAction>[0]> = {},
) {
  const client = new InMemoryClusterClient('east', [postgresXrd]);
  const action = createCrossplaneApplyAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
    ...options,
  });
  return { client, action };
}

/** The requests that change the cluster. */
const writes = (client: InMemoryClusterClient) =>
  client.requests.filter(r => /^(apply|delete) /.test(r));

describe('crossplane:apply', () => {
  it('applies the manifest as the platformops field manager', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext({
      cluster: 'east',
      manifest,
      force: false,
    });
    await action.handler(ctx);
    expect(writes(client)).toEqual([
      'apply PostgreSQLInstance team-alpha/orders-db',
    ]);
    const stored = await client.get({ ...manifest, ...manifest.metadata });
    expect(stored?.spec).toEqual(manifest.spec);
    expect(outputs).toMatchObject({
      kind: 'PostgreSQLInstance',
      name: 'orders-db',
      namespace: 'team-alpha',
    });
    expect(outputs.uid).toBe(stored?.metadata.uid);
  });

  it('applies the same manifest twice without a conflict', async () => {
    const { client, action } = setup();
    await action.handler(
      mockActionContext({ cluster: 'east', manifest, force: false }).ctx,
    );
    await action.handler(
      mockActionContext({ cluster: 'east', manifest, force: false }).ctx,
    );
    expect(writes(client)).toHaveLength(2);
  });

  it('sends a dry run that stores nothing', async () => {
    const { client, action } = setup();
    const { ctx } = mockActionContext(
      { cluster: 'east', manifest, force: false },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(writes(client)).toEqual([
      'apply PostgreSQLInstance team-alpha/orders-db (dry run)',
    ]);
    expect(
      await client.get({ ...manifest, ...manifest.metadata }),
    ).toBeUndefined();
  });

  it('refuses to take over an object another manager owns, unless forced', async () => {
    const { client, action } = setup();
    client.put(manifest, 'kubectl');
    const { ctx } = mockActionContext({
      cluster: 'east',
      manifest,
      force: false,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /PostgreSQLInstance.database.example.org team-alpha\/orders-db in cluster east: fields are owned by another manager; set force: true/,
    );
    await action.handler(
      mockActionContext({ cluster: 'east', manifest, force: true }).ctx,
    );
  });

  it('changes an existing object only with the update permission too', async () => {
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    client.put(manifest, 'platformops');
    const action = createCrossplaneApplyAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(request => ({
            result:
              request.permission.name === 'crossplane.resource.create'
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
      }),
    });
    const changed = {
      ...manifest,
      spec: { parameters: { storage: { sizeGB: 40 } } },
    };
    await expect(
      action.handler(
        mockActionContext({ cluster: 'east', manifest: changed, force: true })
          .ctx,
      ),
    ).rejects.toThrow(
      'crossplane.resource.update: not allowed to update PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    expect(writes(client)).toEqual([]);
  });

  it('never applies over an object that Git delivers', async () => {
    const { client, action } = setup();
    client.put(
      {
        ...manifest,
        metadata: {
          ...manifest.metadata,
          labels: { 'argocd.argoproj.io/instance': 'orders' },
        },
      },
      'argocd-controller',
    );
    await expect(
      action.handler(
        mockActionContext({ cluster: 'east', manifest, force: true }).ctx,
      ),
    ).rejects.toThrow(
      'PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east exists and is delivered by Argo CD application orders: change it in Git',
    );
    expect(writes(client)).toEqual([]);
  });

  it('checks the create permission before sending anything', async () => {
    const { client, action } = setup(AuthorizeResult.DENY);
    const { ctx } = mockActionContext({
      cluster: 'east',
      manifest,
      force: false,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'crossplane.resource.create: not allowed to create PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    expect(writes(client)).toEqual([]);
  });

  it('names a missing field of the manifest', async () => {
    const { action } = setup();
    const { ctx } = mockActionContext({
      cluster: 'east',
      manifest: { ...manifest, kind: '' },
      force: false,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'manifest.kind: is required',
    );
  });

  it.each([
    [
      'a ClusterRoleBinding to cluster-admin',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'pwned' },
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      },
      'manifest.kind: ClusterRoleBinding.rbac.authorization.k8s.io is not a kind PlatformOps writes in cluster east',
    ],
    [
      'a Secret',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'x', namespace: 'team-alpha' },
      },
      'manifest.kind: Secret is not a kind PlatformOps writes',
    ],
    [
      'a Namespace',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
      'manifest.kind: Namespace is not a kind PlatformOps writes',
    ],
    [
      'the composite behind a claim',
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        metadata: { name: 'orders-db-abcde' },
      },
      'manifest.kind: XPostgreSQLInstance.database.example.org is not a kind PlatformOps writes',
    ],
    [
      'a kind the cluster does not serve',
      { ...manifest, kind: 'NoSuchKind' },
      'manifest.kind: cluster east serves no kind NoSuchKind in database.example.org/v1alpha1',
    ],
    [
      'a version the XRD does not serve',
      { ...manifest, apiVersion: 'database.example.org/v9' },
      'manifest.kind: cluster east serves no kind PostgreSQLInstance in database.example.org/v9',
    ],
    [
      'a claim in kube-system',
      { ...manifest, metadata: { name: 'x', namespace: 'kube-system' } },
      'manifest.metadata.namespace: "kube-system" may not receive resources from the portal',
    ],
    [
      'a claim without a namespace',
      { ...manifest, metadata: { name: 'x' } },
      'manifest.metadata.namespace: is required, PostgreSQLInstance.database.example.org is namespaced',
    ],
    [
      'a namespace in capitals',
      { ...manifest, metadata: { name: 'x', namespace: 'TEAM-ALPHA' } },
      'manifest.metadata.namespace: must be a DNS-1123 label',
    ],
    [
      'a spec the XRD schema refuses',
      { ...manifest, spec: { parameters: { storage: { sizeGB: 'huge' } } } },
      'manifest.spec.parameters.storage.sizeGB: must be an integer',
    ],
    [
      'an external name that would adopt another resource',
      {
        ...manifest,
        metadata: {
          ...manifest.metadata,
          annotations: { 'crossplane.io/external-name': 'their-db' },
        },
      },
      'manifest.metadata.annotations["crossplane.io/external-name"]',
    ],
  ])('refuses %s before sending anything', async (_what, bad, message) => {
    const { client, action } = setup();
    const { ctx } = mockActionContext({
      cluster: 'east',
      manifest: bad,
      force: false,
    });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(writes(client)).toEqual([]);
  });

  it('writes composites only where configuration allows it', async () => {
    const { client, action } = setup(AuthorizeResult.ALLOW, {
      writable: { composites: true, managedResources: false, kinds: [] },
    });
    await action.handler(
      mockActionContext({
        cluster: 'east',
        manifest: {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'XPostgreSQLInstance',
          metadata: { name: 'orders-db-abcde', namespace: 'team-alpha' },
          spec: { parameters: { storage: { sizeGB: 20 } } },
        },
        force: false,
      }).ctx,
    );
    // The namespace of a cluster-scoped kind is dropped, never used.
    expect(writes(client)).toEqual([
      'apply XPostgreSQLInstance /orders-db-abcde',
    ]);
  });
});
