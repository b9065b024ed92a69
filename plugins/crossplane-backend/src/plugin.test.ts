import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { crossplanePlugin } from './plugin';

const unreachableCluster = {
  kubernetes: {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          // Nothing listens on port 1: the cluster is unreachable.
          {
            name: 'offline',
            url: 'https://127.0.0.1:1',
            serviceAccountToken: 't',
          },
        ],
      },
    ],
  },
};

describe('crossplanePlugin', () => {
  it('serves health without credentials', async () => {
    const { server } = await startTestBackend({ features: [crossplanePlugin] });
    const res = await request(server).get('/api/crossplane/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports an unreachable cluster with its error', async () => {
    const { server } = await startTestBackend({
      features: [
        crossplanePlugin,
        mockServices.rootConfig.factory({ data: unreachableCluster }),
      ],
    });
    const res = await request(server)
      .get('/api/crossplane/clusters')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      name: 'offline',
      reachable: false,
    });
    expect(res.body.items[0].lastError).toMatch(
      /cluster offline: (version|list)/,
    );
  });

  it('refuses the cluster list when the read permission is denied', async () => {
    const { server } = await startTestBackend({
      features: [
        crossplanePlugin,
        mockServices.rootConfig.factory({ data: unreachableCluster }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await request(server)
      .get('/api/crossplane/clusters')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
  });
});
