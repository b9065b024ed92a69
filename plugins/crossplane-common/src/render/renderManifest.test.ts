import { parse } from 'yaml';
import {
  CrossplaneModelError,
  PlatformOpsMetadata,
  parseXrd,
  renderManifest,
  templateFormDataToRenderInput,
  validateManifest,
} from '..';
import { allXrds } from '../__fixtures__/xrds';

/** What a call throws (undefined when it returns). */
function thrown(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (e) {
    return e;
  }
}

const xrd = (key: string) => parseXrd(allXrds[key]);

describe('renderManifest', () => {
  it('renders a v1 claim with owner, template and composition', () => {
    const { manifest, yaml } = renderManifest({
      xrd: xrd('postgres'),
      name: 'orders-db',
      namespace: 'team-a',
      values: {
        parameters: {
          storageGB: 50,
          region: 'eu-west-1',
          size: 'medium',
          version: '',
          highAvailability: undefined,
        },
      },
      owner: 'group:default/team-a',
      templateEntityRef: 'template:default/postgres',
      compositionRef: 'xpostgresqlinstances.aws.database.example.org',
      writeConnectionSecretToRef: { name: 'orders-db-conn' },
    });
    expect(manifest).toEqual({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: {
        name: 'orders-db',
        namespace: 'team-a',
        labels: {
          'app.kubernetes.io/managed-by': 'platformops',
          'platformops.io/owner': 'group.default.team-a',
        },
        annotations: {
          'platformops.io/owner': 'group:default/team-a',
          'platformops.io/template': 'template:default/postgres',
        },
      },
      spec: {
        parameters: { storageGB: 50, size: 'medium', region: 'eu-west-1' },
        compositionRef: {
          name: 'xpostgresqlinstances.aws.database.example.org',
        },
        writeConnectionSecretToRef: { name: 'orders-db-conn' },
      },
    });
    expect(parse(yaml)).toEqual(manifest);
    expect(validateManifest(manifest, xrd('postgres'))).toEqual([]);
  });

  it("records a pull request delivery's repository and file, one line each", () => {
    const base = {
      xrd: xrd('postgres'),
      name: 'orders-db',
      namespace: 'team-a',
      values: { parameters: { storageGB: 50 } },
    };
    const { manifest } = renderManifest({
      ...base,
      source: {
        repoUrl: 'github.com?owner=acme&repo=gitops',
        path: 'east/team-a/postgresqlinstance/orders-db.yaml',
        cluster: 'east',
      },
    });
    expect(manifest.metadata.annotations).toMatchObject({
      'platformops.io/source-repo': 'github.com?owner=acme&repo=gitops',
      'platformops.io/source-path':
        'east/team-a/postgresqlinstance/orders-db.yaml',
      'platformops.io/source-cluster': 'east',
    });
    expect(() =>
      renderManifest({
        ...base,
        source: { repoUrl: '', path: 'a.yaml', cluster: 'east' },
      }),
    ).toThrow(
      'metadata.annotations["platformops.io/source-repo"]: must be one line, not empty',
    );
    expect(() =>
      renderManifest({
        ...base,
        source: {
          repoUrl: 'github.com?owner=a&repo=b',
          path: 'a.yaml\nx: y',
          cluster: 'east',
        },
      }),
    ).toThrow(
      'metadata.annotations["platformops.io/source-path"]: must be one line, not empty',
    );
    expect(() =>
      renderManifest({
        ...base,
        source: {
          repoUrl: 'github.com?owner=a&repo=b',
          path: 'a.yaml',
          cluster: ' ',
        },
      }),
    ).toThrow(
      'metadata.annotations["platformops.io/source-cluster"]: must be one line, not empty',
    );
  });

  it('renders a v2 namespaced composite with spec.crossplane', () => {
    const { manifest } = renderManifest({
      xrd: xrd('app'),
      name: 'checkout',
      namespace: 'team-b',
      values: {
        image: 'ghcr.io/example/checkout:1.4.2',
        port: '8080',
        env: [],
      },
      compositionRef: 'app-kcl',
      compositionSelector: { provider: 'kcl' },
    });
    expect(manifest.apiVersion).toBe('platform.example.org/v1');
    expect(manifest.kind).toBe('App');
    expect(manifest.metadata.namespace).toBe('team-b');
    expect(manifest.spec).toEqual({
      image: 'ghcr.io/example/checkout:1.4.2',
      port: 8080,
      crossplane: {
        compositionRef: { name: 'app-kcl' },
        compositionSelector: { matchLabels: { provider: 'kcl' } },
      },
    });
    expect(validateManifest(manifest, xrd('app'))).toEqual([]);
  });

  it('renders a cluster-scoped composite without a namespace', () => {
    const { manifest } = renderManifest({
      xrd: xrd('tenant'),
      name: 'team-c',
      namespace: 'ignored',
      values: {
        teamName: 'team-c',
        admins: ['a@example.org'],
        quotas: { cpu: '8', memory: '16Gi' },
      },
    });
    expect(manifest.metadata.namespace).toBeUndefined();
    expect(manifest.spec).toEqual({
      teamName: 'team-c',
      quotas: { cpu: 8, memory: '16Gi' },
      admins: ['a@example.org'],
    });
    expect(validateManifest(manifest, xrd('tenant'))).toEqual([]);
  });

  it('renders a v1 composite with a namespaced connection secret', () => {
    const { manifest } = renderManifest({
      xrd: xrd('postgres'),
      target: 'composite',
      name: 'orders-db',
      values: { parameters: { storageGB: 20, region: 'eu-west-1' } },
      writeConnectionSecretToRef: {
        name: 'conn',
        namespace: 'platform-secrets',
      },
    });
    expect(manifest.kind).toBe('XPostgreSQLInstance');
    expect(manifest.spec?.writeConnectionSecretToRef).toEqual({
      name: 'conn',
      namespace: 'platform-secrets',
    });
    expect(validateManifest(manifest, xrd('postgres'))).toEqual([]);
  });

  it('parses YAML fields of free-form objects', () => {
    const { manifest } = renderManifest({
      xrd: xrd('helm'),
      name: 'grafana',
      namespace: 'team-a',
      values: {
        chart: {
          name: 'grafana',
          repository: 'https://grafana.github.io/helm-charts',
        },
        values: 'replicas: 2\nservice:\n  type: ClusterIP\n',
      },
    });
    expect(manifest.spec?.values).toEqual({
      replicas: 2,
      service: { type: 'ClusterIP' },
    });
    expect(() =>
      renderManifest({
        xrd: xrd('helm'),
        name: 'grafana',
        namespace: 'team-a',
        values: { values: 'a: [' },
      }),
    ).toThrow(expect.objectContaining({ field: 'spec.values' }));
  });

  it('merges items of map-keyed lists that repeat a key', () => {
    const { manifest } = renderManifest({
      xrd: xrd('app'),
      name: 'a',
      namespace: 'b',
      values: {
        image: 'x',
        env: [
          { name: 'A', value: '1' },
          { name: 'B' },
          { name: 'A', value: '2' },
        ],
      },
    });
    expect(manifest.spec?.env).toEqual([
      { name: 'A', value: '2' },
      { name: 'B' },
    ]);
    expect(validateManifest(manifest, xrd('app'))).toEqual([]);
  });

  it('is deterministic', () => {
    const input = {
      xrd: xrd('webapp'),
      name: 'shop',
      namespace: 'team-d',
      values: {
        tls: { issuer: 'letsencrypt-prod' },
        domains: ['shop.example.org'],
      },
      labels: { zeta: 'z', alpha: 'a' },
      annotations: { 'example.org/note': 'yes' },
      owner: 'user:default/jane.doe',
    };
    const a = renderManifest(input).yaml;
    const b = renderManifest({
      ...input,
      labels: { alpha: 'a', zeta: 'z' },
    }).yaml;
    expect(a).toBe(b);
    expect(a).toContain('example.org/note: "yes"');
    expect(a.indexOf('alpha')).toBeLessThan(a.indexOf('zeta'));
    expect(parse(a).spec).toEqual({
      domains: ['shop.example.org'],
      tls: { issuer: 'letsencrypt-prod' },
    });
  });

  it('normalises the owner and makes it a label value', () => {
    const { manifest } = renderManifest({
      xrd: xrd('app'),
      name: 'a',
      namespace: 'b',
      values: { image: 'x' },
      owner: 'Group:Platform_Team.EU',
    });
    expect(
      manifest.metadata.annotations?.[PlatformOpsMetadata.ownerAnnotation],
    ).toBe('group:default/Platform_Team.EU');
    expect(manifest.metadata.labels?.[PlatformOpsMetadata.ownerLabel]).toBe(
      'group.default.Platform_Team.EU',
    );
  });

  it.each([
    ['a bad name', { name: 'Bad_Name' }, 'name'],
    ['a missing namespace', { namespace: undefined }, 'namespace'],
    ['a bad label', { labels: { a: 'not ok!' } }, 'metadata.labels.a'],
    ['an unknown version', { version: 'v9' }, 'version'],
    [
      'a claim target without claims',
      { xrd: xrd('app'), target: 'claim' },
      'target',
    ],
    [
      'non-JSON values',
      { values: { parameters: { region: () => 1 } } },
      'spec.parameters.region',
    ],
    [
      'a connection secret without namespace',
      { target: 'composite', writeConnectionSecretToRef: { name: 'x' } },
      'writeConnectionSecretToRef.namespace',
    ],
  ])('rejects %s with a typed error', (_n, patch, field) => {
    const error = thrown(() =>
      renderManifest({
        xrd: xrd('postgres'),
        name: 'db',
        namespace: 'team-a',
        values: { parameters: { storageGB: 20, region: 'eu-west-1' } },
        ...(patch as object),
      }),
    );
    expect(error).toBeInstanceOf(CrossplaneModelError);
    expect((error as CrossplaneModelError).field).toBe(field);
  });
});

