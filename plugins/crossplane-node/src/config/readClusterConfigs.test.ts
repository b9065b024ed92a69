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

  it('names the field of an unsupported auth provider', () => {
    expect(() =>
      readClusterConfigs(
        configWith([{ name: 'a', url: 'https://a', authProvider: 'aws' }]),
      ),
    ).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[0].authProvider: must be one of serviceAccount (got "aws")',
    );
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() =>
      readClusterConfigs(configWith([{ name: 'a', url: '127.0.0.1:6443' }])),
    ).toThrow(/clusters\[0\]\.url: must be an http\(s\) URL/);
  });
});
