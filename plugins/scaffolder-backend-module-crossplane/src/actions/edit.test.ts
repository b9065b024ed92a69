import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { withUserFacingErrors } from '../lib/userFacingErrors';
import { createCrossplaneEditAction } from './edit';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
  spec: { parameters: { version: '17', storage: { sizeGB: 20 } } },
};
const gitOpsClaim = {
  ...claim,
  metadata: {
    name: 'billing-db',
    namespace: 'team-alpha',
    annotations: {
      'argocd.argoproj.io/tracking-id':
        'billing:database.example.org/PostgreSQLInstance:team-alpha/billing-db',
    },
  },
};
const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  namespace: 'team-alpha',
  name: 'orders-db',
  values: { parameters: { version: '17', storage: { sizeGB: 50 } } },
};
const locator = { ...input };
const writes = (client: InMemoryClusterClient) =>
  client.requests.filter(
    r => r.startsWith('apply ') && !r.endsWith('(dry run)'),
  );
const sizeOf = async (client: InMemoryClusterClient, name = 'orders-db') =>
  ((await client.get({ ...locator, name }))?.spec as any).parameters.storage
    .sizeGB;

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const client = new InMemoryClusterClient('east', [postgresXrd]);
  // Created through the portal: its fields are platformops'.
  client.put(claim, 'platformops');
  client.put(gitOpsClaim, 'platformops');
  const auditor = mockServices.auditor.mock();
  const outcomes: string[] = [];
  auditor.createEvent.mockImplementation(async () => ({
    success: async () => {
      outcomes.push('succeeded');
    },
    fail: async ({ error }: { error: Error }) => {
      outcomes.push(`failed: ${error.message}`);
    },
  }));
  const action = withUserFacingErrors(
    createCrossplaneEditAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions: mockServices.permissions({ result }),
      auditor,
    }),
  );
  return { client, action, auditor, outcomes };
}

describe('crossplane:edit', () => {
  it('applies the edit as platformops, logs the diff, audited', async () => {
    const { client, action, auditor, outcomes } = setup();
    const { ctx, outputs, logged } = mockActionContext(input);
    await action.handler(ctx);
    expect(outputs).toMatchObject({ changed: true, applied: true });
    expect(outputs.diff).toMatch(/-\s+sizeGB: 20\n\+\s+sizeGB: 50/);
    expect(await sizeOf(client)).toBe(50);
    expect(writes(client)).toEqual([
      'apply PostgreSQLInstance team-alpha/orders-db',
    ]);
    expect(logged().join('\n')).toContain(String(outputs.diff));
    expect(logged()).toContain(
      "The cluster's dry run accepts the edit of PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east",
    );
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'edit',
        meta: expect.objectContaining({
          action: 'edit',
          objectKey: expect.stringContaining('orders-db'),
          actor: 'user:default/jane',
          dryRun: false,
        }),
      }),
    );
    expect(outcomes).toEqual(['succeeded']);
  });

  it.each([
    ['the dryRun input', { dryRun: true }, {}],
    ["the task's dry run", {}, { isDryRun: true }],
  ])(
    'writes nothing on %s and shows the diff',
    async (_w, extra, overrides) => {
      const { client, action } = setup();
      const { ctx, outputs, logged } = mockActionContext(
        { ...input, ...extra },
        overrides,
      );
      await action.handler(ctx);
      expect(outputs).toMatchObject({ changed: true, applied: false });
      expect(outputs.diff).toMatch(/\+\s+sizeGB: 50/);
      expect(await sizeOf(client)).toBe(20);
      expect(writes(client)).toEqual([]);
      expect(logged()).toContain(
        'Dry run: PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east is unchanged',
      );
    },
  );

  it('asks the update permission before looking the object up', async () => {
    const { client, action, outcomes } = setup(AuthorizeResult.DENY);
    const { ctx } = mockActionContext(input);
    const refused = action.handler(ctx);
    await expect(refused).rejects.toThrow(
      'crossplane.resource.update: not allowed to update PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    // No stack naming the server's files reaches the task log.
    const error: Error = await refused.catch(e => e);
    expect(error.stack).not.toMatch(/\.ts:/);
    expect(client.requests).toEqual([]);
    expect(outcomes[0]).toMatch(/^failed: crossplane.resource.update/);
  });

  it('refuses an object Git delivers with the 409 message, writing nothing', async () => {
    const { client, action, outcomes } = setup();
    const refused = action.handler(
      mockActionContext({ ...input, name: 'billing-db' }).ctx,
    );
    await expect(refused).rejects.toThrow(
      /billing-db in cluster east is delivered through Git by Argo CD.*change it in its repository/,
    );
    const error: Error = await refused.catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.stack).toBe(`ConflictError: ${error.message}`);
    expect(writes(client)).toEqual([]);
    expect(await sizeOf(client, 'billing-db')).toBe(20);
    expect(outcomes[0]).toMatch(/^failed: .*delivered through Git/);
  });

  it.each([
    [{ name: 'Orders_DB' }, /^name: /],
    [{ apiVersion: undefined }, /^apiVersion: is required/],
    [{ values: 'big' }, /^values: /],
    [
      { values: { parameters: { storage: { sizeGB: 5 } } } },
      /^values.*sizeGB/s,
    ],
    [{ takeOver: 'spec.parameters' }, /^takeOver: /],
  ])('refuses bad input %o, naming the field', async (bad, message) => {
    const { client, action } = setup();
    await expect(
      action.handler(mockActionContext({ ...input, ...bad }).ctx),
    ).rejects.toThrow(message);
    expect(writes(client)).toEqual([]);
  });
});
