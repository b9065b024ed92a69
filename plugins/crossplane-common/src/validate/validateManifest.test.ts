import {
  CrossplaneModelError,
  checkManifest,
  formatValidationIssues,
  parseXrd,
  validateManifest,
} from '..';
import { appTree, postgresTree } from '../__fixtures__/objects';
import { allXrds } from '../__fixtures__/xrds';
import { KubernetesObject } from '../model/types';

const xrd = (key: string) => parseXrd(allXrds[key]);
const clone = <T>(v: T): any => JSON.parse(JSON.stringify(v));

function manifest(
  apiVersion: string,
  kind: string,
  spec: Record<string, unknown>,
  namespace?: string,
): KubernetesObject {
  return {
    apiVersion,
    kind,
    metadata: namespace ? { name: 'example', namespace } : { name: 'example' },
    spec,
  };
}

const claim = postgresTree.find(o => o.kind === 'PostgreSQLInstance')!;

describe('validateManifest', () => {
  it('accepts the real-shaped claims and composites of the fixtures', () => {
    const xrds = Object.values(allXrds).map(parseXrd);
    const checked = [...postgresTree, ...appTree].flatMap(obj => {
      const owner = xrds.find(
        x =>
          obj.apiVersion.startsWith(`${x.group}/`) &&
          (x.names.kind === obj.kind || x.claimNames?.kind === obj.kind),
      );
      return owner ? [[obj, owner] as const] : [];
    });
    expect(checked.map(([o]) => o.kind)).toEqual([
      'PostgreSQLInstance',
      'XPostgreSQLInstance',
      'XNetwork',
      'App',
    ]);
    for (const [obj, owner] of checked) {
      expect([obj.kind, validateManifest(obj, owner)]).toEqual([obj.kind, []]);
    }
  });

  it('names the field and the reason', () => {
    const bad = clone(claim);
    bad.spec.parameters.size = 'huge';
    const issues = validateManifest(bad, xrd('postgres'));
    expect(issues).toEqual([
      {
        path: 'spec.parameters.size',
        message: 'must be one of small, medium, large (got "huge")',
      },
    ]);
    expect(formatValidationIssues(issues)).toBe(
      'spec.parameters.size: must be one of small, medium, large (got "huge")',
    );
  });

  it('reports every problem at once', () => {
    const bad = clone(claim);
    bad.metadata.name = 'Orders_DB';
    bad.spec.parameters.storageGB = 5;
    bad.spec.parameters.region = 'Europe';
    bad.spec.parameters.highAvailability = 'yes';
    bad.spec.parameters.colour = 'blue';
    bad.spec.compositionRef = { nome: 'x' };
    bad.extra = true;
    const text = formatValidationIssues(validateManifest(bad, xrd('postgres')));
    expect(text.split('\n').sort()).toEqual(
      [
        'extra: unknown field',
        `metadata.name: must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (got "Orders_DB")`,
        'spec.compositionRef.name: is required',
        'spec.compositionRef.nome: unknown field',
        'spec.parameters.colour: unknown field',
        'spec.parameters.highAvailability: must be a boolean (got string "yes")',
        'spec.parameters.region: must match the pattern ^[a-z]{2}-[a-z]+-[0-9]$ (got "Europe")',
        'spec.parameters.storageGB: must be >= 10 (got 5)',
      ].sort(),
    );
  });

  it('checks required fields, arrays of objects and formats', () => {
    const net = xrd('network');
    const issues = validateManifest(
      manifest(
        'net.example.org/v1alpha1',
        'Network',
        {
          parameters: {
            id: 'ab',
            region: 'eu-west-1',
            subnets: [{ cidrBlock: '10.0.0.0/33', zone: 'd' }, { zone: 'a' }],
          },
        },
        'team-a',
      ),
      net,
    );
    expect(formatValidationIssues(issues).split('\n').sort()).toEqual([
      'spec.parameters.id: must match the pattern ^[a-z][a-z0-9-]{2,30}$ (got "ab")',
      'spec.parameters.subnets[0].cidrBlock: must be a valid cidr (got "10.0.0.0/33")',
      'spec.parameters.subnets[0].zone: must be one of a, b, c (got "d")',
      'spec.parameters.subnets[1].cidrBlock: is required',
    ]);
    expect(
      validateManifest(
        manifest(
          'net.example.org/v1alpha1',
          'Network',
          { parameters: { id: 'abc', region: 'eu-west-1', subnets: [] } },
          'a',
        ),
        net,
      ),
    ).toEqual([
      {
        path: 'spec.parameters.subnets',
        message: 'must have at least 1 items (got 0)',
      },
    ]);
    expect(
      validateManifest(
        manifest('net.example.org/v1alpha1', 'Network', {}, 'a'),
        net,
      ),
    ).toEqual([{ path: 'spec.parameters', message: 'is required' }]);
  });

  it('handles int-or-string, preserve-unknown-fields, nullable and exclusive bounds', () => {
    const app = xrd('app');
    expect(
      validateManifest(
        manifest(
          'platform.example.org/v1',
          'App',
          { image: 'x', port: 'http' },
          'a',
        ),
        app,
      ),
    ).toEqual([]);
    expect(
      validateManifest(
        manifest(
          'platform.example.org/v1',
          'App',
          { image: 'x', port: 1.5 },
          'a',
        ),
        app,
      ),
    ).toEqual([
      {
        path: 'spec.port',
        message: 'must be an integer or a string (got number 1.5)',
      },
    ]);
    expect(
      validateManifest(
        manifest(
          'cache.example.org/v1alpha1',
          'RedisCluster',
          {
            parameters: {
              memoryMB: 512,
              config: { maxmemory: '1gb', any: { deep: [1] } },
            },
          },
          'a',
        ),
        xrd('redis'),
      ),
    ).toEqual([]);
    const db = xrd('database');
    expect(
      validateManifest(
        manifest(
          'data.example.org/v1alpha1',
          'Database',
          { engine: 'postgres', maintenanceWindow: null, cpu: 0.5 },
          'a',
        ),
        db,
      ),
    ).toEqual([]);
    expect(
      formatValidationIssues(
        validateManifest(
          manifest(
            'data.example.org/v1alpha1',
            'Database',
            {
              engine: 'oracle',
              cpu: 0,
              source: { snapshot: 's', pointInTime: 'yesterday' },
            },
            'a',
          ),
          db,
        ),
      )
        .split('\n')
        .sort(),
    ).toEqual([
      'spec.cpu: must be > 0 (got 0)',
      'spec.engine: must be one of postgres, mysql (got "oracle")',
      'spec.source.pointInTime: must be a valid date-time (got "yesterday")',
      'spec.source: must match exactly one of the allowed shapes (matches 2)',
    ]);
  });

  it('checks apiVersion, kind, scope and versions', () => {
    const bucket = xrd('bucket');
    const old = manifest(
      'storage.example.org/v1alpha1',
      'Bucket',
      { parameters: { location: 'EU' } },
      'a',
    );
    expect(validateManifest(old, bucket)).toEqual([]);
    expect(validateManifest(old, bucket, { version: 'v1beta1' })[0].path).toBe(
      'apiVersion',
    );
    expect(
      validateManifest(
        manifest('storage.example.org/v9', 'Bucket', {}, 'a'),
        bucket,
      )[0],
    ).toEqual({
      path: 'apiVersion',
      message:
        'version v9 is not served by xbuckets.storage.example.org (served: v1alpha1, v1beta1)',
    });
    expect(
      validateManifest(
        manifest(
          'storage.example.org/v1beta1',
          'Pail',
          { parameters: { region: 'eu-1' } },
          'a',
        ),
        bucket,
      ),
    ).toEqual([
      { path: 'kind', message: 'must be XBucket or Bucket (got "Pail")' },
    ]);
    expect(() => validateManifest(old, bucket, { version: 'v7' })).toThrow(
      CrossplaneModelError,
    );
  });

  it('warns, as the API server would act, about a namespace it clears or supplies', () => {
    const noNamespace = checkManifest(
      manifest('storage.example.org/v1beta1', 'Bucket', {
        parameters: { region: 'eu-1' },
      }),
      xrd('bucket'),
    );
    expect(noNamespace.errors).toEqual([]);
    expect(noNamespace.warnings).toEqual([
      {
        path: 'metadata.namespace',
        message:
          "is not set: Bucket is namespaced, so it goes to the namespace of the request (kubectl: the context's namespace, else default)",
      },
    ]);
    const tenant = manifest(
      'platform.example.org/v1alpha1',
      'XTenant',
      { teamName: 'a', admins: [] },
      'a',
    );
    expect(validateManifest(tenant, xrd('tenant'))).toEqual([]);
    expect(
      formatValidationIssues(checkManifest(tenant, xrd('tenant')).warnings),
    ).toBe(
      'metadata.namespace: is ignored: XTenant is cluster-scoped, so the API server clears it',
    );
    const v1Composite = manifest(
      'database.example.org/v1alpha1',
      'XPostgreSQLInstance',
      {},
      'team-a',
    );
    expect(
      checkManifest(v1Composite, xrd('postgres')).warnings.map(w => w.path),
    ).toEqual(['metadata.namespace']);
    // A namespace that could never exist is still an error.
    const bad = checkManifest(
      manifest('storage.example.org/v1beta1', 'Bucket', {}, 'Team_A'),
      xrd('bucket'),
    );
    expect(bad.errors.map(e => e.path)).toEqual(['metadata.namespace']);
    expect(bad.warnings).toEqual([]);
  });

  it("checks Crossplane's own fields of each layout and release line", () => {
    const composite = (
      key: string,
      spec: Record<string, unknown>,
      scope?: string,
    ) => {
      const raw = clone(allXrds[key]);
      if (scope) raw.spec.scope = scope;
      const x = parseXrd(raw);
      const version = x.versions.find(v => v.referenceable)!.name;
      return formatValidationIssues(
        validateManifest(
          manifest(`${x.group}/${version}`, x.names.kind, spec),
          x,
        ),
      );
    };
    const machinery = {
      environmentConfigRefs: [{ apiVersion: 'v1', kind: 'X' }],
      publishConnectionDetailsTo: { name: 'x' },
    };
    // Crossplane 1.x composites (v1 XRDs) have both; 2.x LegacyCluster ones neither.
    expect(
      composite('postgres', {
        parameters: { storageGB: 20, region: 'eu-west-1' },
        ...machinery,
      }),
    ).toBe('');
    expect(
      composite(
        'tenant',
        { teamName: 'a', admins: [], ...machinery },
        'LegacyCluster',
      ),
    ).toBe(
      [
        'spec.environmentConfigRefs: unknown field',
        'spec.publishConnectionDetailsTo: unknown field',
      ].join('\n'),
    );
    expect(
      composite('tenant', {
        teamName: 'a',
        admins: [],
        crossplane: { compositionSelector: {}, resourceRefs: [{ kind: 'X' }] },
      }),
    ).toBe(
      [
        'spec.crossplane.compositionSelector.matchLabels: is required',
        'spec.crossplane.resourceRefs[0].apiVersion: is required',
      ].join('\n'),
    );
  });

  it('accepts Crossplane fields in both layouts', () => {
    const app = appTree.find(o => o.kind === 'App')!;
    const bad = clone(app);
    bad.spec.compositionRef = { name: 'x' };
    bad.spec.crossplane.compositionUpdatePolicy = 'Sometimes';
    expect(
      formatValidationIssues(validateManifest(bad, xrd('app'))).split('\n'),
    ).toEqual([
      'spec.compositionRef: unknown field',
      'spec.crossplane.compositionUpdatePolicy: must be one of Automatic, Manual (got "Sometimes")',
    ]);
  });

  it('checks labels and annotations', () => {
    const bad = clone(claim);
    bad.metadata.labels = { 'ok/key': 'not ok!', 'bad key': 'v' };
    bad.metadata.annotations = { a: 1 };
    const paths = validateManifest(bad, xrd('postgres')).map(i => i.path);
    expect(paths).toEqual([
      'metadata.labels["ok/key"]',
      'metadata.labels["bad key"]',
      'metadata.annotations.a',
    ]);
  });

  it('never throws on junk manifests', () => {
    const x = xrd('postgres');
    for (const junk of [
      null,
      1,
      'x',
      [],
      {},
      { spec: 1 },
      { metadata: [] },
      { apiVersion: 3 },
    ]) {
      const issues = validateManifest(junk, x);
      expect(issues.length).toBeGreaterThan(0);
    }
  });

  it('applies defaults before checking required fields, as the API server does', () => {
    const noSize = clone(claim);
    delete noSize.spec.parameters.storageGB; // required, with a default of 20
    expect(validateManifest(noSize, xrd('postgres'))).toEqual([]);
    expect(noSize.spec.parameters.storageGB).toBeUndefined(); // not mutated
    delete noSize.spec.parameters.region; // required, no default
    expect(validateManifest(noSize, xrd('postgres'))).toEqual([
      { path: 'spec.parameters.region', message: 'is required' },
    ]);
  });

  it('checks map-keyed lists for duplicate keys', () => {
    const issues = validateManifest(
      manifest(
        'platform.example.org/v1',
        'App',
        {
          image: 'x',
          env: [
            { name: 'A', value: '1' },
            { name: 'B' },
            { name: 'A', value: '2' },
          ],
        },
        'team-b',
      ),
      xrd('app'),
    );
    expect(issues).toEqual([
      {
        path: 'spec.env',
        message:
          'must not contain two items with the same name (items 0 and 2 have name="A")',
      },
    ]);
  });

  it('accepts dotted names up to 63 characters', () => {
    const dotted = clone(claim);
    dotted.metadata.name = 'orders.db';
    expect(validateManifest(dotted, xrd('postgres'))).toEqual([]);
    dotted.metadata.name = 'a'.repeat(64);
    expect(validateManifest(dotted, xrd('postgres'))).toEqual([
      {
        path: 'metadata.name',
        message: 'must be no more than 63 characters (got 64)',
      },
    ]);
  });

  it('prunes nulls of fields that are not nullable, then defaults them', () => {
    const withNulls = clone(claim);
    withNulls.spec.parameters.size = null; // pruned, then defaulted
    withNulls.spec.parameters.storageGB = null; // pruned, then defaulted to 20
    expect(validateManifest(withNulls, xrd('postgres'))).toEqual([]);
    withNulls.spec.parameters.region = null; // pruned: required, no default
    expect(validateManifest(withNulls, xrd('postgres'))).toEqual([
      { path: 'spec.parameters.region', message: 'is required' },
    ]);
  });
});
