import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModuleCrossplane } from './catalogModuleCrossplane';

describe('catalogModuleCrossplane', () => {
  it('ingests each configured cluster into the real catalog', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCrossplane,
        // The real scheduler: its global lock decides which replica writes.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: { processingInterval: { seconds: 1 } },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'east',
                      url: 'https://127.0.0.1:1',
                      serviceAccountToken: 'hidden-token',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });

    const url = `http://localhost:${server.port()}/api/catalog/entities/by-name/resource/default/cluster-east`;
    let entity: any;
    for (let i = 0; i < 200 && !entity; i++) {
      const res = await fetch(url, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      if (res.ok) entity = await res.json();
      else await new Promise(r => setTimeout(r, 100));
    }
    expect(entity?.spec?.type).toBe('kubernetes-cluster');
    expect(JSON.stringify(entity)).not.toContain('hidden-token');
  }, 30_000);
});
