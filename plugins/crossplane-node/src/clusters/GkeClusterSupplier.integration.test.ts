/*
 * The gke locator on a real backend, reading a real control plane. No GKE
 * API is reachable here, so the GKE API itself is stood in for: a local
 * gRPC server implements `google.container.v1.ClusterManager/ListClusters`
 * from the protos that `@google-cloud/container` ships, and the locator's
 * real `ClusterManagerClient` calls it (loaded as in production; only its
 * endpoint and channel credentials differ). The stand-in lists a cluster
 * whose endpoint and CA are the local control plane itest's, and one that
 * fails the locator's label filter; the clusters service then reads
 * itest's objects through the located cluster, with the cluster's CA and
 * the locator's service token.
 *
 * Nothing is written to the cluster. Cluster names: `gkeit-*`.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import fs from 'node:fs';
import path from 'node:path';
import {
  crossplaneClustersServiceFactory,
  crossplaneClustersServiceRef,
} from '../service/crossplaneClustersServiceRef';
import { CrossplaneClusters } from '../service/CrossplaneClusters';
import { waitFor } from '../testUtils/waitFor';
import { GkeClusterSupplier } from './GkeClusterSupplier';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const LOCATED = 'gkeit-itest';
const UNLABELLED = 'gkeit-unlabelled';
const PROJECT = 'gkeit-project';

/** What the stand-in answers: the clusters, or a refusal. */
type Answer = { clusters: object[] } | { code: grpc.status; details: string };

