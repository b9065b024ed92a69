import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import type { protos } from '@google-cloud/container';
import {
  GkeClusterLister,
  GkeClusterSupplier,
  readGkeLocator,
} from './GkeClusterSupplier';

type Cluster = protos.google.container.v1.ICluster;

const PATH = 'kubernetes.clusterLocatorMethods[0]';

/** A GKE API that answers the given clusters, recording each request's parent. */
function gkeApi(answer: () => Cluster[]) {
  const parents: string[] = [];
  const client = {
    listClusters: async (request: { parent?: string | null }) => {
      parents.push(request.parent ?? '');
      return [{ clusters: answer() }];
    },
    close: async () => {},
  } as unknown as GkeClusterLister;
  return { client, parents };
}

/** The locator's config entry, read as at startup. */
function readBack(locator: JsonObject) {
  return readGkeLocator(new ConfigReader({ type: 'gke', ...locator }), PATH);
}

function supplierOf(
  locator: JsonObject,
  clusters: Cluster[] | (() => Cluster[]),
) {
  const logger = mockServices.logger.mock();
  const api = gkeApi(
    typeof clusters === 'function' ? clusters : () => clusters,
  );
  const supplier = new GkeClusterSupplier({
    locator: readBack(locator),
    logger,
    client: api.client,
  });
  return { supplier, logger, parents: api.parents };
}

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64');

const PROD: Cluster = {
  name: 'prod',
  location: 'europe-west1',
  endpoint: '34.1.2.3',
  masterAuth: { clusterCaCertificate: CA },
  resourceLabels: { team: 'platform', env: 'prod' },
  controlPlaneEndpointsConfig: {
    dnsEndpointConfig: {
      endpoint: 'gke-abc123.europe-west1.gke.goog',
    },
  },
};

const GOOGLE_LOCATOR = {
  projectId: 'acme-platform',
  serviceAccountToken: 'read-token',
};

