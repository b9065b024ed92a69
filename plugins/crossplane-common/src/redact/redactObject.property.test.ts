import fc from 'fast-check';
import { KubernetesObject } from '../model/types';
import { LAST_APPLIED_ANNOTATION, REDACTED_VALUE, redactObject } from '.';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const SECRET = 'hunter2-do-not-leak';

const key = fc.constantFrom(
  'name',
  'value',
  'spec',
  'config',
  'items',
  'password',
  'apiToken',
  'secretRef',
  'data',
  'stringData',
  'manifest',
);
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

/** A Secret manifest holding the secret value, to hide anywhere. */
const secretManifest = fc.constant({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's' },
  data: { password: Buffer.from(SECRET).toString('base64') },
  stringData: { password: SECRET },
});

const { tree } = fc.letrec<{ tree: unknown }>(tie => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    leaf,
    secretManifest,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
}));

const object: fc.Arbitrary<KubernetesObject> = fc
  .record({
    kind: fc.constantFrom('Secret', 'Object', 'Release', 'Composition'),
    spec: fc.dictionary(key, tree, { maxKeys: 4 }),
    data: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  })
  .map(o => ({
    apiVersion: o.kind === 'Secret' ? 'v1' : 'example.org/v1',
    kind: o.kind,
    metadata: {
      name: 'x',
      annotations: { [LAST_APPLIED_ANNOTATION]: SECRET, keep: 'me' },
    },
    spec: o.spec,
    data: o.data,
  }));

function walk(value: unknown, visit: (v: Record<string, unknown>) => void) {
  if (Array.isArray(value)) value.forEach(v => walk(v, visit));
  else if (value && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    visit(rec);
    for (const k of Object.keys(rec)) walk(rec[k], visit);
  }
}

/** What a redacted object must not contain. */
function leaks(out: KubernetesObject): string[] {
  const found: string[] = [];
  walk(out, rec => {
    if (rec.kind === 'Secret' && rec.apiVersion === 'v1') {
      if (rec.data !== undefined) found.push('Secret data');
      if (rec.stringData !== undefined) found.push('Secret stringData');
    }
    for (const k of ['password', 'apiToken']) {
      const v = rec[k];
      if (
        (typeof v === 'string' || typeof v === 'number') &&
        v !== REDACTED_VALUE
      ) {
        found.push(`${k}: ${v}`);
      }
    }
  });
  return found;
}

describe('redactObject over random objects', () => {
  it('never mutates, is idempotent and leaks no Secret data or secret-named values', () => {
    fc.assert(
      fc.property(object, obj => {
        const before = JSON.stringify(obj);
        const out = redactObject(obj);
        expect(JSON.stringify(obj)).toBe(before);
        expect(redactObject(out)).toEqual(out);
        const text = JSON.stringify(out);
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
        expect(out.metadata.annotations).toEqual({ keep: 'me' });
        expect(leaks(out)).toEqual([]);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
