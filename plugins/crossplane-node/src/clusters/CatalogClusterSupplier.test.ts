import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  CatalogClusterSupplier,
  ClusterCatalogReader,
  readCatalogServiceAccounts,
} from './CatalogClusterSupplier';

const CA = 'LS0tLS1CRUdJTi1DQS0tLS0t';

function clusterEntity(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace, title: `Cluster ${name}`, annotations },
    spec: { type: 'kubernetes-cluster', owner: 'platform' },
  };
}

function supplierOf(
  entities: Entity[],
  options: {
    allowUrls?: string[];
    allowSkipTls?: boolean;
    serviceAccounts?: object[];
  } = {},
) {
  const logger = mockServices.logger.mock();
  const requests: unknown[] = [];
  const catalog: ClusterCatalogReader = {
    async getEntities(request, { credentials }) {
      requests.push({ request, credentials });
      return { items: entities };
    },
  };
  const supplier = CatalogClusterSupplier.fromConfig(
    new ConfigReader({
      type: 'catalog',
      dangerouslyAllowClusterUrls: options.allowUrls,
      dangerouslyAllowSkipTLSVerify: options.allowSkipTls,
    }),
    {
      catalog: () => catalog,
      serviceAccounts: readCatalogServiceAccounts(
        new ConfigReader({
          crossplane: {
            clusters: { catalogServiceAccounts: options.serviceAccounts ?? [] },
          },
        }),
      ),
      logger,
    },
  );
  return { supplier, logger, requests };
}

const credentials = mockCredentials.service('plugin:crossplane');