describe('GkeClusterSupplier', () => {
  it('lists the clusters of every location by default, with their CA and the service token for reads', async () => {
    const { supplier, parents } = supplierOf(GOOGLE_LOCATOR, [PROD]);
    await expect(supplier.getClusters()).resolves.toEqual([
      {
        name: 'prod',
        url: 'https://34.1.2.3',
        authMetadata: {
          'kubernetes.io/auth-provider': 'google',
          serviceAccountToken: 'read-token',
        },
        caData: CA,
        skipTLSVerify: false,
        skipMetricsLookup: false,
      },
    ]);
    expect(parents).toEqual(['projects/acme-platform/locations/-']);
  });

  it('reads every field as Backstage’s GKE locator does', async () => {
    const { supplier, parents } = supplierOf(
      {
        projectId: 'acme-platform',
        region: 'europe-west1',
        authProvider: 'googleServiceAccount',
        skipTLSVerify: true,
        skipMetricsLookup: true,
        exposeDashboard: true,
        endpointType: 'dns',
      },
      [PROD],
    );
    await expect(supplier.getClusters()).resolves.toEqual([
      {
        name: 'prod',
        // The DNS endpoint's certificate is publicly trusted: no CA pinned.
        url: 'https://gke-abc123.europe-west1.gke.goog',
        authMetadata: {
          'kubernetes.io/auth-provider': 'googleServiceAccount',
        },
        skipTLSVerify: true,
        skipMetricsLookup: true,
        dashboardApp: 'gke',
        dashboardParameters: {
          projectId: 'acme-platform',
          region: 'europe-west1',
          clusterName: 'prod',
        },
      },
    ]);
    expect(parents).toEqual(['projects/acme-platform/locations/europe-west1']);
  });

  it('links the dashboard to the cluster’s own location when listing every location', async () => {
    const { supplier } = supplierOf(
      { ...GOOGLE_LOCATOR, exposeDashboard: true },
      [{ ...PROD, location: 'us-central1-a' }],
    );
    const [cluster] = await supplier.getClusters();
    expect(cluster.dashboardParameters).toEqual({
      projectId: 'acme-platform',
      region: 'us-central1-a',
      clusterName: 'prod',
    });
  });

  it('falls back to the IP endpoint (and its CA) when a cluster has no DNS endpoint', async () => {
    const { supplier, logger } = supplierOf(
      { ...GOOGLE_LOCATOR, endpointType: 'dns' },
      [{ ...PROD, controlPlaneEndpointsConfig: null }],
    );
    const [cluster] = await supplier.getClusters();
    expect(cluster).toMatchObject({ url: 'https://34.1.2.3', caData: CA });
    expect(logger.info).toHaveBeenCalledWith(
      'GKE cluster "prod" of projects/acme-platform/locations/- has no DNS endpoint: using its IP endpoint',
    );
  });

  it('lists only the clusters that carry every matching label', async () => {
    const { supplier } = supplierOf(
      {
        ...GOOGLE_LOCATOR,
        matchingResourceLabels: [
          { key: 'team', value: 'platform' },
          { key: 'env', value: 'prod' },
        ],
      },
      [
        PROD,
        { ...PROD, name: 'staging', resourceLabels: { team: 'platform' } },
        { ...PROD, name: 'unlabelled', resourceLabels: null },
      ],
    );
    const names = (await supplier.getClusters()).map(c => c.name);
    expect(names).toEqual(['prod']);
  });

  it('leaves out a cluster without a name or endpoint, warning once', async () => {
    const { supplier, logger } = supplierOf(GOOGLE_LOCATOR, [
      PROD,
      { ...PROD, name: '' },
      { ...PROD, name: 'provisioning', endpoint: '' },
    ]);
    expect((await supplier.getClusters()).map(c => c.name)).toEqual(['prod']);
    await supplier.getClusters();
    expect(logger.warn.mock.calls).toEqual([
      [
        'Ignoring a GKE cluster of projects/acme-platform/locations/-: it has no name',
      ],
      [
        'Ignoring GKE cluster "provisioning" of projects/acme-platform/locations/-: it has no public endpoint (yet)',
      ],
    ]);
  });

  it('throws when the GKE API fails, naming the project and location', async () => {
    const { supplier } = supplierOf(GOOGLE_LOCATOR, () => {
      throw new Error('7 PERMISSION_DENIED: container.clusters.list');
    });
    await expect(supplier.getClusters()).rejects.toThrow(
      'Could not list the GKE clusters of projects/acme-platform/locations/-; caused by Error: 7 PERMISSION_DENIED: container.clusters.list',
    );
  });

  it.each([
    [{}, `${PATH}.projectId: required, the Google Cloud project`],
    [
      { projectId: 'acme/../other' },
      `${PATH}.projectId: must be a Google Cloud project ID (got "acme/../other")`,
    ],
    [
      { ...GOOGLE_LOCATOR, region: 'europe-west1/clusters/x' },
      `${PATH}.region: must be a region (europe-west1), a zone (europe-west1-b) or - for every location`,
    ],
    [
      { ...GOOGLE_LOCATOR, authProvider: 'aws' },
      `${PATH}.authProvider: must be one of google, googleServiceAccount (got "aws")`,
    ],
    [
      { projectId: 'acme-platform' },
      `${PATH}.serviceAccountToken: required when authProvider is "google"`,
    ],
    [
      {
        ...GOOGLE_LOCATOR,
        authProvider: 'googleServiceAccount',
      },
      `${PATH}.serviceAccountToken: only for authProvider "google"`,
    ],
    [
      { ...GOOGLE_LOCATOR, endpointType: 'private' },
      `${PATH}.endpointType: must be one of public, dns (got "private")`,
    ],
  ])('refuses %j at startup, naming the field', (locator, message) => {
    expect(() => readBack(locator)).toThrow(message);
  });
});
