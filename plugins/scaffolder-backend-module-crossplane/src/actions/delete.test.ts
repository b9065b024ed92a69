import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneDeleteAction } from './delete';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
};
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
  const client = new InMemoryClusterClient('east', [claim]);
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
      'crossplane.resource.delete: not allowed to delete in namespace team-alpha of cluster east',
    );
    expect(client.requests).toEqual([]);
  });
});
