import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { objectEntityName } from '@platformops/plugin-crossplane-common';
import { readProviderConfig } from '../providers/config';
import { CrossplaneEntityLinkProcessor } from './CrossplaneEntityLinkProcessor';

const processor = new CrossplaneEntityLinkProcessor(
  readProviderConfig(new ConfigReader({})),
);
const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders-api',
      annotations: {
        'platformops.io/cluster': 'east',
        'platformops.io/kind': 'PostgreSQLInstance',
        'platformops.io/namespace': 'team-a',
        'platformops.io/name': 'orders-db',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

describe('CrossplaneEntityLinkProcessor', () => {
  it('relates a hand-written entity to the entity of the object of that group', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(
      service({
        'platformops.io/api-version': 'database.example.org/v1alpha1',
      }),
      location,
      emit,
    );
    const name = objectEntityName({
      cluster: 'east',
      group: 'database.example.org',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
    expect(emit).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'relation',
        relation: expect.objectContaining({
          type: 'dependsOn',
          target: { kind: 'Component', namespace: 'default', name },
        }),
      }),
    );
  });

  it('asks for the apiVersion instead of guessing the group', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(service({}), location, emit);
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit.mock.calls[0][0]).toMatchObject({
      type: 'error',
      error: {
        message: expect.stringContaining(
          'platformops.io/api-version: is required',
        ),
      },
    });
  });
});
