import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneWaitAction } from './wait';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
  spec: {
    resourceRef: {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db-x7k2p',
    },
  },
};

function withConditions(...conditions: object[]) {
  return { ...claim, status: { conditions } };
}

const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  name: 'orders-db',
  namespace: 'team-alpha',
  conditions: ['Ready', 'Synced'],
  timeoutSeconds: 5,
};

describe('crossplane:wait', () => {
  it('waits until Ready and Synced, logging each change of conditions', async () => {
    const client = new InMemoryClusterClient('east');
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
    });
    client.put(
      withConditions({
        type: 'Synced',
        status: 'True',
        reason: 'ReconcileSuccess',
      }),
    );
    const { ctx, outputs, logged } = mockActionContext(input);
    const done = action.handler(ctx);
    await new Promise(r => setTimeout(r, 20));
    client.put(
      withConditions(
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
        {
          type: 'Ready',
          status: 'False',
          reason: 'Creating',
          message: 'Unready resources: server',
        },
      ),
    );
    client.put(
      withConditions(
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
        { type: 'Ready', status: 'True', reason: 'Available' },
      ),
    );
    await done;
    expect(logged()).toEqual([
      'PostgreSQLInstance team-alpha/orders-db: Synced=True (ReconcileSuccess)',
      'PostgreSQLInstance team-alpha/orders-db: Synced=True (ReconcileSuccess), Ready=False (Creating: Unready resources: server)',
      'PostgreSQLInstance team-alpha/orders-db: Synced=True (ReconcileSuccess), Ready=True (Available)',
      'PostgreSQLInstance team-alpha/orders-db is Ready and Synced',
    ]);
    expect(outputs.composite).toBe('orders-db-x7k2p');
  });

  it('fails at the timeout with the failing condition, reason and message', async () => {
    const client = new InMemoryClusterClient('east');
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
    });
    client.put(
      withConditions(
        {
          type: 'Synced',
          status: 'False',
          reason: 'ReconcileError',
          message: 'cannot compose resources: quota exceeded',
        },
        { type: 'Ready', status: 'True', reason: 'Available' },
      ),
    );
    const { ctx } = mockActionContext({ ...input, timeoutSeconds: 1 });
    await expect(action.handler(ctx)).rejects.toThrow(
      'PostgreSQLInstance team-alpha/orders-db was not Ready and Synced within 1s: Synced=False, reason ReconcileError: cannot compose resources: quota exceeded',
    );
  });

  it('waits for Ready and Synced when the template gives no conditions', async () => {
    const client = new InMemoryClusterClient('east');
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
    });
    client.put(
      withConditions(
        { type: 'Synced', status: 'True' },
        { type: 'Ready', status: 'True' },
      ),
    );
    const { conditions: _c, timeoutSeconds: _t, ...bare } = input;
    const { ctx, logged } = mockActionContext(bare);
    await action.handler(ctx);
    expect(logged()).toContain(
      'PostgreSQLInstance team-alpha/orders-db is Ready and Synced',
    );
  });

  it('does nothing in a dry run', async () => {
    const client = new InMemoryClusterClient('east');
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
    });
    const { ctx } = mockActionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(client.requests).toEqual([]);
  });
});
