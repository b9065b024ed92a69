import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneAwaitEntityAction } from './awaitEntity';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-db.postgresqlinstance.team-a.east',
    annotations: {
      'platformops.io/cluster': 'east',
      'platformops.io/api-version': 'database.example.org/v1alpha1',
      'platformops.io/kind': 'PostgreSQLInstance',
      'platformops.io/namespace': 'team-a',
      'platformops.io/name': 'orders-db',
    },
  },
  spec: { type: 'crossplane-claim', owner: 'group:default/team-a' },
};

describe('crossplane:await-entity', () => {
  it('returns once the catalog holds the entity', async () => {
    const catalog = catalogServiceMock({ entities: [entity] });
    const action = createCrossplaneAwaitEntityAction({
      catalog,
      permissions: mockServices.permissions(),
    });
    const { ctx, outputs, logged } = mockActionContext({
      entityRef: 'component:orders-db.postgresqlinstance.team-a.east',
      timeoutSeconds: 10,
    });
    // The catalog ingests the claim a moment after the task asks.
    const read = catalog.getEntityByRef.bind(catalog);
    let reads = 0;
    jest
      .spyOn(catalog, 'getEntityByRef')
      .mockImplementation(async (ref, options) =>
        ++reads < 3 ? undefined : read(ref, options),
      );

    await action.handler(ctx);

    expect(reads).toBe(3);
    expect(outputs).toEqual({
      entityRef: 'component:default/orders-db.postgresqlinstance.team-a.east',
      found: true,
    });
    expect(logged().join('\n')).toContain('is in the catalog');
  });

  it('reports a catalog that has not caught up, without failing', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const action = createCrossplaneAwaitEntityAction({
      catalog,
      permissions: mockServices.permissions(),
    });
    const { ctx, outputs } = mockActionContext({
      entityRef: 'component:default/missing',
      timeoutSeconds: 1,
    });
    await action.handler(ctx);
    expect(outputs.found).toBe(false);
    expect(String(ctx.logger.warn.mock.calls[0][0])).toContain(
      'component:default/missing is not in the catalog after 1 s',
    );
  });

  it('refuses a user who may not read the object, before saying anything of it', async () => {
    const catalog = catalogServiceMock({ entities: [entity] });
    const action = createCrossplaneAwaitEntityAction({
      catalog,
      permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
    });
    const { ctx, outputs, logged } = mockActionContext({
      entityRef: 'component:orders-db.postgresqlinstance.team-a.east',
      timeoutSeconds: 1,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'crossplane.resource.read: not allowed to read PostgreSQLInstance.database.example.org team-a/orders-db in cluster east',
    );
    expect(outputs.found).toBeUndefined();
    expect(logged().join('\n')).not.toContain('is in the catalog');
  });

  it('names the field of a malformed ref', async () => {
    const action = createCrossplaneAwaitEntityAction({
      catalog: catalogServiceMock(),
      permissions: mockServices.permissions(),
    });
    const { ctx } = mockActionContext({ entityRef: 'orders-db' });
    await expect(action.handler(ctx)).rejects.toThrow(
      /^entityRef: .*missing or empty kind/,
    );
  });

  it('reads nothing in a dry run', async () => {
    const catalog = catalogServiceMock();
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const action = createCrossplaneAwaitEntityAction({
      catalog,
      permissions: mockServices.permissions(),
    });
    const { ctx, outputs } = mockActionContext(
      { entityRef: 'component:default/x' },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(spy).not.toHaveBeenCalled();
    expect(outputs.found).toBe(false);
  });
});
