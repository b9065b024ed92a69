import { parse } from 'yaml';
import {
  CrossplaneModelError,
  isNamespacedTarget,
  parseXrd,
  referenceableVersion,
  resolveXrdTarget,
  resolveXrdVersion,
  servedVersions,
  usesCrossplaneSpecField,
} from '.';
import {
  allXrds,
  appXrd,
  bucketXrd,
  clusterXrd,
  functionAppXrd,
  postgresXrd,
  redisXrd,
  tenantXrd,
} from '../__fixtures__/xrds';

function clone<T>(v: T): any {
  return JSON.parse(JSON.stringify(v));
}

function errorOf(fn: () => unknown): CrossplaneModelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrossplaneModelError);
    return e as CrossplaneModelError;
  }
  throw new Error('expected a CrossplaneModelError');
}

describe('parseXrd', () => {
  it.each(Object.keys(allXrds))('parses the %s fixture', key => {
    const xrd = parseXrd(allXrds[key]);
    expect(xrd.versions.filter(v => v.referenceable)).toHaveLength(1);
    expect(xrd.name).toBe(`${xrd.names.plural}.${xrd.group}`);
  });

  it('normalises a v1 XRD with claims', () => {
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
    expect(xrd.versions[0]).toMatchObject({
      name: 'v1alpha1',
      served: true,
      referenceable: true,
    });
    expect(xrd.versions[0].schema?.properties?.spec?.type).toBe('object');
  });

  it('defaults v2 XRDs to Namespaced and keeps explicit scopes', () => {
    expect(parseXrd(appXrd)).toMatchObject({
      scope: 'Namespaced',
      crossplaneVersion: 'v2',
    });
    expect(parseXrd(tenantXrd).scope).toBe('Cluster');
    expect(parseXrd(redisXrd)).toMatchObject({
      scope: 'LegacyCluster',
      crossplaneVersion: 'v2',
      claimNames: { kind: 'RedisCluster' },
    });
  });

  it('treats v1 XRDs as LegacyCluster', () => {
    expect(parseXrd(clusterXrd).scope).toBe('LegacyCluster');
    expect(parseXrd(clusterXrd).claimNames).toBeUndefined();
  });

  it('reads a v2 XRD listed at v1, its storage version in Crossplane 2, as v2', () => {
    for (const xrd of [appXrd, tenantXrd]) {
      // The API server stores the defaulted scope.
      const stored = parseXrd({
        ...xrd,
        apiVersion: 'apiextensions.crossplane.io/v1',
        spec: { ...(xrd.spec as object), scope: parseXrd(xrd).scope },
      });
      expect(stored).toEqual(parseXrd(xrd));
    }
    // A v1 XRD that says LegacyCluster (or nothing) stays a 1.x XRD.
    expect(
      parseXrd({
        ...clusterXrd,
        spec: { ...(clusterXrd.spec as object), scope: 'LegacyCluster' },
      }),
    ).toMatchObject({ scope: 'LegacyCluster', crossplaneVersion: 'v1' });
  });

  it('finds referenceable and served versions', () => {
    const xrd = parseXrd(bucketXrd);
    expect(referenceableVersion(xrd).name).toBe('v1beta1');
    expect(servedVersions(xrd).map(v => v.name)).toEqual([
      'v1alpha1',
      'v1beta1',
    ]);
    expect(xrd.versions[0]).toMatchObject({ deprecated: true });
    expect(resolveXrdVersion(xrd).name).toBe('v1beta1');
    expect(resolveXrdVersion(xrd, 'v1alpha1').name).toBe('v1alpha1');
    expect(errorOf(() => resolveXrdVersion(xrd, 'v2')).field).toBe('version');
    const unserved = clone(functionAppXrd);
    unserved.spec.versions[0].served = false;
    const parsed = parseXrd(unserved);
    expect(servedVersions(parsed).map(v => v.name)).toEqual(['v1beta1']);
    expect(
      errorOf(() => resolveXrdVersion(parsed, 'v1alpha1')).message,
    ).toMatch(/not served/);
  });

  it('resolves targets and their scope', () => {
    const pg = parseXrd(postgresXrd);
    const app = parseXrd(appXrd);
    const tenant = parseXrd(tenantXrd);
    expect(resolveXrdTarget(pg)).toBe('claim');
    expect(resolveXrdTarget(app)).toBe('composite');
    expect(errorOf(() => resolveXrdTarget(app, 'claim')).field).toBe('target');
    expect(isNamespacedTarget(pg, 'claim')).toBe(true);
    expect(isNamespacedTarget(pg, 'composite')).toBe(false);
    expect(isNamespacedTarget(app, 'composite')).toBe(true);
    expect(isNamespacedTarget(tenant, 'composite')).toBe(false);
    expect(usesCrossplaneSpecField(pg)).toBe(false);
    expect(usesCrossplaneSpecField(app)).toBe(true);
    expect(usesCrossplaneSpecField(tenant)).toBe(true);
  });

  it('reads v2alpha1, the v2 preview, as v2 and names unknown XRD APIs', () => {
    const preview = clone(appXrd);
    preview.apiVersion = 'apiextensions.crossplane.io/v2alpha1';
    expect(parseXrd(preview)).toEqual(parseXrd(appXrd));
    expect(parseXrd(preview)).toMatchObject({
      crossplaneVersion: 'v2',
      scope: 'Namespaced',
    });
    const cluster = clone(tenantXrd);
    cluster.apiVersion = 'apiextensions.crossplane.io/v2alpha1';
    expect(parseXrd(cluster).scope).toBe('Cluster');
    const future = clone(appXrd);
    future.apiVersion = 'apiextensions.crossplane.io/v3';
    expect(errorOf(() => parseXrd(future)).message).toBe(
      'apiVersion: must be apiextensions.crossplane.io/v1 or /v2 (or /v1beta1, /v2alpha1; got "apiextensions.crossplane.io/v3")',
    );
  });

  describe('rejects malformed XRDs with the field at fault', () => {
    const cases: [string, (x: any) => unknown, string][] = [
      ['not an object', () => 42, ''],
      ['wrong apiVersion', x => ({ ...x, apiVersion: 'v1' }), 'apiVersion'],
      ['wrong kind', x => ({ ...x, kind: 'CustomResourceDefinition' }), 'kind'],
      ['no metadata', x => ({ ...x, metadata: undefined }), 'metadata'],
      ['no spec', x => ({ ...x, spec: 'nope' }), 'spec'],
      [
        'bad group',
        x => {
          x.spec.group = 'nodots';
          return x;
        },
        'spec.group',
      ],
      [
        'bad kind',
        x => {
          x.spec.names.kind = '1x';
          return x;
        },
        'spec.names.kind',
      ],
      [
        'bad plural',
        x => {
          x.spec.names.plural = 'Bad';
          return x;
        },
        'spec.names.plural',
      ],
      [
        'name mismatch',
        x => {
          x.metadata.name = 'other.example.org';
          return x;
        },
        'metadata.name',
      ],
      [
        'no versions',
        x => {
          x.spec.versions = [];
          return x;
        },
        'spec.versions',
      ],
      [
        'bad version name',
        x => {
          x.spec.versions[0].name = 'one';
          return x;
        },
        'spec.versions[0].name',
      ],
      [
        'served not boolean',
        x => {
          x.spec.versions[0].served = 'yes';
          return x;
        },
        'spec.versions[0].served',
      ],
      [
        'no referenceable',
        x => {
          x.spec.versions[0].referenceable = false;
          return x;
        },
        'spec.versions',
      ],
      [
        'bad schema type',
        x => {
          x.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.type =
            'map';
          return x;
        },
        'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.type',
      ],
      [
        'bad pattern',
        x => {
          x.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.region.pattern =
            '([';
          return x;
        },
        'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.region.pattern',
      ],
      [
        'bad minimum',
        x => {
          x.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.storageGB.minimum =
            'ten';
          return x;
        },
        'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.storageGB.minimum',
      ],
      [
        'bad connectionSecretKeys',
        x => {
          x.spec.connectionSecretKeys = [1];
          return x;
        },
        'spec.connectionSecretKeys',
      ],
      [
        'claim kind equals kind',
        x => {
          x.spec.claimNames.kind = x.spec.names.kind;
          return x;
        },
        'spec.claimNames.kind',
      ],
      [
        'bad label',
        x => {
          x.metadata.labels = { a: 1 };
          return x;
        },
        'metadata.labels.a',
      ],
      [
        'labels not a map',
        x => {
          x.metadata.labels = ['a'];
          return x;
        },
        'metadata.labels',
      ],
      [
        'empty name',
        x => {
          x.metadata.name = '';
          return x;
        },
        'metadata.name',
      ],
      [
        'default Composition not an object',
        x => {
          x.spec.defaultCompositionRef = 'xpostgresqlinstances.aws';
          return x;
        },
        'spec.defaultCompositionRef',
      ],
      [
        'enforced Composition without a name',
        x => {
          x.spec.enforcedCompositionRef = {};
          return x;
        },
        'spec.enforcedCompositionRef.name',
      ],
      [
        'version not an object',
        x => {
          x.spec.versions = ['v1alpha1'];
          return x;
        },
        'spec.versions[0]',
      ],
      [
        'duplicate version',
        x => {
          x.spec.versions.push({ ...x.spec.versions[0], referenceable: false });
          return x;
        },
        'spec.versions[1].name',
      ],
      [
        'referenceable version not served',
        x => {
          x.spec.versions[0].served = false;
          return x;
        },
        'spec.versions',
      ],
      [
        'schema not an object',
        x => {
          x.spec.versions[0].schema = 'object';
          return x;
        },
        'spec.versions[0].schema',
      ],
      [
        'schema not of an object',
        x => {
          x.spec.versions[0].schema.openAPIV3Schema.type = 'string';
          return x;
        },
        'spec.versions[0].schema.openAPIV3Schema.type',
      ],
      [
        'spec not an object',
        x => {
          x.spec.versions[0].schema.openAPIV3Schema.properties.spec = {
            type: 'string',
          };
          return x;
        },
        'spec.versions[0].schema.openAPIV3Schema.properties.spec.type',
      ],
    ];
    it.each(cases)('%s', (_name, mutate, field) => {
      const error = errorOf(() => parseXrd(mutate(clone(postgresXrd))));
      expect(error.field).toBe(field);
      expect(error.name).toBe('CrossplaneModelError');
    });

    it('rejects claims on a namespaced v2 XRD', () => {
      const x = clone(appXrd);
      x.spec.claimNames = { kind: 'AppClaim', plural: 'appclaims' };
      expect(errorOf(() => parseXrd(x)).field).toBe('spec.claimNames');
    });

    it('rejects an unknown scope', () => {
      const x = clone(appXrd);
      x.spec.scope = 'Global';
      expect(errorOf(() => parseXrd(x)).field).toBe('spec.scope');
    });
  });

  it("keeps the names' categories and the composites' default policies", () => {
    const x = clone(postgresXrd);
    x.spec.names.categories = ['crossplane', 7, 'database'];
    x.spec.defaultCompositeDeletePolicy = 'Foreground';
    x.spec.defaultCompositionUpdatePolicy = 'Manual';
    x.spec.enforcedCompositionRef = { name: 'xpostgresqlinstances.gcp' };
    x.spec.versions[0].schema = { openAPIV3Schema: undefined };
    const xrd = parseXrd(x);
    expect(xrd.names.categories).toEqual(['crossplane', 'database']);
    expect(xrd).toMatchObject({
      defaultCompositeDeletePolicy: 'Foreground',
      defaultCompositionUpdatePolicy: 'Manual',
      enforcedCompositionRef: { name: 'xpostgresqlinstances.gcp' },
    });
    expect(xrd.versions[0].schema).toBeUndefined();
  });

  it('accepts an XRD written as YAML with no schema', () => {
    const xrd = parseXrd(
      parse(`
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata: {name: things.example.org}
spec:
  group: example.org
  names: {kind: Thing, plural: things}
  versions: [{name: v1, served: true, referenceable: true}]
`),
    );
    expect(xrd.versions[0].schema).toBeUndefined();
    expect(xrd.scope).toBe('Namespaced');
  });
});