describe('templateFormDataToRenderInput', () => {
  it('maps form data back to render input', () => {
    const input = templateFormDataToRenderInput(xrd('helm'), {
      name: 'grafana',
      namespace: 'team-a',
      owner: 'group:default/team-a',
      chart: { name: 'grafana', repository: 'https://example.org' },
      spec_namespace: 'monitoring',
      crossplane: {
        compositionRef: 'helm-default',
        writeConnectionSecretToRef: 'conn',
      },
    });
    expect(input).toMatchObject({
      name: 'grafana',
      namespace: 'team-a',
      owner: 'group:default/team-a',
      compositionRef: 'helm-default',
      writeConnectionSecretToRef: { name: 'conn' },
      values: {
        chart: { name: 'grafana', repository: 'https://example.org' },
        namespace: 'monitoring',
      },
    });
    const { manifest } = renderManifest(input);
    expect(manifest.spec?.namespace).toBe('monitoring');
  });

  it('leaves the Delivery step out of the spec and maps a spec field named like it back', () => {
    const input = templateFormDataToRenderInput(xrd('bucket'), {
      name: 'logs',
      namespace: 'team-a',
      owner: 'group:default/team-a',
      cluster: 'east',
      delivery: 'pull-request',
      repoUrl: 'github.com?owner=acme&repo=gitops',
      parameters: { storageGB: 5, region: 'eu-west-1' },
      spec_cluster: 'shared',
    });
    expect(input.values).toEqual({
      parameters: { storageGB: 5, region: 'eu-west-1' },
      cluster: 'shared',
    });
  });

  it('leaves the Review step out of the spec and maps a spec field named like it back', () => {
    const input = templateFormDataToRenderInput(xrd('bucket'), {
      name: 'logs',
      namespace: 'team-a',
      cluster: 'east',
      review: 'anything',
      spec_review: 'weekly',
    });
    expect(input.values).toEqual({ review: 'weekly' });
  });
});
