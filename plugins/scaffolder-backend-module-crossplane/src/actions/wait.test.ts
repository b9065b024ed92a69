import { mockServices } from '@backstage/backend-test-utils';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
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

const composite = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'XPostgreSQLInstance',
  metadata: { name: 'orders-db-x7k2p' },
};

const nopRef = (name: string) => ({
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  name,
});

function composing(...names: string[]) {
  return { ...composite, spec: { resourceRefs: names.map(nopRef) } };
}

function nop(name: string, ready?: object) {
  return {
    ...nopRef(name),
    metadata: { name },
    status: { conditions: ready ? [{ type: 'Ready', ...ready }] : [] },
  };
}

const tick = () => new Promise(r => setTimeout(r, 20));

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
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
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
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
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
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
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

  it('stops watching when the object is ready on the first read', async () => {
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
    });
    client.put(
      withConditions(
        { type: 'Synced', status: 'True' },
        { type: 'Ready', status: 'True' },
      ),
    );
    const { ctx, logged } = mockActionContext(input);
    await action.handler(ctx);
    const count = logged().length;
    client.put(withConditions({ type: 'Ready', status: 'False' }));
    await tick();
    expect(logged()).toHaveLength(count);
  });

  it('logs the Ready changes of the resources composed for the claim', async () => {
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
    });
    client.put(withConditions({ type: 'Synced', status: 'True' }));
    client.put(composing('orders-db-instance'));
    client.put(
      nop('orders-db-instance', {
        status: 'False',
        reason: 'Creating',
        message: 'provisioning',
      }),
    );
    const { ctx, logged } = mockActionContext(input);
    const done = action.handler(ctx);
    await tick();
    client.put(composing('orders-db-instance', 'orders-db-backup'));
    await tick();
    client.put(nop('orders-db-backup', { status: 'True' }));
    client.put(
      nop('orders-db-instance', { status: 'True', reason: 'Available' }),
    );
    await tick();
    client.put(
      withConditions(
        { type: 'Synced', status: 'True' },
        { type: 'Ready', status: 'True' },
      ),
    );
    await done;
    expect(logged()).toEqual([
      'PostgreSQLInstance team-alpha/orders-db: Synced=True',
      'NopResource orders-db-instance: Ready=False (Creating: provisioning)',
      'NopResource orders-db-backup: Ready=True',
      'NopResource orders-db-instance: Ready=True (Available)',
      'PostgreSQLInstance team-alpha/orders-db: Synced=True, Ready=True',
      'PostgreSQLInstance team-alpha/orders-db is Ready and Synced',
    ]);

    // Every watch ends with the step.
    const count = logged().length;
    client.put(nop('orders-db-instance', { status: 'False' }));
    client.put(composing());
    await tick();
    expect(logged()).toHaveLength(count);
  });

  it('follows the resources of a composite it waits for, up to a bound', async () => {
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
    });
    const names = Array.from({ length: 25 }, (_, i) => `part-${i}`);
    client.put(composing(...names));
    names.forEach(name => client.put(nop(name, { status: 'False' })));
    const { ctx, logged } = mockActionContext({
      ...input,
      apiVersion: composite.apiVersion,
      kind: composite.kind,
      name: composite.metadata.name,
      namespace: undefined,
      timeoutSeconds: 1,
    });
    await expect(action.handler(ctx)).rejects.toThrow('within 1s');
    const followed = logged().filter(line => line.startsWith('NopResource'));
    expect(followed).toHaveLength(20);
    expect(followed[0]).toBe('NopResource part-0: Ready=False');
    expect(logged()).toContain(
      'Following the Ready condition of the first 20 of 25 composed resources',
    );

    // The timeout ends every watch too.
    const count = logged().length;
    client.put(nop('part-0', { status: 'True' }));
    client.put({ ...composing('part-0'), status: { conditions: [] } });
    await tick();
    expect(logged()).toHaveLength(count);
  });

  it('does nothing in a dry run', async () => {
    const client = new InMemoryClusterClient('east', [postgresXrd]);
    const action = createCrossplaneWaitAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions(),
    });
    const { ctx } = mockActionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(client.requests).toEqual([]);
  });
});
