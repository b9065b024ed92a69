import { parse } from 'yaml';
import { CrossplaneModelError } from '../model/errors';
import { parseXrd } from '../model/xrd';
import { allXrds } from '../__fixtures__/xrds';
import { xrdToTemplateParameters } from '../form/xrdToTemplateParameters';
import { renderManifest } from './renderManifest';
import { templateFormDataToRenderInput } from './formData';

const xrd = (name: keyof typeof allXrds) => parseXrd(allXrds[name]);

describe('renderManifest', () => {
  it('renders a v1 claim with owner, template, composition selector and deterministic YAML', () => {
    const input = {
      xrd: xrd('postgres'),
      name: 'orders-db',
      namespace: 'team-a',
      values: {
        parameters: {
          storageGB: 50,
          region: 'eu-west-1',
          size: '',
          version: 16,
        },
      },
      owner: 'group:default/team-a',
      templateEntityRef: 'template:default/postgresql',
      compositionSelector: { provider: 'aws' },
      writeConnectionSecretToRef: { name: 'orders-db-conn' },
      labels: { 'cost-center': 'c42' },
    };
    const { manifest, yaml } = renderManifest(input);
    expect(yaml).toBe(`apiVersion: database.example.org/v1alpha1
kind: PostgreSQLInstance
metadata:
  name: orders-db
  namespace: team-a
  labels:
    app.kubernetes.io/managed-by: platformops
    cost-center: c42
    platformops.io/owner: group.default.team-a
  annotations:
    platformops.io/owner: group:default/team-a
    platformops.io/template-entity-ref: template:default/postgresql
spec:
  parameters:
    storageGB: 50
    version: "16"
    region: eu-west-1
  compositionSelector:
    matchLabels:
      provider: aws
  writeConnectionSecretToRef:
    name: orders-db-conn
`);
    expect(parse(yaml)).toEqual(manifest);
    // Same input, same bytes, whatever the key order of the values.
    const reordered = renderManifest({
      ...input,
      values: {
        parameters: { version: 16, region: 'eu-west-1', storageGB: 50 },
      },
    });
    expect(reordered.yaml).toBe(yaml);
  });

  it('renders a v1 composite (cluster-scoped) with spec-level machinery', () => {
    const { manifest } = renderManifest({
      xrd: xrd('postgres'),
      target: 'composite',
      name: 'orders-db',
      namespace: 'ignored',
      values: { parameters: { storageGB: 20, region: 'eu-west-1' } },
      compositionRef: 'xpostgresqlinstances.aws.database.example.org',
      writeConnectionSecretToRef: {
        name: 'orders-db',
        namespace: 'crossplane-system',
      },
    });
    expect(manifest.kind).toBe('XPostgreSQLInstance');
    expect(manifest.metadata.namespace).toBeUndefined();
    expect(manifest.spec).toMatchObject({
      compositionRef: { name: 'xpostgresqlinstances.aws.database.example.org' },
      writeConnectionSecretToRef: {
        name: 'orders-db',
        namespace: 'crossplane-system',
      },
    });
  });

  it('renders a v2 namespaced composite with spec.crossplane and typed values', () => {
    const { manifest, yaml } = renderManifest({
      xrd: xrd('app'),
      name: 'checkout',
      namespace: 'team-b',
      values: {
        image: 'ghcr.io/example/checkout:1.4.2',
        replicas: '3',
        port: '8080',
        env: [{ name: 'MODE', value: 'yes' }, { name: '', value: '' }, {}],
      },
      compositionRef: 'app-kcl',
    });
    expect(manifest).toMatchObject({
      apiVersion: 'platform.example.org/v1',
      kind: 'App',
      metadata: { name: 'checkout', namespace: 'team-b' },
      spec: {
        image: 'ghcr.io/example/checkout:1.4.2',
        replicas: 3,
        port: 8080,
        env: [{ name: 'MODE', value: 'yes' }],
        crossplane: { compositionRef: { name: 'app-kcl' } },
      },
    });
    expect(manifest.spec?.compositionRef).toBeUndefined();
    // YAML 1.1 readers (Kubernetes) must read "yes" as a string.
    expect(yaml).toContain('value: "yes"');
  });

  it('keeps int-or-string names as strings', () => {
    const { manifest } = renderManifest({
      xrd: xrd('app'),
      name: 'a',
      namespace: 'n',
      values: { image: 'x', port: 'http' },
    });
    expect(manifest.spec?.port).toBe('http');
  });

  it('renders a v2 cluster-scoped composite without namespace', () => {
    const { manifest } = renderManifest({
      xrd: xrd('tenant'),
      name: 'team-c',
      values: {
        teamName: 'team-c',
        admins: ['a@example.org'],
        quotas: { cpu: '8', memory: '16Gi' },
      },
    });
    expect(manifest.metadata).toEqual({
      name: 'team-c',
      labels: { 'app.kubernetes.io/managed-by': 'platformops' },
    });
    expect(manifest.spec?.quotas).toEqual({ cpu: 8, memory: '16Gi' });
  });

  it('parses YAML fields of free-form objects', () => {
    const { manifest } = renderManifest({
      xrd: xrd('helm'),
      name: 'grafana',
      namespace: 'observability',
      values: {
        chart: {
          name: 'grafana',
          repository: 'https://grafana.github.io/helm-charts',
        },
        values: 'replicas: 2\npersistence:\n  enabled: true\n',
      },
    });
    expect(manifest.spec?.values).toEqual({
      replicas: 2,
      persistence: { enabled: true },
    });
    expect(() =>
      renderManifest({
        xrd: xrd('helm'),
        name: 'g',
        namespace: 'o',
        values: { chart: { name: 'g', repository: 'x' }, values: 'a: [' },
      }),
    ).toThrow(/spec.values: is not valid YAML/);
    expect(() =>
      renderManifest({
        xrd: xrd('helm'),
        name: 'g',
        namespace: 'o',
        values: { chart: { name: 'g', repository: 'x' }, values: '- a' },
      }),
    ).toThrow(/spec.values: must be a YAML mapping/);
  });

  it('drops empty values', () => {
    const { manifest } = renderManifest({
      xrd: xrd('webapp'),
      name: 'w',
      namespace: 'n',
      values: {
        domains: [],
        ingress: { annotations: {}, className: '' },
        tls: { issuer: undefined },
      },
    });
    expect(manifest.spec).toEqual({});
  });

  it('rejects what cannot make a manifest, with typed errors', () => {
    const base = {
      xrd: xrd('postgres'),
      name: 'db',
      namespace: 'a',
      values: {},
    };
    const cases: [object, string][] = [
      [{ name: 'Bad_Name' }, 'name'],
      [{ name: 'x'.repeat(64) }, 'name'],
      [{ namespace: undefined }, 'namespace'],
      [{ target: 'claim', xrd: xrd('app') }, 'target'],
      [{ version: 'v2' }, 'version'],
      [{ labels: { 'bad key!': 'x' } }, 'labels["bad key!"]'],
      [
        { values: { parameters: { storageGB: () => 1 } } },
        'spec.parameters.storageGB',
      ],
      [{ values: 'x' }, 'values'],
    ];
    for (const [patch, field] of cases) {
      try {
        renderManifest({ ...base, ...patch } as any);
        throw new Error(`rendered ${JSON.stringify(patch)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(CrossplaneModelError);
        expect((e as CrossplaneModelError).field).toBe(field);
      }
    }
    expect(() =>
      renderManifest({
        xrd: xrd('app'),
        name: 'a',
        namespace: 'n',
        values: {},
        writeConnectionSecretToRef: { name: 's' },
      }),
    ).toThrow(/compose a Secret instead/);
  });
});

describe('templateFormDataToRenderInput', () => {
  it('maps what the generated form collects back to render input', () => {
    const helm = xrd('helm');
    const steps = xrdToTemplateParameters(helm, {
      includeCrossplaneFields: true,
    });
    expect(steps.some(s => s.properties.spec_namespace)).toBe(true);
    const input = templateFormDataToRenderInput(
      helm,
      {
        name: 'grafana',
        namespace: 'team-a',
        owner: 'group:default/team-a',
        chart: {
          name: 'grafana',
          repository: 'https://grafana.github.io/helm-charts',
        },
        spec_namespace: 'monitoring',
        crossplane: {
          compositionRef: 'helm-release',
          writeConnectionSecretToRef: '',
        },
      },
      { templateEntityRef: 'template:default/helm' },
    );
    expect(input).toMatchObject({
      name: 'grafana',
      namespace: 'team-a',
      owner: 'group:default/team-a',
      compositionRef: 'helm-release',
      templateEntityRef: 'template:default/helm',
      values: { chart: { name: 'grafana' }, namespace: 'monitoring' },
    });
    expect(renderManifest(input).manifest.spec).toMatchObject({
      namespace: 'monitoring',
      compositionRef: { name: 'helm-release' },
    });
  });
});
