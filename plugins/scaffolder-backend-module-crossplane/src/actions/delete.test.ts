import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneDeleteAction } from './delete';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
};
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'provider-creds', namespace: 'kube-system' },
};
const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'team-beta' },
};
/** The requests that change the cluster. */
const writes = (client: InMemoryClusterClient) =>
  client.requests.filter(r => /^(apply|delete) /.test(r));

const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  name: 'orders-db',
  namespace: 'team-alpha',
  wait: true,
  timeoutSeconds: 5,
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const client = new InMemoryClusterClient('east', [
    postgresXrd,
    claim,
    secret,
    configMap,
  ]);
  const action = createCrossplaneDeleteAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
  });
  return { client, action };
}

describe('crossplane:delete', () => {
  it('deletes the object and waits until it is gone', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext(input);
    await action.handler(ctx);
    expect(outputs.deleted).toBe(true);
    expect(await client.get({ ...claim, ...claim.metadata })).toBeUndefined();
  });

  it('reports an object that did not exist', async () => {
    const { action } = setup();
    const { ctx, outputs } = mockActionContext({ ...input, name: 'other-db' });
    await action.handler(ctx);
    expect(outputs.deleted).toBe(false);
  });

  it('deletes nothing in a dry run', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(outputs.deleted).toBe(true);
    expect(await client.get({ ...claim, ...claim.metadata })).toBeDefined();
  });

  it('checks the delete permission before sending anything', async () => {
    const { client, action } = setup(AuthorizeResult.DENY);
    await expect(action.handler(mockActionContext(input).ctx)).rejects.toThrow(
      'crossplane.resource.delete: not allowed to delete PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    expect(writes(client)).toEqual([]);
  });

  it.each([
    [
      'a Secret in kube-system',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'kube-system',
        name: 'provider-creds',
      },
      'kind: Secret is not a kind PlatformOps writes',
    ],
    [
      "a ConfigMap in another team's namespace",
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team-beta',
        name: 'settings',
      },
      'kind: ConfigMap is not a kind PlatformOps writes',
    ],
    [
      'a claim named in capitals',
      { name: 'ORDERS-DB' },
      'name: must be a DNS-1123 subdomain',
    ],
  ])('refuses to delete %s', async (_what, target, message) => {
    const { client, action } = setup();
    await expect(
      action.handler(mockActionContext({ ...input, ...target }).ctx),
    ).rejects.toThrow(message);
    expect(writes(client)).toEqual([]);
    expect(await client.get({ ...secret, ...secret.metadata })).toBeDefined();
  });

  it('logs what goes with the object before deleting it', async () => {
    const { action } = setup();
    const { ctx, logged } = mockActionContext(input);
    await action.handler(ctx);
    expect(logged()).toContain(
      'Deleting PostgreSQLInstance team-alpha/orders-db removes 1 object(s)',
    );
  });

  it('refuses an object Git delivers, naming the tool, and deletes nothing', async () => {
    const { client, action } = setup();
    client.put({
      ...claim,
      metadata: {
        ...claim.metadata,
        annotations: { 'argocd.argoproj.io/tracking-id': 'orders:x/y:z/w' },
      },
    });
    await expect(action.handler(mockActionContext(input).ctx)).rejects.toThrow(
      'is delivered by Argo CD application orders (argocd)',
    );
    expect(writes(client)).toEqual([]);
  });
});
