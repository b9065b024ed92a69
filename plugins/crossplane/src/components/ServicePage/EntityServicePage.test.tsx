import { Entity } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import {
  claimEntity,
  fakeCrossplaneApi,
  renderForEntity,
} from '../../__testUtils__/testing';
import { degradedService, serviceEntity } from '../RollupCard/rollupFixtures';
import { EntityServicePage } from './EntityServicePage';
import { isServiceEntity, isServiceGroupEntity } from './isServiceEntity';

const service = serviceEntity;

describe('isServiceEntity', () => {
  it('takes Components that are not ingested Crossplane objects', () => {
    expect(isServiceEntity(service)).toBe(true);
    expect(
      isServiceEntity({
        ...service,
        spec: { type: 'kubernetes-workload' },
      }),
    ).toBe(true);
    expect(
      isServiceEntity({
        ...claimEntity,
        kind: 'Component',
        spec: { type: 'crossplane-claim' },
      }),
    ).toBe(false);
    expect(isServiceEntity({ ...service, kind: 'System' })).toBe(false);
    expect(isServiceGroupEntity({ ...service, kind: 'System' })).toBe(true);
    expect(isServiceGroupEntity({ ...service, kind: 'Group' })).toBe(true);
    expect(isServiceGroupEntity(service)).toBe(false);
  });
});

describe('EntityServicePage', () => {
  it("shows the service's roll-up, and no Crossplane object cards when the service names no object", async () => {
    const api = fakeCrossplaneApi({ getRollup: async () => degradedService });
    await renderForEntity(<EntityServicePage />, { api, entity: service });

    expect(await screen.findByText('Service health')).toBeInTheDocument();
    expect(await screen.findByTestId('rollup-cause')).toHaveTextContent(
      'Degraded because pod payments-api-7d9c-x2k4 CrashLoopBackOff',
    );
    expect(api.getTree).not.toHaveBeenCalled();
    expect(api.getEvents).not.toHaveBeenCalled();
  });

  it('adds the status and events of the Crossplane object a service names', async () => {
    const api = fakeCrossplaneApi({
      getRollup: async () => degradedService,
      getTree: async () => new Promise(() => {}),
      getEvents: async () => [],
    });
    const named: Entity = {
      ...service,
      metadata: {
        ...service.metadata,
        annotations: claimEntity.metadata.annotations,
      },
    };
    await renderForEntity(<EntityServicePage />, { api, entity: named });

    expect(await screen.findByText('Crossplane events')).toBeInTheDocument();
    expect(api.getTree).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'orders-db' }),
    );
    expect(api.getRollup).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });
});
