import { appTree, packageObjects, postgresTree } from '../__fixtures__/objects';
import { compositeInfo, managedInfo } from './machinery';
import { packageInfo } from './packages';

describe('compositeInfo', () => {
  it('reads a v1 claim and composite', () => {
    const [claim, xr] = postgresTree;
    expect(compositeInfo(claim)).toEqual({
      layout: 'v1',
      compositionRef: { name: 'xpostgresqlinstances.aws.database.example.org' },
      resourceRefs: [],
      compositeRef: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: 'orders-db-x7k2p',
      },
      writeConnectionSecretToRef: { name: 'orders-db-conn' },
    });
    const info = compositeInfo(xr);
    expect(info.layout).toBe('v1');
    expect(info.compositionRevisionRef?.name).toBe(
      'xpostgresqlinstances.aws.database.example.org-4f3e2a1',
    );
    expect(info.compositionUpdatePolicy).toBe('Automatic');
    expect(info.claimRef).toEqual({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      name: 'orders-db',
      namespace: 'team-a',
    });
    expect(info.resourceRefs.map(r => r.kind)).toEqual([
      'Instance',
      'SubnetGroup',
      'XNetwork',
      'Object',
    ]);
    expect(info.writeConnectionSecretToRef).toEqual({
      name: '0b7b1c9e-0002-4000-8000-000000000002',
      namespace: 'crossplane-system',
    });
  });

  it('reads a v2 composite from spec.crossplane', () => {
    const info = compositeInfo(appTree[0]);
    expect(info).toMatchObject({
      layout: 'v2',
      compositionRef: { name: 'app-kcl' },
      compositionUpdatePolicy: 'Automatic',
    });
    expect(info.resourceRefs).toHaveLength(3);
    expect(info.resourceRefs.every(r => r.namespace === 'team-b')).toBe(true);
  });

  it('never throws', () => {
    expect(compositeInfo(null as any)).toEqual({
      layout: 'v1',
      resourceRefs: [],
    });
    expect(
      compositeInfo({
        apiVersion: 'x',
        kind: 'Y',
        metadata: { name: 'n' },
        spec: {
          crossplane: { compositionSelector: { matchLabels: { a: 1 } } },
        },
      } as any),
    ).toEqual({
      layout: 'v2',
      compositionSelector: { matchLabels: {} },
      resourceRefs: [],
    });
  });
});

describe('managedInfo', () => {
  it('reads managed resources and provider-kubernetes Objects', () => {
    const rds = managedInfo(postgresTree[2]);
    expect(rds).toMatchObject({
      externalName: 'orders-db-x7k2p-8jz4q',
      compositionResourceName: 'rds-instance',
      providerConfig: { name: 'default' },
      deletionPolicy: 'Delete',
      owner: {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'XPostgreSQLInstance',
        name: 'orders-db-x7k2p',
      },
    });
    expect(rds.forProvider?.instanceClass).toBe('db.t3.medium');
    expect(rds.atProvider?.status).toBe('creating');
    const object = managedInfo(postgresTree[7]);
    expect(object.managementPolicies).toEqual(['*']);
    expect(object.providerConfig).toEqual({ name: 'in-cluster' });
    const bucket = managedInfo(appTree[3]);
    expect(bucket.providerConfig).toEqual({
      name: 'default',
      kind: 'ProviderConfig',
    });
    expect(bucket.writeConnectionSecretToRef).toEqual({
      name: 'checkout-assets-conn',
    });
    expect(bucket.owner?.namespace).toBe('team-b');
    expect(managedInfo(undefined as any)).toEqual({});
  });
});

describe('packageInfo', () => {
  it('reads providers, functions and configurations', () => {
    expect(packageInfo(packageObjects[0])).toEqual({
      kind: 'Provider',
      name: 'upbound-provider-aws-rds',
      package: 'xpkg.upbound.io/upbound/provider-aws-rds:v1.21.0',
      version: 'v1.21.0',
      currentRevision: 'upbound-provider-aws-rds-2f6d0f3b5c1a',
      installed: true,
      healthy: true,
      runtimeConfig: 'default',
    });
    expect(packageInfo(packageObjects[1])).toMatchObject({
      kind: 'Function',
      version: 'v0.8.2',
      installed: true,
      healthy: false,
    });
    expect(packageInfo(packageObjects[2])).toMatchObject({
      kind: 'Configuration',
      installed: false,
      healthy: false,
    });
    expect(packageInfo(packageObjects[3])).toBeUndefined();
    expect(
      packageInfo({
        apiVersion: 'pkg.crossplane.io/v1',
        kind: 'Provider',
        metadata: { name: 'p' },
        spec: { package: 'registry:5000/p@sha256:abc' },
      }),
    ).toMatchObject({ version: 'sha256:abc' });
  });
});
