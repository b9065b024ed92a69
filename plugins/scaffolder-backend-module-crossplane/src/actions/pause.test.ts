import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplanePauseAction } from './pause';

const claim = {
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'orders-db', namespace: 'team-alpha' },
  spec: { parameters: { storage: { sizeGB: 20 } } },
};
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'provider-creds', namespace: 'team-alpha' },
};
const input = {
  cluster: 'east',
  apiVersion: claim.apiVersion,
  kind: claim.kind,
  namespace: 'team-alpha',
  name: 'orders-db',
};
const locator = { ...input };
const patches = (client: InMemoryClusterClient) =>
  client.requests.filter(r => r.startsWith('patch '));

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const client = new InMemoryClusterClient('east', [
    postgresXrd,
    claim,
    secret,
  ]);
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
  const action = createCrossplanePauseAction({
    clusters: new StaticCrossplaneClusters([client]),
    permissions: mockServices.permissions({ result }),
    auditor,
  });
  return { client, action, auditor, outcomes };
}

describe('crossplane:pause', () => {
  it('pauses the claim with its one annotation, audited', async () => {
    const { client, action, auditor, outcomes } = setup();
    const { ctx, outputs } = mockActionContext(input);
    await action.handler(ctx);
    expect(outputs.paused).toBe(true);
    const stored = await client.get(locator);
    expect(stored?.metadata.annotations).toEqual({
      'crossplane.io/paused': 'true',
    });
    expect(stored?.spec).toEqual(claim.spec);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'pause',
        severityLevel: 'medium',
        meta: expect.objectContaining({
          action: 'pause',
          actor: 'user:default/jane',
        }),
      }),
    );
    expect(outcomes).toEqual(['succeeded']);
  });

  it('writes nothing in a dry run', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(outputs.paused).toBe(true);
    expect((await client.get(locator))?.metadata.annotations).toBeUndefined();
  });

  it('asks the pause permission before writing', async () => {
    const { client, action, outcomes } = setup(AuthorizeResult.DENY);
    await expect(action.handler(mockActionContext(input).ctx)).rejects.toThrow(
      'crossplane.resource.pause: not allowed to pause PostgreSQLInstance.database.example.org team-alpha/orders-db in cluster east',
    );
    expect(patches(client)).toEqual([]);
    expect(outcomes[0]).toMatch(/^failed: crossplane.resource.pause/);
  });

  it.each([
    [
      'a Secret',
      { apiVersion: 'v1', kind: 'Secret', name: 'provider-creds' },
      'kind: Secret is not a claim, composite resource or managed resource kind',
    ],
    ['a kind the cluster does not serve', { kind: 'Widget' }, 'serves no kind'],
    ['a claim that does not exist', { name: 'other-db' }, 'not found'],
  ])('refuses %s', async (_what, target, message) => {
    const { client, action } = setup();
    await expect(
      action.handler(mockActionContext({ ...input, ...target }).ctx),
    ).rejects.toThrow(message);
    expect(patches(client)).toEqual([]);
  });
});
