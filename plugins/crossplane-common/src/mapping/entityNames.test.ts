import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { clusterEntityName, objectEntityName, shortHash } from './entityNames';

describe('entity names', () => {
  it('is readable for ordinary objects', () => {
    expect(
      objectEntityName({
        cluster: 'east',
        kind: 'PostgreSQLInstance',
        namespace: 'team-alpha',
        name: 'orders-db',
      }),
    ).toBe('orders-db.postgresqlinstance.team-alpha.east');
    expect(
      objectEntityName({
        cluster: 'east',
        kind: 'NopResource',
        name: 'orders-db-x7k2p-abcde',
      }),
    ).toBe('orders-db-x7k2p-abcde.nopresource.east');
    expect(clusterEntityName('east')).toBe('cluster-east');
  });

  it('tells apart the same object name in other clusters, kinds and namespaces', () => {
    const names = new Set([
      objectEntityName({
        cluster: 'east',
        kind: 'A',
        namespace: 'x',
        name: 'n',
      }),
      objectEntityName({
        cluster: 'west',
        kind: 'A',
        namespace: 'x',
        name: 'n',
      }),
      objectEntityName({
        cluster: 'east',
        kind: 'B',
        namespace: 'x',
        name: 'n',
      }),
      objectEntityName({
        cluster: 'east',
        kind: 'A',
        namespace: 'y',
        name: 'n',
      }),
      objectEntityName({ cluster: 'east', kind: 'A', name: 'n' }),
    ]);
    expect(names.size).toBe(5);
  });

  it('shortens long identities to a valid name with a hash of the whole identity', () => {
    const long = {
      cluster: 'production-eu-west-1',
      kind: 'XKubernetesClusterWithNodePools',
      namespace: 'team-platform-engineering',
      name: 'a-very-long-claim-name-for-the-payments-team',
    };
    const name = objectEntityName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(
      name.endsWith(
        shortHash(
          'production-eu-west-1/XKubernetesClusterWithNodePools/team-platform-engineering/a-very-long-claim-name-for-the-payments-team',
        ),
      ),
    ).toBe(true);
    expect(
      objectEntityName({ ...long, cluster: 'production-eu-west-2' }),
    ).not.toBe(name);
    expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
  });

  it('makes any Kubernetes name a valid entity name', () => {
    for (const name of [
      'db.example.com',
      'a',
      'x'.repeat(253),
      'trailing-',
      'UPPER_case',
    ]) {
      const entityName = objectEntityName({
        cluster: 'c',
        kind: 'Bucket',
        namespace: 'ns',
        name,
      });
      expect(KubernetesValidatorFunctions.isValidObjectName(entityName)).toBe(
        true,
      );
    }
  });
});
