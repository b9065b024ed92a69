import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { GkeClusterSupplier } from './GkeClusterSupplier';
import { readClusterSuppliers } from './readClusterSuppliers';

function suppliersOf(...methods: JsonObject[]) {
  return readClusterSuppliers(
    new ConfigReader({ kubernetes: { clusterLocatorMethods: methods } }),
    { logger: mockServices.logger.mock(), catalog: () => undefined },
  );
}

const credentials = mockCredentials.none();

describe('readClusterSuppliers', () => {
  it('reads config clusters as Backstage describes them, the token in authMetadata', async () => {
    const [config] = suppliersOf({
      type: 'config',
      clusters: [
        {
          name: 'dev',
          title: 'Development',
          url: 'https://127.0.0.1:6443/',
          serviceAccountToken: 'secret-token',
          caData: 'Y2E=',
        },
      ],
    });
    expect(config.source).toBe('kubernetes.clusterLocatorMethods[0]');
    await expect(config.supplier.getClusters({ credentials })).resolves.toEqual(
      [
        {
          name: 'dev',
          title: 'Development',
          url: 'https://127.0.0.1:6443',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'secret-token',
          },
          caData: 'Y2E=',
          caFile: undefined,
          skipTLSVerify: false,
        },
      ],
    );
  });

  it('finds kubectl proxy’s cluster as `local`, with no credential', async () => {
    const [local] = suppliersOf({ type: 'localKubectlProxy' });
    const [cluster] = await local.supplier.getClusters({ credentials });
    expect(cluster).toEqual({
      name: 'local',
      url: expect.stringMatching(/^http:\/\/(127\.0\.0\.1|\[::1\]):8001$/),
      authMetadata: { 'kubernetes.io/auth-provider': 'localKubectlProxy' },
      skipMetricsLookup: true,
    });
  });

  it('reads a gke locator for its project, every location by default', () => {
    const [gke] = suppliersOf({
      type: 'gke',
      projectId: 'acme-platform',
      authProvider: 'googleServiceAccount',
    });
    expect(gke.source).toBe('kubernetes.clusterLocatorMethods[0]');
    expect(gke.supplier).toBeInstanceOf(GkeClusterSupplier);
    expect((gke.supplier as GkeClusterSupplier).parent).toBe(
      'projects/acme-platform/locations/-',
    );
  });

  it.each([
    [
      { type: 'config', clusters: [{ name: 'a', url: 'ftp://x' }] },
      'kubernetes.clusterLocatorMethods[1].clusters[0].url: must be an http(s) URL of the Kubernetes API server (got "ftp://x")',
    ],
    [
      {
        type: 'config',
        clusters: [{ name: 'a', url: 'https://x', authProvider: 'kerberos' }],
      },
      'kubernetes.clusterLocatorMethods[1].clusters[0].authProvider: must be one of serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy, oidc, google, aks (got "kerberos")',
    ],
    [
      { type: 'config', clusters: [{ name: 'east', url: 'https://x' }] },
      'kubernetes.clusterLocatorMethods[1].clusters[0].name: cluster name "east" is used twice; each cluster needs a unique name',
    ],
    [
      { type: 'gke' },
      'kubernetes.clusterLocatorMethods[1].projectId: required, the Google Cloud project whose GKE clusters are listed',
    ],
    [
      { type: 'gke', projectId: 'acme-platform', authProvider: 'google' },
      'kubernetes.clusterLocatorMethods[1].serviceAccountToken: required when authProvider is "google"',
    ],
    [
      { type: 'rancher' },
      'kubernetes.clusterLocatorMethods[1].type: unknown cluster locator "rancher"; PlatformOps supports config, catalog, localKubectlProxy and gke',
    ],
  ])('refuses %j at startup, naming the field', (method, message) => {
    expect(() =>
      suppliersOf(
        { type: 'config', clusters: [{ name: 'east', url: 'https://e' }] },
        method,
      ),
    ).toThrow(message);
  });
});
