import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneReconcileAction } from './reconcile';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
  spec: {
    resourceRef: {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-x1',
    },
  },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};
const composite = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  metadata: { name: 'orders-db-x1' },
  spec: {
    claimRef: {
      apiVersion: claim.apiVersion,
      kind: claim.kind,
      namespace: 'team-alpha',
      name: 'orders-db',
    },
  },
};
const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  namespace: 'team-alpha',
  name: 'orders-db',
  waitSeconds: 0,
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const client = new InMemoryClusterClient('east', [
    postgresXrd,
    claim,
    composite,
  ]);
  const action = createCrossplaneReconcileAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
  });
  return { client, action };
}

describe('crossplane:reconcile', () => {
  it('annotates the claim and its composite, and reports the conditions', async () => {
    const { client, action } = setup();
    const { ctx, outputs, logged } = mockActionContext(input);
    await action.handler(ctx);
    expect(client.requests.filter(r => r.startsWith('patch '))).toEqual([
      expect.stringMatching(
        /^patch PostgreSQLInstance team-alpha\/orders-db \{"platformops.io\/reconcile-requested-at":"\d{4}-/,
      ),
      expect.stringMatching(/^patch XPostgreSQLInstance \/orders-db-x1 /),
    ]);
    expect(outputs.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(logged()).toContainEqual(
      expect.stringContaining('No change written by a controller'),
    );
  });

  it('asks the reconcile permission before writing', async () => {
    const { client, action } = setup(AuthorizeResult.DENY);
    await expect(action.handler(mockActionContext(input).ctx)).rejects.toThrow(
      'crossplane.resource.reconcile: not allowed to reconcile',
    );
    expect(client.requests.filter(r => r.startsWith('patch '))).toEqual([]);
  });
});