/** A local ClusterManager that answers `ListClusters` with `answer()`. */
async function startGkeApiStandIn(answer: () => Answer) {
  const protos = path.join(
    path.dirname(require.resolve('@google-cloud/container/package.json')),
    'build/protos/protos.json',
  );
  const definition = protoLoader.fromJSON(
    JSON.parse(fs.readFileSync(protos, 'utf8')),
  );
  const { ClusterManager } = (grpc.loadPackageDefinition(definition) as any)
    .google.container.v1;
  const requests: { parent: string }[] = [];
  const server = new grpc.Server();
  server.addService(ClusterManager.service, {
    listClusters(
      call: grpc.ServerUnaryCall<{ parent: string }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      requests.push({ parent: call.request.parent });
      const reply = answer();
      if ('code' in reply) callback(reply, null);
      else callback(null, reply);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return { port, requests, stop: () => server.forceShutdown() };
}

describe('The gke locator, on a stand-in GKE API and a real control plane', () => {
  let cp: {
    url: string;
    caPem: string;
    caFile: string;
    portalToken: string;
  };
  let answer: Answer;
  let gke: Awaited<ReturnType<typeof startGkeApiStandIn>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let supplier: GkeClusterSupplier | undefined;
  let clusters: CrossplaneClusters;

  /** A GKE cluster resource as the API describes one. */
  function gkeCluster(name: string, caPem: string, labels: object) {
    return {
      name,
      location: 'europe-west1',
      // GKE's endpoint is a host; the URL is https://<endpoint>.
      endpoint: new URL(cp.url).host,
      masterAuth: {
        clusterCaCertificate: Buffer.from(caPem).toString('base64'),
      },
      resourceLabels: labels,
      status: 'RUNNING',
    };
  }

  const listed = () => clusters.list().map(c => c.name);

  /** Waits until the service has asked the stand-in again, then once more. */
  async function afterRefresh() {
    const seen = gke.requests.length;
    await waitFor('the clusters service to list again', async () =>
      gke.requests.length >= seen + 2 ? true : undefined,
    );
  }

  beforeAll(async () => {
    cp = controlPlane.ensureControlPlane({
      name: 'itest',
      port: 6643,
      seed: true,
      waitReady: true,
    });
    answer = {
      clusters: [
        gkeCluster(LOCATED, cp.caPem, { owner: 'platform' }),
        gkeCluster(UNLABELLED, cp.caPem, { owner: 'someone-else' }),
      ],
    };
    gke = await startGkeApiStandIn(() => answer);

    let captured: CrossplaneClusters | undefined;
    backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            crossplane: { clusters: { refreshInterval: { seconds: 1 } } },
            // The locator as an app-config would give it; read here by the
            // supplier below, which production builds from
            // kubernetes.clusterLocatorMethods with Google's endpoint.
            gkeLocator: {
              type: 'gke',
              projectId: PROJECT,
              authProvider: 'google',
              serviceAccountToken: cp.portalToken,
              matchingResourceLabels: [{ key: 'owner', value: 'platform' }],
            },
          },
        }),
        crossplaneClustersServiceFactory({
          clusterSupplier: ({ config, logger }) => {
            supplier = GkeClusterSupplier.fromConfig(
              config.getConfig('gkeLocator'),
              {
                path: 'gkeLocator',
                logger,
                clientOptions: {
                  apiEndpoint: '127.0.0.1',
                  port: gke.port,
                  sslCreds: grpc.credentials.createInsecure(),
                },
              },
            );
            return supplier;
          },
        }),
        createBackendPlugin({
          pluginId: 'gkeit',
          register(env) {
            env.registerInit({
              deps: { clusters: crossplaneClustersServiceRef },
              async init(deps) {
                captured = deps.clusters;
              },
            });
          },
        }),
      ],
    });
    clusters = captured!;
  });

  afterAll(async () => {
    await backend?.stop();
    await supplier?.close();
    gke?.stop();
  });

  it('lists the project’s clusters that carry the labels, asking for every location', () => {
    expect(listed()).toEqual([LOCATED]);
    expect(gke.requests[0]).toEqual({
      parent: `projects/${PROJECT}/locations/-`,
    });
    expect(clusters.describe(LOCATED)).toMatchObject({
      url: cp.url,
      authProvider: 'google',
      skipTLSVerify: false,
    });
  });

  it('reads the cluster’s objects, trusting the CA that GKE gives and reading with the locator’s service token', async () => {
    const claims = await clusters
      .get(LOCATED)
      .list('storage.platformops.io/v1alpha1', 'ObjectBucket');
    expect(claims.items.length).toBeGreaterThan(0);
  });

  it('trusts only that CA: a cluster whose CA changes is rebuilt and refuses the other certificate', async () => {
    const otherCa = fs.readFileSync(
      path.join(path.dirname(cp.caFile), '..', 'itest3', 'ca.crt'),
      'utf8',
    );
    answer = {
      clusters: [gkeCluster(LOCATED, otherCa, { owner: 'platform' })],
    };
    try {
      await afterRefresh();
      await expect(
        clusters.get(LOCATED).list('v1', 'Namespace'),
      ).rejects.toThrow(/certificate|unable to verify/i);
    } finally {
      answer = {
        clusters: [gkeCluster(LOCATED, cp.caPem, { owner: 'platform' })],
      };
      await afterRefresh();
    }
    await expect(
      clusters
        .get(LOCATED)
        .list('storage.platformops.io/v1alpha1', 'ObjectBucket'),
    ).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('keeps the last clusters while the GKE API refuses to list', async () => {
    answer = {
      code: grpc.status.PERMISSION_DENIED,
      details: 'Required "container.clusters.list" permission',
    };
    try {
      await afterRefresh();
      expect(listed()).toEqual([LOCATED]);
      const claims = await clusters
        .get(LOCATED)
        .list('storage.platformops.io/v1alpha1', 'ObjectBucket');
      expect(claims.items.length).toBeGreaterThan(0);
    } finally {
      answer = {
        clusters: [gkeCluster(LOCATED, cp.caPem, { owner: 'platform' })],
      };
    }
  });

  it('removes a cluster that GKE no longer lists', async () => {
    answer = { clusters: [] };
    await afterRefresh();
    expect(listed()).toEqual([]);
  });
});
