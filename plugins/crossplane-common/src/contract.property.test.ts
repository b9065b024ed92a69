/*
 * Property-based tests of the package's contract, through its public API:
 * form -> render -> validate over every fixture XRD, invalid values named by
 * validation, and no input making any function throw anything but a
 * CrossplaneModelError.
 */
import fc from 'fast-check';
import {
  CrossplaneModelError,
  KubernetesObject,
  OpenAPISchema,
  Xrd,
  buildResourceTree,
  buildResourceTrees,
  classifyObject,
  computeHealth,
  parseXrd,
  redactObject,
  renderManifest,
  templateFormDataToRenderInput,
  validateManifest,
  xrdToTemplateParameters,
} from './index';
import { allXrds } from './__fixtures__/xrds';
import {
  formAccepts,
  formDataArb,
  isObject,
} from './__testUtils__/formArbitraries';
import {
  appTree,
  nopObjects,
  packageObjects,
  postgresTree,
} from './__fixtures__/objects';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const xrds: [string, Xrd][] = Object.entries(allXrds).map(([k, v]) => [
  k,
  parseXrd(v),
]);

function onlyTypedErrors(run: () => unknown) {
  try {
    run();
  } catch (e) {
    if (!(e instanceof CrossplaneModelError)) throw e;
  }
}

