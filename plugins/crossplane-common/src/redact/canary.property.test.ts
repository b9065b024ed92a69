import fc from 'fast-check';
import { KubernetesObject } from '../model/types';
import { toYaml } from '../render/yaml';
import { LAST_APPLIED_ANNOTATION, redactObject } from '.';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const CANARY = 'cAnArY-7f3a9e';

/** Keys that say they hold a secret, in the spellings clusters use. */
const secretKey = fc
  .tuple(
    fc.constantFrom('', 'example.com/', 'vault.hashicorp.com/', 'a.b/c-'),
    fc.constantFrom(
      'password',
      'passwd',
      'token',
      'apiToken',
      'api_key',
      'X-API-KEY',
      'privateKey',
      'private-key',
      'client-key-data',
      'clientSecret',
      'secretAccessKey',
      'AWS_SECRET_ACCESS_KEY',
      'kubeconfig',
      'kubeConfig',
      'connectionString',
      'credentials',
      'passphrase',
      'id-token',
      'refresh_token',
      'dsn',
      'DB_PASSWORD',
      'adminPassword',
      'masterKey',
    ),
  )
  .map(([prefix, name]) => prefix + name);

/** Keys that say nothing: the canary must be found by its content or by a key below. */
const plainKey = fc.constantFrom(
  'spec',
  'forProvider',
  'values',
  'config',
  'settings',
  'items',
  'data',
  'parameters',
  'atProvider',
  'description',
  'x',
);

/** A value that holds the canary under a secret-looking key. */
const underSecretKey: fc.Arbitrary<unknown> = fc.constantFrom(
  CANARY,
  [CANARY],
  [{ v: CANARY }],
  { value: CANARY },
  { data: { x: CANARY } },
  { nested: [[CANARY]] },
);

/** A value that is a secret by its content, whatever the key above it. */
const selfEvident: fc.Arbitrary<unknown> = secretKey.chain(k =>
  fc.constantFrom<unknown>(
    `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${CANARY}\n-----END RSA PRIVATE KEY-----\n`,
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${CANARY}`,
    `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: ${CANARY}\n`,
    `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: ${CANARY}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  tls.key: ${CANARY}\n`,
    `auth:\n  ${k}: |\n    ${CANARY}\n  user: me\n`,
    `# ${k}: ${CANARY}\nreplicas: 2\n`,
    `{{ if .x }}\n${k}: ${CANARY}\n{{ end }}`,
    `env:\n  - name: ${k}\n    value: ${CANARY}\n`,
    JSON.stringify({ auth: { [k]: CANARY } }),
    JSON.stringify({ auth: { [k]: CANARY } }, null, 2),
    `postgres://admin:${CANARY}@db.example.org:5432/app`,
    `Server=db;User Id=sa;${k}=${CANARY};`,
    `https://api.example.org/v1?${k}=${CANARY}&page=2`,
    `--${k}=${CANARY}`,
    `export ${k.replace(/\W/g, '_')}="${CANARY}"`,
    `Authorization: Bearer ${CANARY}`,
    { name: k, value: CANARY },
    { key: k, value: CANARY },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { 'tls.key': CANARY },
    },
    {
      apiVersion: 'v1',
      kind: 'SecretList',
      items: [{ metadata: { name: 's' }, stringData: { a: CANARY } }],
    },
    {
      metadata: {
        annotations: { [LAST_APPLIED_ANNOTATION]: CANARY },
      },
    },
  ),
);

/** The canary, alone or wrapped in innocent keys and arrays, at random depth. */
const planted: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      secretKey.chain(k => underSecretKey.map(v => ({ [k]: v }))),
      selfEvident,
    ),
    fc.array(fc.oneof(plainKey, fc.constant(0)), { maxLength: 6 }),
    fc.dictionary(plainKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  )
  .map(([leaf, path, siblings]) =>
    path.reduceRight<unknown>(
      (inner, step) =>
        step === 0 ? [inner] : { ...siblings, [step as string]: inner },
      leaf,
    ),
  );

