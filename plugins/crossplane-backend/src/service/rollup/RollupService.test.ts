import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { StatusSource } from '@platformops/plugin-crossplane-node';
import express from 'express';
import request from 'supertest';
import { MAX_ROLLUPS_PAGE, RollupService } from './RollupService';
import { rollupRoutes } from './rollupRoutes';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const credentials = mockCredentials.user();

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/team-alpha' },
    relations: [{ type: 'partOf', targetRef: 'system:default/payments' }],
  };
}

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { owner: 'group:default/team-alpha' },
  relations: [
    { type: 'hasPart', targetRef: 'component:default/payments-api' },
    { type: 'hasPart', targetRef: 'component:default/payments-worker' },
    { type: 'hasPart', targetRef: 'api:default/payments-http' },
  ],
};

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-alpha', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'ownerOf', targetRef: 'component:default/payments-api' },
    { type: 'ownerOf', targetRef: 'system:default/payments' },
  ],
};

/** Says the api's pod crash-loops; everything else is fine. */
const pods: StatusSource = {
  id: 'workloads',
  title: 'Workloads',
  async signalsFor(entity) {
    if (entity.metadata.name === 'payments-api') {
      return [
        {
          source: 'workloads',
          name: 'Pod payments-api-x',
          health: { status: 'Degraded', reason: 'CrashLoopBackOff' },
        },
      ];
    }
    return entity.kind === 'Component'
      ? [
          {
            source: 'workloads',
            name: `Pod ${entity.metadata.name}-y`,
            health: { status: 'Healthy' },
          },
        ]
      : [];
  },
};
const broken: StatusSource = {
  id: 'ci',
  title: 'CI runs',
  async signalsFor() {
    throw new Error('connect ECONNREFUSED 127.0.0.1:1');
  },
};
const hanging: StatusSource = {
  id: 'slow',
  title: 'Slow',
  signalsFor: () => new Promise(() => {}),
};

function service(sources: StatusSource[]) {
  const catalog = catalogServiceMock({
    entities: [
      component('payments-api'),
      component('payments-worker'),
      system,
      team,
    ],
  });
  return new RollupService({
    catalog,
    sources,
    logger: mockServices.logger.mock(),
    now: () => NOW,
    sourceTimeoutMs: 50,
  });
}

describe('RollupService', () => {
  it('rolls a service up from every source; a failing or silent source answers with its error, the others still answer', async () => {
    const rollup = await service([broken, pods, hanging]).rollup(
      'component:default/payments-api',
      credentials,
    );
    expect(rollup.sources.map(s => [s.id, s.health.status, s.error])).toEqual([
      ['workloads', 'Degraded', undefined],
      ['ci', 'Unknown', 'connect ECONNREFUSED 127.0.0.1:1'],
      ['slow', 'Unknown', 'no answer within 0.05 s'],
    ]);
    expect(rollup.health).toMatchObject({
      status: 'Degraded',
      message: 'Degraded because Pod payments-api-x: CrashLoopBackOff',
    });
    expect(rollup.members).toBeUndefined();
  });

  it('rolls a System up from its Components, worst first, and an owner from what it owns', async () => {
    const rollups = service([pods]);
    const rollup = await rollups.rollup('system:default/payments', credentials);
    expect(rollup.members!.map(m => [m.entityRef, m.health.status])).toEqual([
      ['component:default/payments-api', 'Degraded'],
      ['component:default/payments-worker', 'Healthy'],
    ]);
    expect(rollup.health.message).toBe(
      'Degraded because component:default/payments-api: Pod payments-api-x: CrashLoopBackOff',
    );
    expect(rollup.cause).toMatchObject({
      name: 'Pod payments-api-x',
      entityRef: 'component:default/payments-api',
    });
    const owner = await rollups.rollup('group:default/team-alpha', credentials);
    expect(owner.members!.map(m => m.entityRef)).toEqual([
      'component:default/payments-api',
    ]);
  });

  it('answers an entity the catalog does not give the caller as not found', async () => {
    await expect(
      service([pods]).rollup('component:default/nope', credentials),
    ).rejects.toThrow(NotFoundError);
  });

  it('refuses two sources with one id', () => {
    expect(() => service([pods, pods])).toThrow(
      'status source id "workloads" is added twice',
    );
  });
});

describe('rollup routes', () => {
  const rollups = service([pods]);
  const app = express()
    .use(rollupRoutes({ httpAuth: mockServices.httpAuth(), rollups }))
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
  jest.spyOn(rollups, 'list').mockImplementation(async (_by, _c, page) => ({
    items: [],
    page: { ...page, total: 0 },
  }));

  it.each([
    ['/rollup', 'entityRef: is required'],
    ['/rollup?entityRef=payments-api', 'entityRef: must be an entity ref'],
    ['/rollup?entityRef=component:a/b/c', 'entityRef: must be an entity ref'],
    ['/rollups', 'by: must be one of system, owner'],
    ['/rollups?by=team', 'by: must be one of system, owner'],
    ['/rollups?by=system&limit=0', 'limit: must be an integer from 1 to 20'],
    ['/rollups?by=system&limit=21', 'limit: must be an integer from 1 to 20'],
    ['/rollups?by=owner&offset=-1', 'offset: must be an integer'],
  ])('%s is a 400 naming the field', async (path, message) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(message);
  });

  it('serves a roll-up and a bounded page', async () => {
    const one = await request(app).get(
      '/rollup?entityRef=Component:payments-api',
    );
    expect(one.status).toBe(200);
    expect(one.body.entityRef).toBe('component:default/payments-api');
    const page = await request(app).get('/rollups?by=system');
    expect(page.body.page).toEqual({
      offset: 0,
      limit: MAX_ROLLUPS_PAGE,
      total: 0,
    });
  });
});