describe('form -> render -> validate', () => {
  const cases = xrds.flatMap(([name, xrd]) =>
    (xrd.claimNames
      ? (['claim', 'composite'] as const)
      : (['composite'] as const)
    ).map(target => [`${name} ${target}`, xrd, target] as const),
  );

  it.each(cases)(
    'any value the %s form accepts renders to a manifest that validates',
    (_, xrd, target) => {
      const steps = xrdToTemplateParameters(xrd, {
        target,
        includeCrossplaneFields: true,
      });
      fc.assert(
        fc.property(formDataArb(steps), data => {
          fc.pre(formAccepts(steps, data));
          if (
            isObject(data.crossplane) &&
            data.crossplane.writeConnectionSecretToRef &&
            target === 'composite'
          ) {
            delete data.crossplane.writeConnectionSecretToRef;
          }
          const input = templateFormDataToRenderInput(xrd, data, {
            target,
            templateEntityRef: 'template:default/t',
          });
          if (input.writeConnectionSecretToRef && target === 'composite') {
            input.writeConnectionSecretToRef.namespace = 'crossplane-system';
          }
          const { manifest } = renderManifest(input);
          const issues = validateManifest(manifest, xrd);
          expect(issues.map(String)).toEqual([]);
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );
});

/** Leaf and object fields of a spec schema, with a value that breaks each. */
function breakers(
  schema: OpenAPISchema,
  path: string,
  out: [string, unknown, string][] = [],
  depth = 0,
) {
  if (depth > 6) return out;
  const free =
    schema['x-kubernetes-preserve-unknown-fields'] === true &&
    !schema.properties &&
    !schema.additionalProperties;
  if (free) return out;
  if (schema['x-kubernetes-int-or-string']) {
    out.push([path, { not: 'an int or string' }, path]);
    return out;
  }
  if (schema.enum && schema.type === 'string')
    out.push([path, 'not-one-of-them', path]);
  if (schema.type === 'integer' || schema.type === 'number') {
    out.push([path, 'twelve', path]);
    if (schema.maximum !== undefined)
      out.push([path, schema.maximum + 1, path]);
    if (schema.minimum !== undefined)
      out.push([path, schema.minimum - 1, path]);
  }
  if (schema.type === 'boolean') out.push([path, 'yes', path]);
  if (schema.type === 'string') {
    out.push([path, { an: 'object' }, path]);
    if (schema.maxLength !== undefined)
      out.push([path, 'x'.repeat(schema.maxLength + 1), path]);
    if (schema.pattern) out.push([path, ' does not match ', path]);
  }
  if (schema.type === 'array' && schema.items) {
    out.push([path, 'not a list', path]);
    breakers(schema.items, `${path}[0]`, out, depth + 1);
  }
  if (schema.type === 'object' && schema.properties) {
    out.push([`${path}.zzUnknown`, 1, `${path}.zzUnknown`]);
    for (const [key, child] of Object.entries(schema.properties)) {
      breakers(child, `${path}.${key}`, out, depth + 1);
    }
  }
  return out;
}

function setPath(obj: Record<string, any>, path: string, value: unknown) {
  const parts = path.match(/[^.[\]]+/g)!;
  let node: any = obj;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
    if (last) {
      node[part] = value;
    } else {
      if (typeof node[part] !== 'object' || node[part] === null)
        node[part] = nextIsIndex ? [] : {};
      node = node[part];
    }
  });
}

describe('invalid values', () => {
  it.each(xrds)(
    '%s: validation names the field of any invalid value',
    (_, xrd) => {
      const version = xrd.versions.find(v => v.referenceable)!;
      const spec = version.schema!.properties!.spec!;
      const candidates = breakers(spec, 'spec');
      expect(candidates.length).toBeGreaterThan(0);
      const target = xrd.claimNames ? 'claim' : 'composite';
      const steps = xrdToTemplateParameters(xrd, { target });
      fc.assert(
        fc.property(
          formDataArb(steps),
          fc.constantFrom(...candidates),
          (data, [path, bad, expected]) => {
            fc.pre(formAccepts(steps, data));
            const { manifest } = renderManifest(
              templateFormDataToRenderInput(xrd, data, { target }),
            );
            const broken = JSON.parse(JSON.stringify(manifest));
            setPath(broken, path, bad);
            const issues = validateManifest(broken, xrd);
            expect(issues.map(i => i.path)).toContain(expected);
            const issue = issues.find(i => i.path === expected)!;
            expect(String(issue)).toBe(`${issue.path}: ${issue.message}`);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    },
  );

  it('names the field and the allowed values of an enum', () => {
    const pg = xrds.find(([n]) => n === 'postgres')![1];
    const issues = validateManifest(
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        metadata: { name: 'db', namespace: 'team-a' },
        spec: {
          parameters: { storageGB: 20, region: 'eu-west-1', size: 'huge' },
        },
      },
      pg,
    );
    expect(issues.map(String)).toEqual([
      'spec.parameters.size: must be one of small, medium, large (got "huge")',
    ]);
  });
});

describe('robustness', () => {
  /** What a call throws that is not a CrossplaneModelError (undefined if none). */
  const untypedError = (run: () => unknown): unknown => {
    try {
      run();
      return undefined;
    } catch (e) {
      return e instanceof CrossplaneModelError ? undefined : e;
    }
  };
  const expectTyped = (run: () => unknown) => {
    expect(untypedError(run)).toBeUndefined();
  };

  it('parseXrd throws only typed errors on anything', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withMap: true,
          withDate: true,
        }),
        value => {
          expect(untypedError(() => parseXrd(value))).toBeUndefined();
        },
      ),
      { numRuns: NUM_RUNS * 5 },
    );
  });

  /** A fixture with one subtree replaced or removed. */
  const mutatedXrd = fc
    .tuple(
      fc.constantFrom(...Object.values(allXrds)),
      fc.nat(),
      fc.anything(),
      fc.boolean(),
    )
    .map(([raw, pick, replacement, remove]) => {
      const copy = JSON.parse(JSON.stringify(raw));
      const paths: [any, string][] = [];
      const walk = (node: any, depth: number) => {
        if (depth > 12 || typeof node !== 'object' || node === null) return;
        for (const key of Object.keys(node)) {
          paths.push([node, key]);
          walk(node[key], depth + 1);
        }
      };
      walk(copy, 0);
      const [parent, key] = paths[pick % paths.length];
      if (remove) delete parent[key];
      else parent[key] = replacement;
      return copy;
    });

  it('malformed XRDs make every function throw only typed errors', () => {
    fc.assert(
      fc.property(
        mutatedXrd,
        fc.dictionary(fc.string(), fc.anything()),
        fc.anything(),
        (raw, values, manifest) => {
          let parsed: Xrd | undefined;
          expect(
            untypedError(() => {
              parsed = parseXrd(raw);
            }),
          ).toBeUndefined();
          if (!parsed) return;
          const xrd: Xrd = parsed;
          for (const target of ['claim', 'composite'] as const) {
            for (const version of xrd.versions) {
              expectTyped(() =>
                xrdToTemplateParameters(xrd, {
                  target,
                  version: version.name,
                  includeCrossplaneFields: true,
                }),
              );
              expectTyped(() =>
                renderManifest({
                  xrd,
                  target,
                  version: version.name,
                  name: 'x',
                  namespace: 'y',
                  values,
                }),
              );
              expectTyped(() =>
                validateManifest(manifest, xrd, { version: version.name }),
              );
              onlyTypedErrors(() => {
                const { manifest: rendered } = renderManifest({
                  xrd,
                  target,
                  version: version.name,
                  name: 'x',
                  namespace: 'y',
                  values: {},
                });
                expectTyped(() =>
                  validateManifest({ ...rendered, spec: values }, xrd),
                );
              });
            }
          }
        },
      ),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  const objects = [
    ...postgresTree,
    ...appTree,
    ...nopObjects,
    ...packageObjects,
  ];
  const mutatedObject = fc
    .tuple(fc.constantFrom(...objects), fc.nat(), fc.anything(), fc.boolean())
    .map(([obj, pick, replacement, remove]) => {
      const copy = JSON.parse(JSON.stringify(obj));
      const paths: [any, string][] = [];
      const walk = (node: any, depth: number) => {
        if (depth > 8 || typeof node !== 'object' || node === null) return;
        for (const key of Object.keys(node)) {
          paths.push([node, key]);
          walk(node[key], depth + 1);
        }
      };
      walk(copy, 0);
      const [parent, key] = paths[pick % paths.length];
      if (remove) delete parent[key];
      else parent[key] = replacement;
      return copy as KubernetesObject;
    });

  it('health, classification, trees and redaction never throw and never mutate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(mutatedObject, fc.anything() as fc.Arbitrary<any>), {
          maxLength: 30,
        }),
        list => {
          const before = JSON.stringify(list, (_k, v) =>
            typeof v === 'bigint' ? String(v) : v,
          );
          for (const obj of list) {
            computeHealth(obj);
            classifyObject(obj);
            redactObject(obj);
          }
          const trees = buildResourceTrees(list);
          for (const tree of trees)
            expect(tree.rolledUpHealth.status).toBeDefined();
          const first = list.find(o => isObject(o) && isObject(o.metadata));
          if (
            first &&
            typeof first.kind === 'string' &&
            typeof first.metadata.name === 'string'
          ) {
            buildResourceTree(list, {
              apiVersion: first.apiVersion,
              kind: first.kind,
              namespace: first.metadata.namespace,
              name: first.metadata.name,
            });
          }
          expect(
            JSON.stringify(list, (_k, v) =>
              typeof v === 'bigint' ? String(v) : v,
            ),
          ).toBe(before);
        },
      ),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
