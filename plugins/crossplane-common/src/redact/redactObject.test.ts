import { REDACTED_VALUE, redactObject } from '.';
import { postgresTree, packageObjects } from '../__fixtures__/objects';
import { KubernetesObject } from '../model/types';

describe('redactObject', () => {
  const secret = postgresTree.find(o => o.kind === 'Secret')!;
  const object = postgresTree.find(o => o.kind === 'Object')!;

  it('strips Secret data and the last-applied annotation, without mutating', () => {
    const before = JSON.stringify(secret);
    const redacted = redactObject(secret);
    expect(redacted.data).toBeUndefined();
    expect(redacted.metadata.annotations).toBeUndefined();
    expect(redacted.metadata.name).toBe('orders-db-conn');
    expect(redacted.type).toBe('connection.crossplane.io/v1alpha1');
    expect(JSON.stringify(secret)).toBe(before);
    expect(JSON.stringify(redacted)).not.toMatch(/cGFzc3dvcmQ=|cGFzcw==/);
  });

  it('strips Secret manifests embedded in provider-kubernetes Objects', () => {
    const text = JSON.stringify(redactObject(object));
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('czNjcjN0');
    expect(redactObject(object).spec?.forProvider.manifest.metadata.name).toBe(
      'orders-db-bootstrap',
    );
  });

  it('keeps secret references and replaces secret values', () => {
    const managed: KubernetesObject = {
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Instance',
      metadata: { name: 'db', managedFields: [{ manager: 'x' }] },
      spec: {
        forProvider: {
          masterPasswordSecretRef: {
            name: 'db-pw',
            namespace: 'crossplane-system',
            key: 'password',
          },
          password: 'hunter2',
          autoGeneratePassword: true,
          port: 5432,
        },
        writeConnectionSecretToRef: {
          name: 'db-conn',
          namespace: 'crossplane-system',
        },
      },
    };
    const r = redactObject(managed);
    expect(r.spec?.forProvider).toEqual({
      masterPasswordSecretRef: {
        name: 'db-pw',
        namespace: 'crossplane-system',
        key: 'password',
      },
      password: REDACTED_VALUE,
      autoGeneratePassword: true,
      port: 5432,
    });
    expect(r.spec?.writeConnectionSecretToRef).toEqual({
      name: 'db-conn',
      namespace: 'crossplane-system',
    });
    expect(r.metadata.managedFields).toBeUndefined();
  });

  it('redacts literal connection details and sensitive name/value pairs', () => {
    const composition: KubernetesObject = {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'Composition',
      metadata: { name: 'c' },
      spec: {
        resources: [
          {
            name: 'db',
            connectionDetails: [
              { name: 'username', fromConnectionSecretKey: 'username' },
              { name: 'url', type: 'Value', value: 'postgres://admin:pw@host' },
            ],
          },
        ],
      },
    };
    const r = redactObject(composition);
    expect(r.spec?.resources[0].connectionDetails).toEqual([
      { name: 'username', fromConnectionSecretKey: 'username' },
      { name: 'url', type: 'Value', value: REDACTED_VALUE },
    ]);
    const release = redactObject({
      apiVersion: 'helm.crossplane.io/v1beta1',
      kind: 'Release',
      metadata: { name: 'r' },
      spec: {
        forProvider: {
          set: [
            { name: 'auth.password', value: 'x' },
            { name: 'replicas', value: '2' },
          ],
          values: { auth: { apiToken: 'abc', user: 'me' } },
        },
      },
    });
    expect(release.spec?.forProvider.set).toEqual([
      { name: 'auth.password', value: REDACTED_VALUE },
      { name: 'replicas', value: '2' },
    ]);
    expect(release.spec?.forProvider.values.auth).toEqual({
      apiToken: REDACTED_VALUE,
      user: 'me',
    });
  });

  it('leaves ordinary objects as they were', () => {
    for (const o of packageObjects.filter(p => p.kind !== 'Composition')) {
      expect(redactObject(o)).toEqual(o);
    }
  });
});
