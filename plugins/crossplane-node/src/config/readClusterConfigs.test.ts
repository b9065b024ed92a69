import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readClusterConfigs } from './readClusterConfigs';

function configWith(clusters: JsonObject[], extraMethods: JsonObject[] = []) {
  return new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [...extraMethods, { type: 'config', clusters }],
    },
  });
}

describe('readClusterConfigs', () => {
  it('reads config clusters with defaults', () => {
    const clusters = readClusterConfigs(
      configWith([
        {
          name: 'dev',
          url: 'https://127.0.0.1:6443/',
          serviceAccountToken: 'secret-token',
          caData: 'Y2E=',
        },
      ]),
    );
    expect(clusters).toEqual([
      {
        name: 'dev',
        title: undefined,
        url: 'https://127.0.0.1:6443',
        authProvider: 'serviceAccount',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'secret-token',
        },
        serviceAccountToken: 'secret-token',
        caData: 'Y2E=',
        caFile: undefined,
        skipTLSVerify: false,
      },
    ]);
  });

  it('skips locator types that carry no static clusters', () => {
    const clusters = readClusterConfigs(
      configWith([{ name: 'a', url: 'https://a' }], [{ type: 'catalog' }]),
    );
    expect(clusters.map(c => c.name)).toEqual(['a']);
  });

  it('returns no cluster when the kubernetes section is absent', () => {
    expect(readClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('names the field of a duplicate cluster', () => {
    expect(() =>
      readClusterConfigs(
        configWith([
          { name: 'a', url: 'https://a' },
          { name: 'a', url: 'https://b' },
        ]),
      ),
    ).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[1].name: cluster name "a" is used twice',
    );
  });

  it('names the field of an unknown auth provider', () => {
    expect(() =>
      readClusterConfigs(
        configWith([{ name: 'a', url: 'https://a', authProvider: 'kerberos' }]),
      ),
    ).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[0].authProvider: must be one of serviceAccount, aws, azure, googleServiceAccount, localKubectlProxy, oidc, google, aks (got "kerberos")',
    );
  });

  it('builds the auth metadata as the kubernetes plugin does, the authMetadata block last', () => {
    const [cluster] = readClusterConfigs(
      configWith([
        {
          name: 'eks',
          url: 'https://eks',
          authProvider: 'aws',
          assumeRole: 'arn:aws:iam::1:role/r',
          externalId: 'x',
          authMetadata: { 'kubernetes.io/x-k8s-aws-id': 'prod' },
        },
      ]),
    );
    expect(cluster.authProvider).toBe('aws');
    expect(cluster.authMetadata).toEqual({
      'kubernetes.io/auth-provider': 'aws',
      'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/r',
      'kubernetes.io/aws-external-id': 'x',
      'kubernetes.io/x-k8s-aws-id': 'prod',
    });
  });

  it("names the fields a provider of the user's own token needs: the sign-in provider, and the service token PlatformOps reads with", () => {
    expect(() =>
      readClusterConfigs(
        configWith([
          {
            name: 'a',
            url: 'https://a',
            authProvider: 'oidc',
            serviceAccountToken: 't',
          },
        ]),
      ),
    ).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[0].oidcTokenProvider: required when authProvider is "oidc"',
    );
    for (const extra of [
      { authProvider: 'oidc', oidcTokenProvider: 'okta' },
      { authProvider: 'google' },
    ]) {
      expect(() =>
        readClusterConfigs(
          configWith([{ name: 'a', url: 'https://a', ...extra }]),
        ),
      ).toThrow(
        `kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken: required when authProvider is "${extra.authProvider}": PlatformOps reads the cluster (its object cache, the catalog, the status pages) with this service token, and writes with the signed-in user's own token`,
      );
    }
    const [oidc] = readClusterConfigs(
      configWith([
        {
          name: 'a',
          url: 'https://a',
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
          serviceAccountToken: 't',
        },
      ]),
    );
    expect(oidc.authMetadata).toEqual({
      'kubernetes.io/auth-provider': 'oidc',
      'kubernetes.io/oidc-token-provider': 'okta',
      serviceAccountToken: 't',
    });
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() =>
      readClusterConfigs(configWith([{ name: 'a', url: '127.0.0.1:6443' }])),
    ).toThrow(/clusters\[0\]\.url: must be an http\(s\) URL/);
  });
});
