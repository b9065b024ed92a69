import { LAST_APPLIED_ANNOTATION, REDACTED_VALUE, redactObject } from '.';
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

  const withMetadata = (metadata: Record<string, unknown>): KubernetesObject =>
    ({
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      metadata: { name: 'thing', ...metadata },
    } as KubernetesObject);

  it('redacts annotations and labels with secret-looking keys, by their last segment', () => {
    const r = redactObject(
      withMetadata({
        annotations: {
          password: 'p',
          token: 't',
          kubeconfig: 'k',
          'example.com/token': 'e',
          'vault.example.org/client-key-data': 'c',
          'crossplane.io/external-name': 'db-prod',
          'example.com/token-ttl': '3600',
          'example.com/secret-name': 'db-conn',
          [LAST_APPLIED_ANNOTATION]: '{"spec":{"password":"p"}}',
        },
        labels: { 'example.com/api-key': 'a', app: 'web' },
      }),
    );
    expect(r.metadata.annotations).toEqual({
      password: REDACTED_VALUE,
      token: REDACTED_VALUE,
      kubeconfig: REDACTED_VALUE,
      'example.com/token': REDACTED_VALUE,
      'vault.example.org/client-key-data': REDACTED_VALUE,
      'crossplane.io/external-name': 'db-prod',
      'example.com/token-ttl': '3600',
      'example.com/secret-name': 'db-conn',
    });
    expect(r.metadata.labels).toEqual({
      'example.com/api-key': REDACTED_VALUE,
      app: 'web',
    });
  });

  it('drops last-applied-configuration wherever it is nested', () => {
    const r = redactObject({
      apiVersion: 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      metadata: { name: 'o' },
      spec: {
        forProvider: {
          manifest: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: 'cm',
              annotations: {
                [LAST_APPLIED_ANNOTATION]: '{"x":"leak"}',
                a: 'b',
              },
            },
          },
        },
      },
      status: {
        atProvider: {
          manifest: {
            metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: 'leak' } },
          },
        },
      },
    });
    expect(JSON.stringify(r)).not.toContain('leak');
    expect(r.spec?.forProvider.manifest.metadata.annotations).toEqual({
      a: 'b',
    });
  });

  it('redacts values that are secrets by their content', () => {
    const pem =
      'subject: ok\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n';
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster: {server: "https://1.2.3.4"}',
      'users:',
      '- name: admin',
      '  user:',
      '    client-key-data: S0VZ',
      '    token: abc.def',
      '',
    ].join('\n');
    const r = redactObject({
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      metadata: { name: 't', annotations: { note: pem } },
      spec: {
        cluster: kubeconfig,
        url: 'postgres://admin:pw1@db:5432/app',
        args: ['--db-password=pw2', '--port=5432'],
        header: 'Authorization: Bearer abcdefgh12345',
        helm: '{{- if .x }}\nauth:\n  password: |\n    pw3\n  user: me\n{{- end }}',
      },
    });
    const text = JSON.stringify(r);
    for (const leaked of [
      'MHcCAQEE',
      'S0VZ',
      'abc.def',
      'pw1',
      'pw2',
      'pw3',
      'abcdefgh12345',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(r.metadata.annotations?.note).toBe(
      `subject: ok\n${REDACTED_VALUE}\n`,
    );
    expect(r.spec?.cluster).toContain('server: https://1.2.3.4');
    expect(r.spec?.url).toBe(`postgres://admin:${REDACTED_VALUE}@db:5432/app`);
    expect(r.spec?.args).toEqual([
      `--db-password=${REDACTED_VALUE}`,
      '--port=5432',
    ]);
    expect(r.spec?.helm).toBe(
      `{{- if .x }}\nauth:\n  password: ${REDACTED_VALUE}\n  user: me\n{{- end }}`,
    );
  });

  it('hides what a secret-named field holds, but not where it points', () => {
    const r = redactObject({
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      metadata: { name: 't' },
      spec: {
        credentials: {
          source: 'Secret',
          secretRef: { name: 'creds', namespace: 'ns', key: 'json' },
          inline: { user: 'u', pass: 'p' },
        },
        apiKeys: ['k1', 'k2'],
        autoGeneratePassword: true,
      },
    });
    expect(r.spec).toEqual({
      credentials: {
        source: 'Secret',
        secretRef: { name: 'creds', namespace: 'ns', key: 'json' },
        inline: { user: REDACTED_VALUE, pass: REDACTED_VALUE },
      },
      apiKeys: [REDACTED_VALUE, REDACTED_VALUE],
      autoGeneratePassword: true,
    });
  });

  it('strips Secret data from SecretLists and from Secret manifests in text', () => {
    const list = redactObject({
      apiVersion: 'v1',
      kind: 'SecretList',
      metadata: { name: '' },
      items: [{ metadata: { name: 'a' }, type: 'Opaque', data: { k: 'djE=' } }],
    } as KubernetesObject);
    expect(list.items).toEqual([{ metadata: { name: 'a' }, type: 'Opaque' }]);
    const inText = redactObject(
      withMetadata({
        annotations: {
          manifest:
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  tls.key: S0VZ\n',
        },
      }),
    );
    expect(inText.metadata.annotations?.manifest).toBe(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
    );
  });

  it('takes odd input in its stride: __proto__ keys, non-string annotations, huge strings', () => {
    const odd = JSON.parse(
      '{"apiVersion":"v1","kind":"X","metadata":{"name":"x","annotations":{"__proto__":{"token":"t"},"n":5,"l":[{"password":"p"}],"b":null}}}',
    );
    const r = redactObject(odd);
    expect(Object.getPrototypeOf(r.metadata.annotations)).toBe(
      Object.prototype,
    );
    expect(JSON.stringify(r.metadata.annotations)).toBe(
      `{"__proto__":{"token":"${REDACTED_VALUE}"},"n":5,"l":[{"password":"${REDACTED_VALUE}"}],"b":null}`,
    );
    const big = `${'a: b '.repeat(400_000)}password=${'x'.repeat(
      1_000_000,
    )} ${'=:/'.repeat(300_000)}`;
    const started = Date.now();
    const out = redactObject(withMetadata({ annotations: { big } }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.metadata.annotations?.big).not.toContain('xxxx');
  });
});
