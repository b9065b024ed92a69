/*
 * The client against the real local API server: lists that span many pages
 * return every object, for built-in kinds and for custom resources alike.
 */
import { KubernetesClusterClient } from './KubernetesClusterClient';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

describe('KubernetesClusterClient on the local control plane', () => {
  let client: KubernetesClusterClient;

  beforeAll(() => {
    const cp = controlPlane.ensureControlPlane({
      name: 'itest',
      port: 6643,
      seed: true,
      waitReady: true,
    });
    client = KubernetesClusterClient.fromConfig(cp.backstageCluster);
  });

  const names = (items: { metadata?: { name?: string } }[]) =>
    items.map(item => item.metadata?.name).sort();

  it.each([
    [
      'custom resources (claims)',
      'storage.platformops.io/v1alpha1',
      'ObjectBucket',
    ],
    ['custom resources (managed)', 'nop.crossplane.io/v1alpha1', 'NopResource'],
    ['built-in kinds', 'v1', 'Service'],
  ])('reads every page of a list of %s', async (_what, apiVersion, kind) => {
    const whole = await client.list(apiVersion, kind);
    // More objects than the page size: the list needs several pages.
    expect(whole.items.length).toBeGreaterThan(1);

    const paged = await client.list(apiVersion, kind, { pageSize: 1 });
    expect(names(paged.items)).toEqual(names(whole.items));
    expect(paged.resourceVersion).toMatch(/^\d+$/);
  });
});