describe('CatalogClusterSupplier', () => {
  it('maps annotations as Backstage’s catalog locator does, asking with the given credentials', async () => {
    const { supplier, requests } = supplierOf(
      [
        clusterEntity('prod', {
          'kubernetes.io/api-server': 'https://8.8.8.8:6443',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'oidc',
          'kubernetes.io/oidc-token-provider': 'okta',
          'kubernetes.io/skip-metrics-lookup': 'true',
          'kubernetes.io/skip-tls-verify': 'true',
          'kubernetes.io/dashboard-url': 'https://dash.example.com',
          'kubernetes.io/dashboard-app': 'standard',
          'kubernetes.io/dashboard-parameters': '{"region":"eu"}',
          'backstage.io/techdocs-ref': 'dir:.',
        }),
      ],
      { allowSkipTls: false },
    );
    await expect(supplier.getClusters({ credentials })).resolves.toEqual([
      {
        name: 'prod',
        title: 'Cluster prod',
        url: 'https://8.8.8.8:6443',
        authMetadata: {
          'kubernetes.io/api-server': 'https://8.8.8.8:6443',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'oidc',
          'kubernetes.io/oidc-token-provider': 'okta',
          'kubernetes.io/skip-metrics-lookup': 'true',
          'kubernetes.io/skip-tls-verify': 'true',
          'kubernetes.io/dashboard-url': 'https://dash.example.com',
          'kubernetes.io/dashboard-app': 'standard',
          'kubernetes.io/dashboard-parameters': '{"region":"eu"}',
        },
        caData: CA,
        caFile: undefined,
        skipMetricsLookup: true,
        // Not allowed by the locator: the entity's word is not enough.
        skipTLSVerify: false,
        dashboardUrl: 'https://dash.example.com',
        dashboardApp: 'standard',
        dashboardParameters: { region: 'eu' },
      },
    ]);
    expect(requests).toEqual([
      {
        request: {
          filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' },
        },
        credentials,
      },
    ]);
  });

  it('skips TLS checks only when the locator allows it', async () => {
    const { supplier } = supplierOf(
      [
        clusterEntity('lab', {
          'kubernetes.io/api-server': 'https://8.8.8.8',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'localKubectlProxy',
          'kubernetes.io/skip-tls-verify': 'true',
        }),
      ],
      { allowSkipTls: true },
    );
    const [lab] = await supplier.getClusters({ credentials });
    expect(lab.skipTLSVerify).toBe(true);
  });

  it.each([
    [
      'no API server',
      {
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: is missing',
    ],
    [
      'no CA',
      {
        'kubernetes.io/api-server': 'https://8.8.8.8',
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server-certificate-authority: is missing',
    ],
    [
      'plain HTTP',
      {
        'kubernetes.io/api-server': 'http://8.8.8.8',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: must use the HTTPS scheme',
    ],
    [
      'a loopback address',
      {
        'kubernetes.io/api-server': 'https://127.0.0.1:6443',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: must not use a non-public IP address',
    ],
    [
      'a private address',
      {
        'kubernetes.io/api-server': 'https://10.1.2.3',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: must not use a non-public IP address',
    ],
    [
      'a mapped IPv6 loopback',
      {
        'kubernetes.io/api-server': 'https://[::ffff:127.0.0.1]',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: must not use a non-public IP address',
    ],
    [
      'a host resolving to loopback',
      {
        'kubernetes.io/api-server': 'https://localhost:6443',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: hostname "localhost" resolves to a non-public address',
    ],
    [
      'credentials in the URL',
      {
        'kubernetes.io/api-server': 'https://user:pw@8.8.8.8',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'oidc',
      },
      'metadata.annotations.kubernetes.io/api-server: must not contain credentials',
    ],
  ])(
    'leaves out an entity with %s, naming the annotation',
    async (_, annotations, reason) => {
      const { supplier, logger } = supplierOf([
        clusterEntity('bad', annotations),
      ]);
      await expect(supplier.getClusters({ credentials })).resolves.toEqual([]);
      await supplier.getClusters({ credentials });
      // Once per reason, not at every refresh.
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        `Ignoring kubernetes-cluster Resource "bad": ${reason}`,
      );
    },
  );

  it('reaches a non-public host only when the locator allows it by name', async () => {
    const { supplier } = supplierOf(
      [
        clusterEntity('kind', {
          'kubernetes.io/api-server': 'http://127.0.0.1:8080',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'localKubectlProxy',
        }),
      ],
      { allowUrls: ['127.0.0.1'] },
    );
    await expect(supplier.getClusters({ credentials })).resolves.toEqual([
      expect.objectContaining({ name: 'kind', url: 'http://127.0.0.1:8080' }),
    ]);
  });

  it('never takes a token from an entity; serviceAccount takes the one configured for its name and exact URL', async () => {
    const { supplier, logger } = supplierOf(
      [
        clusterEntity('prod', {
          'kubernetes.io/api-server': 'https://8.8.8.8:6443/',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'planted-by-entity',
        }),
        // Same name as a configured token, another URL.
        clusterEntity(
          'prod',
          {
            'kubernetes.io/api-server': 'https://1.1.1.1',
            'kubernetes.io/api-server-certificate-authority': CA,
            'kubernetes.io/auth-provider': 'serviceAccount',
          },
          'evil',
        ),
        clusterEntity('other', {
          'kubernetes.io/api-server': 'https://9.9.9.9',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'serviceAccount',
        }),
      ],
      {
        serviceAccounts: [
          {
            name: 'prod',
            url: 'https://8.8.8.8:6443',
            serviceAccountToken: 'configured-token',
            caData: 'Y29uZmlndXJlZC1jYQ==',
          },
        ],
      },
    );
    const clusters = await supplier.getClusters({ credentials });
    expect(clusters).toEqual([
      expect.objectContaining({
        name: 'prod',
        url: 'https://8.8.8.8:6443/',
        authMetadata: {
          'kubernetes.io/api-server': 'https://8.8.8.8:6443/',
          'kubernetes.io/api-server-certificate-authority': CA,
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'configured-token',
        },
        // The configured CA, not the entity's.
        caData: 'Y29uZmlndXJlZC1jYQ==',
      }),
    ]);
    expect(JSON.stringify(clusters)).not.toContain('planted-by-entity');
    const reason =
      "metadata.annotations.kubernetes.io/auth-provider: serviceAccount needs a token configured for this cluster's name and URL in crossplane.clusters.catalogServiceAccounts";
    expect(logger.warn).toHaveBeenCalledWith(
      `Ignoring kubernetes-cluster Resource "prod": ${reason}`,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      `Ignoring kubernetes-cluster Resource "other": ${reason}`,
    );
  });

  it('leaves out the cluster entities PlatformOps emits itself', async () => {
    const { supplier } = supplierOf([
      clusterEntity('cluster-east', {
        'platformops.io/cluster': 'east',
        'kubernetes.io/api-server': 'https://8.8.8.8',
        'kubernetes.io/api-server-certificate-authority': CA,
        'kubernetes.io/auth-provider': 'serviceAccount',
      }),
    ]);
    await expect(supplier.getClusters({ credentials })).resolves.toEqual([]);
  });

  it('says the catalog cannot be read before a plugin lends its client', async () => {
    const supplier = new CatalogClusterSupplier({
      catalog: () => undefined,
      locator: {},
      serviceAccounts: [],
      logger: mockServices.logger.mock(),
    });
    await expect(supplier.getClusters({ credentials })).rejects.toThrow(
      'the catalog cannot be read before a PlatformOps plugin has started',
    );
  });

  it('names the field of a configured token without its URL', () => {
    expect(() =>
      readCatalogServiceAccounts(
        new ConfigReader({
          crossplane: {
            clusters: {
              catalogServiceAccounts: [
                { name: 'prod', serviceAccountToken: 't' },
              ],
            },
          },
        }),
      ),
    ).toThrow(/crossplane\.clusters\.catalogServiceAccounts\[0\]\.url/);
  });
});
