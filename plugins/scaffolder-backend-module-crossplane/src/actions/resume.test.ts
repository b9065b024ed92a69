import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneResumeAction } from './resume';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: {
    name: 'orders-db',
    namespace: 'team-alpha',
    annotations: { 'crossplane.io/paused': 'true', team: 'alpha' },
  },
};
const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  namespace: 'team-alpha',
  name: 'orders-db',
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const client = new InMemoryClusterClient('east', [postgresXrd, claim]);
  const action = createCrossplaneResumeAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
  });
  return { client, action };
}

describe('crossplane:resume', () => {
  it('removes the pause annotation and keeps the others', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext(input);
    await action.handler(ctx);
    expect(outputs.paused).toBe(false);
    expect((await client.get(input))?.metadata.annotations).toEqual({
      team: 'alpha',
    });
  });

  it('asks the pause permission before writing', async () => {
    const { client, action } = setup(AuthorizeResult.DENY);
    await expect(action.handler(mockActionContext(input).ctx)).rejects.toThrow(
      'crossplane.resource.pause: not allowed to resume',
    );
    expect(client.requests.filter(r => r.startsWith('patch '))).toEqual([]);
  });
});
