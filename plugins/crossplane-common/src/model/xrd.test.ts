import {
  allXrds,
  appXrd,
  bucketXrd,
  postgresXrd,
  redisXrd,
  tenantXrd,
} from '../__fixtures__/xrds';
import { CrossplaneModelError } from './errors';
import {
  isNamespacedTarget,
  parseXrd,
  referenceableVersion,
  resolveXrdTarget,
  resolveXrdVersion,
  servedVersions,
  usesCrossplaneSpecField,
} from './xrd';

function clone<T>(v: T): any {
  return JSON.parse(JSON.stringify(v));
}

describe('parseXrd', () => {
  it.each(Object.entries(allXrds))('parses the %s fixture', (_, raw) => {
    const xrd = parseXrd(raw);
    expect(xrd.name).toBe(`${xrd.names.plural}.${xrd.group}`);
    expect(referenceableVersion(xrd).served).toBe(true);
    expect(servedVersions(xrd).length).toBeGreaterThan(0);
  });

  it('normalises a v1 XRD with claims as LegacyCluster', () => {
    const xrd = parseXrd(postgresXrd);
    expect(xrd).toMatchObject({
      name: 'xpostgresqlinstances.database.example.org',
      group: 'database.example.org',
      names: { kind: 'XPostgreSQLInstance', plural: 'xpostgresqlinstances' },
      claimNames: { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' },
      scope: 'LegacyCluster',
      crossplaneVersion: 'v1',
      defaultCompositionRef: {
        name: 'xpostgresqlinstances.aws.database.example.org',
      },
      connectionSecretKeys: ['username', 'password', 'endpoint', 'port'],
      labels: { provider: 'aws' },
    });
    expect(xrd.versions).toHaveLength(1);
    expect(
      xrd.versions[0].schema?.properties?.spec?.properties?.parameters,
    ).toBeDefined();
    expect(usesCrossplaneSpecField(xrd)).toBe(false);
  });

  it('defaults a v2 XRD to Namespaced and keeps explicit scopes', () => {
    expect(parseXrd(appXrd).scope).toBe('Namespaced');
    expect(parseXrd(appXrd).crossplaneVersion).toBe('v2');
    expect(parseXrd(tenantXrd).scope).toBe('Cluster');
    const redis = parseXrd(redisXrd);
    expect(redis.scope).toBe('LegacyCluster');
    expect(redis.claimNames?.kind).toBe('RedisCluster');
    expect(usesCrossplaneSpecField(parseXrd(appXrd))).toBe(true);
    expect(usesCrossplaneSpecField(redis)).toBe(false);
  });

  it('ignores spec.scope on v1 XRDs', () => {
    const raw = clone(postgresXrd);
    raw.spec.scope = 'Namespaced';
    expect(parseXrd(raw).scope).toBe('LegacyCluster');
  });

  it('knows served and referenceable versions', () => {
    const xrd = parseXrd(bucketXrd);
    expect(servedVersions(xrd).map(v => v.name)).toEqual([
      'v1alpha1',
      'v1beta1',
    ]);
    expect(referenceableVersion(xrd).name).toBe('v1beta1');
    expect(xrd.versions[0].deprecated).toBe(true);
    expect(resolveXrdVersion(xrd).name).toBe('v1beta1');
    expect(resolveXrdVersion(xrd, 'v1alpha1').name).toBe('v1alpha1');
    expect(() => resolveXrdVersion(xrd, 'v2')).toThrow(CrossplaneModelError);
    const unserved = clone(bucketXrd);
    unserved.spec.versions[0].served = false;
    expect(() => resolveXrdVersion(parseXrd(unserved), 'v1alpha1')).toThrow(
      /not served/,
    );
  });

  it('resolves targets', () => {
    const pg = parseXrd(postgresXrd);
    const app = parseXrd(appXrd);
    const tenant = parseXrd(tenantXrd);
    expect(resolveXrdTarget(pg)).toBe('claim');
    expect(resolveXrdTarget(pg, 'composite')).toBe('composite');
    expect(resolveXrdTarget(app)).toBe('composite');
    expect(() => resolveXrdTarget(app, 'claim')).toThrow(CrossplaneModelError);
    expect(isNamespacedTarget(pg, 'claim')).toBe(true);
    expect(isNamespacedTarget(pg, 'composite')).toBe(false);
    expect(isNamespacedTarget(app, 'composite')).toBe(true);
    expect(isNamespacedTarget(tenant, 'composite')).toBe(false);
  });

  const broken: [string, (x: any) => void, string][] = [
    ['not an object', x => Object.assign(x, { toString: undefined }), ''],
    [
      'a wrong apiVersion',
      x => (x.apiVersion = 'apiextensions.k8s.io/v1'),
      'apiVersion',
    ],
    ['a wrong kind', x => (x.kind = 'CustomResourceDefinition'), 'kind'],
    ['no group', x => delete x.spec.group, 'spec.group'],
    [
      'a name that does not match',
      x => (x.metadata.name = 'other.database.example.org'),
      'metadata.name',
    ],
    ['no versions', x => (x.spec.versions = []), 'spec.versions'],
    [
      'two referenceable versions',
      x => x.spec.versions.push({ ...x.spec.versions[0], name: 'v1beta1' }),
      'spec.versions',
    ],
    [
      'a duplicate version',
      x =>
        x.spec.versions.push({ ...x.spec.versions[0], referenceable: false }),
      'spec.versions[1].name',
    ],
    [
      'a non-boolean served',
      x => (x.spec.versions[0].served = 'yes'),
      'spec.versions[0].served',
    ],
    [
      'a bad schema type',
      x =>
        (x.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.type =
          'map'),
      'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.type',
    ],
    [
      'a bad pattern',
      x =>
        (x.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.region.pattern =
          '(['),
      'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.region.pattern',
    ],
    [
      'required that is not a list',
      x =>
        (x.spec.versions[0].schema.openAPIV3Schema.properties.spec.required =
          'parameters'),
      'spec.versions[0].schema.openAPIV3Schema.properties.spec.required',
    ],
    [
      'a lowercase kind',
      x => (x.spec.names.kind = 'x-postgres'),
      'spec.names.kind',
    ],
    [
      'bad connectionSecretKeys',
      x => (x.spec.connectionSecretKeys = 'password'),
      'spec.connectionSecretKeys',
    ],
  ];

  it.each(broken)(
    'rejects an XRD with %s, naming the field',
    (_, mutate, field) => {
      const raw = clone(postgresXrd);
      mutate(raw);
      const input = _ === 'not an object' ? 'xrd' : raw;
      try {
        parseXrd(input);
        throw new Error('parsed');
      } catch (e) {
        expect(e).toBeInstanceOf(CrossplaneModelError);
        expect((e as CrossplaneModelError).field).toBe(field);
      }
    },
  );

  it('rejects claimNames on a Namespaced v2 XRD', () => {
    const raw = clone(appXrd);
    raw.spec.claimNames = { kind: 'AppClaim', plural: 'appclaims' };
    expect(() => parseXrd(raw)).toThrow(
      /spec.claimNames: claims are only offered by LegacyCluster/,
    );
  });

  it('rejects an unknown v2 scope', () => {
    const raw = clone(appXrd);
    raw.spec.scope = 'Global';
    expect(() => parseXrd(raw)).toThrow(/spec.scope/);
  });
});
