import { InputError } from '@backstage/errors';
import {
  apiVersionOf,
  describeObjectId,
  locatorOfId,
  objectIdKey,
  objectIdProblems,
  parseObjectId,
} from './objectId';

const claim = {
  cluster: 'east',
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  namespace: 'team-a',
  name: 'orders-db',
};

describe('parseObjectId', () => {
  it('parses an exact identity', () => {
    const id = parseObjectId(claim);
    expect(id).toEqual({
      cluster: 'east',
      group: 'database.example.org',
      version: 'v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
    expect(apiVersionOf(id)).toBe('database.example.org/v1alpha1');
    expect(describeObjectId(id)).toBe(
      'PostgreSQLInstance.database.example.org team-a/orders-db in cluster east',
    );
  });

  it('reads the core group and an empty namespace as none', () => {
    const id = parseObjectId({
      ...claim,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: '',
    });
    expect(id.group).toBe('');
    expect(id.namespace).toBeUndefined();
    expect(apiVersionOf(id)).toBe('v1');
  });

  it.each([
    ['namespace', 'TEAM-A', 'namespace: must be a DNS-1123 label'],
    ['name', 'ORDERS-DB', 'name: must be a DNS-1123 subdomain'],
    ['name', ' orders-db', 'name: must be a DNS-1123 subdomain'],
    ['kind', 'postgresqlinstance', 'kind: must be a Kubernetes kind'],
    ['kind', 'NoSuch Kind', 'kind: must be a Kubernetes kind'],
    ['apiVersion', ' ', 'apiVersion: must end in a Kubernetes version'],
    ['apiVersion', '__proto__', 'apiVersion: must end in a Kubernetes version'],
    ['apiVersion', '../', 'apiVersion: group must be a DNS-1123 subdomain'],
    ['apiVersion', 'a/b/c', 'apiVersion: must be "version" or "group/version"'],
    [
      'apiVersion',
      'Database.example.org/v1',
      'apiVersion: group must be a DNS-1123 subdomain',
    ],
    ['cluster', '', 'cluster: must not be empty'],
    ['cluster', 'east\n', 'cluster: must be a cluster name'],
    ['name', 'a'.repeat(100_000), 'name: must be no more than 253 characters'],
  ])('refuses %s %j, naming the field', (field, value, message) => {
    const problems = objectIdProblems({ ...claim, [field]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(() => parseObjectId({ ...claim, [field]: value })).toThrow(
      InputError,
    );
  });

  it('names every missing or mistyped field at once', () => {
    expect(objectIdProblems({ namespace: 7 })).toEqual([
      'cluster: is required',
      'apiVersion: is required',
      'kind: is required',
      'namespace: must be a string',
      'name: is required',
    ]);
  });

  it('names the fields under the caller’s names', () => {
    expect(
      objectIdProblems(
        { ...claim, name: 'X' },
        { name: 'manifest.metadata.name' },
      ),
    ).toEqual([expect.stringMatching(/^manifest\.metadata\.name: /)]);
  });
});

describe('objectIdKey', () => {
  it('tells objects of the same kind in two groups apart, and not two versions', () => {
    const aws = parseObjectId({
      ...claim,
      apiVersion: 's3.aws.upbound.io/v1beta1',
      kind: 'Bucket',
    });
    const gcp = parseObjectId({
      ...claim,
      apiVersion: 'storage.gcp.upbound.io/v1beta1',
      kind: 'Bucket',
    });
    const awsV2 = parseObjectId({
      ...claim,
      apiVersion: 's3.aws.upbound.io/v1beta2',
      kind: 'Bucket',
    });
    expect(objectIdKey(aws)).not.toBe(objectIdKey(gcp));
    expect(objectIdKey(aws)).toBe(objectIdKey(awsV2));
  });
});

describe('locatorOfId', () => {
  it('gives the apiVersion and keeps the namespace of a namespaced object', () => {
    expect(locatorOfId(parseObjectId(claim))).toEqual(claim);
  });

  it('leaves out the namespace of a cluster-scoped object', () => {
    const xr = { ...claim, kind: 'XPostgreSQLInstance', namespace: undefined };
    expect(locatorOfId(parseObjectId(xr))).toEqual({
      cluster: 'east',
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'orders-db',
    });
  });
});