/** The whole object a cluster could return, as JSON text (the canary planted somewhere). */
const lastAppliedOf = (value: unknown) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'X', spec: value });

const object: fc.Arbitrary<KubernetesObject> = fc
  .record({
    where: fc.constantFrom(
      'annotation',
      'label',
      'spec',
      'status',
      'array',
      'lastApplied',
      'nestedLastApplied',
    ),
    key: secretKey,
    value: planted,
    direct: fc.boolean(),
  })
  .map(({ where, key, value, direct }) => {
    const obj: KubernetesObject = {
      apiVersion: 'example.org/v1',
      kind: 'XThing',
      metadata: {
        name: 'thing',
        annotations: { 'crossplane.io/external-name': 'thing-ext' },
        labels: { 'crossplane.io/claim-name': 'thing' },
      },
      spec: { writeConnectionSecretToRef: { name: 'thing-conn' } },
      status: {},
    };
    const { annotations, labels } = obj.metadata as any;
    switch (where) {
      case 'annotation':
        annotations[key] = direct ? CANARY : value;
        annotations.config = value;
        break;
      case 'label':
        labels[key] = CANARY;
        break;
      case 'spec':
        obj.spec!.forProvider = direct ? { [key]: CANARY } : value;
        break;
      case 'status':
        obj.status!.atProvider = direct ? { [key]: CANARY } : value;
        break;
      case 'array':
        obj.spec!.items = [1, direct ? { [key]: [CANARY] } : [value]];
        break;
      case 'lastApplied':
        annotations[LAST_APPLIED_ANNOTATION] = lastAppliedOf(value);
        break;
      case 'nestedLastApplied':
        obj.spec!.forProvider = {
          manifest: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: 'cm',
              annotations: {
                [LAST_APPLIED_ANNOTATION]: lastAppliedOf(CANARY),
              },
            },
          },
        };
        break;
      default:
    }
    return obj;
  });

describe('redactObject with a canary planted anywhere', () => {
  it('never lets the canary out, in JSON or in YAML, and keeps what is useful', () => {
    fc.assert(
      fc.property(object, obj => {
        const before = JSON.stringify(obj);
        const out = redactObject(obj);
        expect(JSON.stringify(obj)).toBe(before);
        expect(JSON.stringify(out)).not.toContain(CANARY);
        expect(toYaml(out)).not.toContain(CANARY);
        expect(redactObject(out)).toEqual(out);
        expect(out.metadata.annotations?.['crossplane.io/external-name']).toBe(
          'thing-ext',
        );
        expect(out.metadata.labels?.['crossplane.io/claim-name']).toBe('thing');
        expect(out.spec?.writeConnectionSecretToRef).toEqual({
          name: 'thing-conn',
        });
      }),
      { numRuns: NUM_RUNS * 5 },
    );
  });

  it('never throws on odd input and never mutates it', () => {
    const { value: odd } = fc.letrec<{ value: unknown }>(tie => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.anything({ withObjectString: true, withNullPrototype: true }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc
          .dictionary(
            fc.constantFrom('__proto__', 'constructor', 'token', 'name', 'a/b'),
            tie('value'),
            { maxKeys: 3 },
          )
          .map(d => JSON.parse(JSON.stringify(d))),
      ),
    }));
    fc.assert(
      fc.property(odd, odd, (annotations, spec) => {
        const obj = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'x', annotations, labels: spec },
          spec,
        } as unknown as KubernetesObject;
        const before = JSON.stringify(obj, (_k, v) =>
          typeof v === 'bigint' ? String(v) : v,
        );
        redactObject(obj);
        expect(
          JSON.stringify(obj, (_k, v) =>
            typeof v === 'bigint' ? String(v) : v,
          ),
        ).toBe(before);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
