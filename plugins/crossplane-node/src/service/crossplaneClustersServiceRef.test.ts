import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { crossplaneClustersServiceRef } from './crossplaneClustersServiceRef';
import { CrossplaneClusters } from './CrossplaneClusters';

describe('crossplaneClustersServiceRef', () => {
  it('gives plugins one client per configured cluster', async () => {
    let seen: CrossplaneClusters | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { clusters: crossplaneClustersServiceRef },
          async init({ clusters }) {
            seen = clusters;
          },
        });
      },
    });

    await startTestBackend({
      features: [
        probe,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'east',
                      url: 'https://127.0.0.1:1',
                      serviceAccountToken: 't',
                    },
                    {
                      name: 'west',
                      url: 'https://127.0.0.1:2',
                      serviceAccountToken: 't',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });

    expect(seen?.list().map(c => c.name)).toEqual(['east', 'west']);
    expect(seen?.get('west').name).toBe('west');
    expect(() => seen?.get('north')).toThrow(
      'cluster: no cluster named "north" (known clusters: east, west)',
    );
  });
});
