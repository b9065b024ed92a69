import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '../testUtils/waitFor';
import { CrossplaneClusters } from './CrossplaneClusters';
import {
  crossplaneClustersServiceFactory,
  crossplaneClustersServiceRef,
} from './crossplaneClustersServiceRef';

// The README's worked example: a platform's inventory of clusters.

/** The clusters of the platform's inventory service. */
class InventoryClusterSupplier implements KubernetesClustersSupplier {
  constructor(
    private readonly inventoryUrl: string,
    private readonly token: string,
  ) {}

  async getClusters(): Promise<ClusterDetails[]> {
    const res = await fetch(`${this.inventoryUrl}/clusters`);
    if (!res.ok) throw new Error(`inventory answered ${res.status}`);
    const clusters: { name: string; apiServer: string; ca: string }[] =
      await res.json();
    return clusters.map(c => ({
      name: c.name,
      url: c.apiServer,
      caData: c.ca,
      authMetadata: {
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: this.token,
      },
    }));
  }
}

describe('crossplaneClustersServiceFactory', () => {
  it('adds a platform’s own cluster supplier to the configured locators, and follows it', async () => {
    let inventory = [
      { name: 'edge-1', apiServer: 'https://127.0.0.1:1', ca: 'Y2E=' },
      { name: 'edge-2', apiServer: 'https://127.0.0.1:2', ca: 'Y2E=' },
    ];
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(inventory));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const inventoryUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;

    let clusters: CrossplaneClusters | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { service: crossplaneClustersServiceRef },
          async init({ service }) {
            clusters = service;
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        probe,
        crossplaneClustersServiceFactory({
          clusterSupplier: ({ config }) =>
            new InventoryClusterSupplier(
              config.getString('inventory.url'),
              config.getString('inventory.clusterToken'),
            ),
        }),
        mockServices.rootConfig.factory({
          data: {
            inventory: { url: inventoryUrl, clusterToken: 'inventory-token' },
            crossplane: {
              clusters: { refreshInterval: { milliseconds: 200 } },
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'core',
                      url: 'https://127.0.0.1:3',
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
    try {
      expect(clusters?.list().map(c => c.name)).toEqual([
        'core',
        'edge-1',
        'edge-2',
      ]);
      expect(clusters?.describe('edge-1')).toEqual(
        expect.objectContaining({
          source: 'custom',
          authProvider: 'serviceAccount',
        }),
      );
      const core = clusters?.get('core');

      inventory = inventory.slice(1);
      await waitFor('edge-1 to leave', async () =>
        clusters?.list().some(c => c.name === 'edge-1') ? undefined : true,
      );
      expect(clusters?.list().map(c => c.name)).toEqual(['core', 'edge-2']);
      expect(clusters?.get('core')).toBe(core);
    } finally {
      await backend.stop();
      server.close();
    }
  });
});
