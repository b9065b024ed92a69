import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { watchedKindOfCrd } from './watchedKinds';

function crd(group: string, kind: string, categories: string[]) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      names: { kind, categories },
      versions: [{ name: 'v1beta1', served: true, storage: true }],
    },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  } as KubernetesObject;
}

describe('watchedKindOfCrd', () => {
  it("follows each provider family's ProviderConfig kind, by its group", () => {
    for (const group of [
      'aws.upbound.io',
      'gcp.upbound.io',
      'aws.m.upbound.io',
    ]) {
      expect(
        watchedKindOfCrd(
          crd(group, 'ProviderConfig', ['crossplane', 'provider', 'aws']),
        ),
      ).toEqual({ apiVersion: `${group}/v1beta1`, kind: 'ProviderConfig' });
    }
    expect(
      watchedKindOfCrd(
        crd('aws.m.upbound.io', 'ClusterProviderConfig', ['crossplane']),
      ),
    ).toBeDefined();
  });

  it('leaves out a ProviderConfig kind of no Crossplane provider, and usages', () => {
    expect(
      watchedKindOfCrd(crd('example.org', 'ProviderConfig', [])),
    ).toBeUndefined();
    expect(
      watchedKindOfCrd(
        crd('aws.upbound.io', 'ProviderConfigUsage', [
          'crossplane',
          'provider',
        ]),
      ),
    ).toBeUndefined();
  });
});
