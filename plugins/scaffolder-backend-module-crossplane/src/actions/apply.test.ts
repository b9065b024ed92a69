import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
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
) {
  const client = new InMemoryClusterClient('east');
  const action = createCrossplaneApplyAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
  });
  return { client, action };
}

describe('crossplane:apply', () => {
  it('applies the manifest as the platformops field manager', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext({
      cluster: 'east',
      manifest,
      force: false,
    });
    await action.handler(ctx);
    expect(client.requests).toEqual([
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
    expect(client.requests).toHaveLength(2);
  });

  it('sends a dry run that stores nothing', async () => {
    const { client, action } = setup();
    const { ctx } = mockActionContext(
      { cluster: 'east', manifest, force: false },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(client.requests).toEqual([
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
      /PostgreSQLInstance team-alpha\/orders-db in cluster east: fields are owned by another manager; set force: true/,
    );
    await action.handler(
      mockActionContext({ cluster: 'east', manifest, force: true }).ctx,
    );
  });

  it('checks the create permission before sending anything', async () => {
    const { client, action } = setup(AuthorizeResult.DENY);
    const { ctx } = mockActionContext({
      cluster: 'east',
      manifest,
      force: false,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'crossplane.resource.create: not allowed to create in namespace team-alpha of cluster east',
    );
    expect(client.requests).toEqual([]);
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
});
