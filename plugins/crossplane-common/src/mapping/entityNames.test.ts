import fc from 'fast-check';
import { labelValueProblem } from '../model/names';
import {
  clusterEntityName,
  groupToken,
  ObjectIdentity,
  objectEntityName,
  shortHash,
} from './entityNames';

/** Backstage's rule for `metadata.name`: that of a label value, not empty. */
function isValidEntityName(name: string): boolean {
  return name.length > 0 && labelValueProblem(name) === undefined;
}

const claim: ObjectIdentity = {
  cluster: 'east',
  group: 'database.example.org',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'orders-db',
};

describe('entity names', () => {
  it('is readable: name, kind, group token, namespace, cluster', () => {
    expect(objectEntityName(claim)).toBe(
      `orders-db.postgresqlinstance.database-${shortHash(
        'database.example.org',
      ).slice(0, 6)}.team-alpha.east`,
    );
    expect(
      objectEntityName({
        cluster: 'east',
        group: 'nop.crossplane.io',
        kind: 'NopResource',
        name: 'orders-db-x7k2p-abcde',
      }),
    ).toMatch(/^orders-db-x7k2p-abcde\.nopresource\.nop-[0-9a-f]{6}\.east$/);
    expect(clusterEntityName('east')).toBe('cluster-east');
  });

  it('gives core kinds no group token and one-label groups as they are', () => {
    expect(
      objectEntityName({ ...claim, group: '', kind: 'Service', name: 'web' }),
    ).toBe('web.service.team-alpha.east');
    expect(
      objectEntityName({ ...claim, group: 'apps', kind: 'Deployment' }),
    ).toBe('orders-db.deployment.apps.team-alpha.east');
  });

  it('tells apart the same name and kind in two groups', () => {
    const bucket = { cluster: 'east', kind: 'Bucket', name: 'shared-bucket' };
    const aws = objectEntityName({ ...bucket, group: 's3.aws.upbound.io' });
    const gcp = objectEntityName({
      ...bucket,
      group: 'storage.gcp.upbound.io',
    });
    expect(aws).not.toBe(gcp);
    expect(aws).toMatch(/^shared-bucket\.bucket\.s3-[0-9a-f]{6}\.east$/);
    expect(gcp).toMatch(/^shared-bucket\.bucket\.storage-[0-9a-f]{6}\.east$/);
  });

  it("tells apart a v1 provider's kind and its v2 namespaced (.m.) twin", () => {
    const bucket = {
      cluster: 'east',
      kind: 'Bucket',
      namespace: 'team-a',
      name: 'logs',
    };
    expect(
      objectEntityName({ ...bucket, group: 's3.aws.upbound.io' }),
    ).not.toBe(objectEntityName({ ...bucket, group: 's3.aws.m.upbound.io' }));
    expect(groupToken('s3.aws.upbound.io')).not.toBe(
      groupToken('s3.aws.m.upbound.io'),
    );
  });

  it('tells apart the same object name in other clusters, kinds and namespaces', () => {
    const names = new Set([
      objectEntityName(claim),
      objectEntityName({ ...claim, cluster: 'west' }),
      objectEntityName({ ...claim, kind: 'Bucket' }),
      objectEntityName({ ...claim, namespace: 'team-beta' }),
      objectEntityName({ ...claim, namespace: undefined }),
      objectEntityName({ ...claim, group: 'database.example.com' }),
    ]);
    expect(names.size).toBe(6);
  });

  it('shortens a long name with a hash of the whole identity, keeping where it lives', () => {
    const composed = {
      cluster: 'itest2',
      group: 'nop.m.crossplane.io',
      kind: 'NopResource',
      namespace: 'team-alpha',
      name: 'payments-db-290ef6a00130',
    };
    const name = objectEntityName(composed);
    const hash = shortHash(
      'itest2/nop.m.crossplane.io/NopResource/team-alpha/payments-db-290ef6a00130',
    );
    expect(name).toBe(
      `payments-db-2-${hash}.nopresource.${groupToken(
        'nop.m.crossplane.io',
      )}.team-alpha.itest2`,
    );
    expect(name).toHaveLength(63);
    expect(
      objectEntityName({ ...composed, name: 'payments-db-290ef6a00131' }),
    ).not.toBe(name);
  });

  it('shortens the whole name when kind, namespace and cluster alone are too long', () => {
    const long = {
      cluster: 'production-eu-west-1',
      group: 'platform.example.org',
      kind: 'XKubernetesClusterWithNodePools',
      namespace: 'team-platform-engineering',
      name: 'a-very-long-claim-name-for-the-payments-team',
    };
    const name = objectEntityName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(
      name.endsWith(
        shortHash(
          'production-eu-west-1/platform.example.org/XKubernetesClusterWithNodePools/team-platform-engineering/a-very-long-claim-name-for-the-payments-team',
        ),
      ),
    ).toBe(true);
    expect(
      objectEntityName({ ...long, cluster: 'production-eu-west-2' }),
    ).not.toBe(name);
    expect(
      objectEntityName({ ...long, group: 'platform.example.com' }),
    ).not.toBe(name);
    expect(isValidEntityName(name)).toBe(true);
  });

  describe('for any identity', () => {
    const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    const identity = fc.record(
      {
        cluster: fc.oneof(dnsLabel, fc.string({ minLength: 1, maxLength: 40 })),
        group: fc.oneof(
          fc.constant(''),
          dnsLabel,
          fc
            .array(dnsLabel, { minLength: 2, maxLength: 5 })
            .map(labels => labels.join('.')),
        ),
        kind: fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,62}$/),
        namespace: dnsLabel,
        name: fc.oneof(
          dnsLabel,
          fc
            .array(dnsLabel, { minLength: 1, maxLength: 12 })
            .map(labels => labels.join('.').slice(0, 253)),
        ),
      },
      { requiredKeys: ['cluster', 'group', 'kind', 'name'] },
    );

    it('is a valid entity name, and the same every time', () => {
      fc.assert(
        fc.property(identity, id => {
          const name = objectEntityName(id);
          expect(isValidEntityName(name)).toBe(true);
          expect(objectEntityName({ ...id })).toBe(name);
        }),
        { numRuns: 300 },
      );
    });

    it('differs between two groups, whatever else is the same', () => {
      fc.assert(
        fc.property(
          identity,
          dnsLabel,
          dnsLabel,
          dnsLabel,
          (id, first, other, domain) => {
            const a = `${first}.${domain}.io`;
            const b = `${first}.${other}.${domain}.io`;
            expect(objectEntityName({ ...id, group: a })).not.toBe(
              objectEntityName({ ...id, group: b }),
            );
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
