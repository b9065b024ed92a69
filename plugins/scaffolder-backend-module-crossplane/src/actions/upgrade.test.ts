import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  COMPOSITION_NAME_LABEL,
  COMPOSITION_REVISION_KIND,
  StaticCrossplaneClusters,
} from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { withUserFacingErrors } from '../lib/userFacingErrors';
import { createCrossplaneUpgradeAction } from './upgrade';

const revision = (name: string, n: number): KubernetesObject => ({
  ...COMPOSITION_REVISION_KIND,
  metadata: { name, labels: { [COMPOSITION_NAME_LABEL]: 'postgres' } },
  spec: { revision: n },
});
const claim = (
  name: string,
  namespace: string,
  extra: Record<string, unknown> = {},
): KubernetesObject => ({
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name, namespace, generation: 1, ...extra },
  spec: {
    parameters: { storage: { sizeGB: 20 } },
    compositionRef: { name: 'postgres' },
    compositionRevisionRef: { name: 'postgres-1' },
    compositionUpdatePolicy: 'Manual',
  },
});
const ref = (name: string, namespace = 'team-alpha') => ({
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace,
  name,
});
const patches = (client: InMemoryClusterClient) =>
  client.requests.filter(r => r.startsWith('patch '));
const revisionOf = async (client: InMemoryClusterClient, name: string) =>
  ((await client.get(ref(name)))?.spec as any).compositionRevisionRef.name;

function setup(allowed: (namespace?: string) => boolean = () => true) {
  const client = new InMemoryClusterClient('east', [
    postgresXrd,
    revision('postgres-1', 1),
    revision('postgres-2', 2),
    claim('orders-db', 'team-alpha'),
    claim('billing-db', 'team-alpha'),
    claim('git-db', 'team-alpha', {
      annotations: { 'platformops.io/source-repo': 'https://git.example/x' },
    }),
    claim('beta-db', 'team-beta'),
  ]);
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(r => ({
      result: allowed(
        (r as { resourceRef?: string }).resourceRef?.includes('team-beta')
          ? 'team-beta'
          : 'team-alpha',
      )
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    })),
  );
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
    createCrossplaneUpgradeAction({
      clusters: new StaticCrossplaneClusters([client]),
      permissions,
      auditor,
    }),
  );
  return { client, action, outcomes, permissions };
}

describe('crossplane:upgrade', () => {
  it('dry-runs each move, writing nothing', async () => {
    const { client, action, outcomes } = setup();
    const { ctx, outputs, logged } = mockActionContext({
      objects: [ref('orders-db'), ref('billing-db')],
      dryRun: true,
    });
    await action.handler(ctx);
    expect(outputs.steps).toEqual([
      expect.objectContaining({
        object: ref('orders-db'),
        outcome: 'upgraded',
        from: 'postgres-1',
        to: 'postgres-2',
      }),
      expect.objectContaining({
        object: ref('billing-db'),
        outcome: 'upgraded',
      }),
    ]);
    expect(await revisionOf(client, 'orders-db')).toBe('postgres-1');
    expect(patches(client).every(p => p.endsWith('(dry run)'))).toBe(true);
    expect(logged()[0]).toMatch(
      /^PostgreSQLInstance team-alpha\/orders-db: upgraded postgres-1 -> postgres-2 \(dry run/,
    );
    expect(outcomes).toEqual(['succeeded', 'succeeded']);
  });

  it('refuses without the upgrade permission, asked before the lookup, and goes on', async () => {
    const { client, action, outcomes } = setup(ns => ns !== 'team-beta');
    const { ctx, outputs } = mockActionContext({
      objects: [ref('beta-db', 'team-beta'), ref('orders-db')],
      dryRun: true,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^1 of 2 object\(s\) not upgraded; PostgreSQLInstance team-beta\/beta-db: refused \(crossplane.resource.upgrade: not allowed to upgrade/,
    );
    expect(outputs.steps).toEqual([
      expect.objectContaining({ outcome: 'refused' }),
      expect.objectContaining({ outcome: 'upgraded', to: 'postgres-2' }),
    ]);
    expect(client.requests.some(r => r.includes('beta-db'))).toBe(false);
    expect(outcomes[0]).toMatch(/^failed: crossplane.resource.upgrade/);
  });

  it('refuses an object Git delivers, writing nothing to it', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext({ objects: [ref('git-db')] });
    await expect(action.handler(ctx)).rejects.toThrow(
      /git-db: refused \(delivered by .*change its composition revision in Git\)/,
    );
    expect(outputs.steps).toEqual([
      expect.objectContaining({ outcome: 'refused' }),
    ]);
    expect(patches(client)).toEqual([]);
  });

  it('stops at the first object that is not healthy on its new revision', async () => {
    const { client, action } = setup();
    const { ctx, outputs } = mockActionContext({
      objects: [ref('orders-db'), ref('billing-db')],
      waitSeconds: 1,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^2 of 2 object\(s\) not upgraded; PostgreSQLInstance team-alpha\/orders-db: unhealthy/,
    );
    expect(outputs.steps).toEqual([
      expect.objectContaining({ outcome: 'unhealthy', to: 'postgres-2' }),
      expect.objectContaining({
        object: ref('billing-db'),
        outcome: 'not-run',
      }),
    ]);
    expect(await revisionOf(client, 'orders-db')).toBe('postgres-2');
    expect(await revisionOf(client, 'billing-db')).toBe('postgres-1');
  });

  it.each([
    [{ objects: [] }, /^objects: /],
    [
      { objects: [{ ...ref('orders-db'), name: 'Orders' }] },
      /^objects\[0\]\.name: /,
    ],
    [{ objects: Array(101).fill(ref('orders-db')) }, /^objects: /],
    [{ objects: [ref('orders-db')], waitSeconds: 0 }, /^waitSeconds: /],
  ])('refuses bad input, naming the field: %#', async (bad, message) => {
    const { client, action } = setup();
    await expect(action.handler(mockActionContext(bad).ctx)).rejects.toThrow(
      message,
    );
    expect(patches(client)).toEqual([]);
  });
});
