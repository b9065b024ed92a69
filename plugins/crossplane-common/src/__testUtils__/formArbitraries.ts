/*
 * fast-check arbitraries of what a generated form collects, shared by the
 * property tests: values the scaffolder's form would accept for each node
 * of a form schema.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { FormSchema, xrdToTemplateParameters } from '../form';

/** The scaffolder form's own validator: draft-07 with the standard formats. */
const formAjv = new Ajv({ allErrors: true, strict: false });
addFormats(formAjv);

export function stepSchema(
  step: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(step)) {
    if (k.startsWith('ui:')) continue;
    if (isObject(v)) out[k] = stepSchema(v);
    else if (Array.isArray(v)) {
      out[k] = v.map(x => (isObject(x) ? stepSchema(x) : x));
    } else out[k] = v;
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const OWNERS = [
  'group:default/team-a',
  'user:default/jane.doe',
  'group:platform/sre',
];

/** Values the scaffolder form would collect for a form schema node. */
export function arb(
  schema: FormSchema,
  required: boolean,
): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum))
    return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema['ui:field'] === 'OwnerPicker') return fc.constantFrom(...OWNERS);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      let min = (schema.minimum as number) ?? -100000;
      let max = (schema.maximum as number) ?? 100000;
      if (schema.exclusiveMinimum !== undefined)
        min = (schema.exclusiveMinimum as number) + 1;
      if (schema.exclusiveMaximum !== undefined)
        max = (schema.exclusiveMaximum as number) - 1;
      return fc.integer({ min, max });
    }
    case 'number': {
      const min =
        (schema.minimum as number) ??
        (schema.exclusiveMinimum as number) ??
        -1e6;
      const max =
        (schema.maximum as number) ??
        (schema.exclusiveMaximum as number) ??
        1e6;
      return fc
        .double({ min, max, noNaN: true, noDefaultInfinity: true })
        .filter(
          n =>
            (schema.exclusiveMinimum === undefined ||
              n > (schema.exclusiveMinimum as number)) &&
            (schema.exclusiveMaximum === undefined ||
              n < (schema.exclusiveMaximum as number)),
        );
    }
    case 'string': {
      if (schema['ui:widget'] === 'textarea') {
        return fc
          .dictionary(
            fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/),
            fc.oneof(fc.string(), fc.integer(), fc.boolean()),
            {
              maxKeys: 4,
            },
          )
          .map(d => stringify(d));
      }
      const minLength = Math.max(1, (schema.minLength as number) ?? 1);
      const maxLength = (schema.maxLength as number) ?? 40;
      let base: fc.Arbitrary<string>;
      if (schema.format === 'email') base = fc.emailAddress();
      else if (schema.format === 'hostname') base = fc.domain();
      else if (schema.format === 'uri') base = fc.webUrl();
      else if (schema.format === 'date-time') {
        base = fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2099-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map(d => d.toISOString());
      } else if (typeof schema.pattern === 'string')
        base = fc.stringMatching(new RegExp(schema.pattern as string));
      else base = fc.string({ minLength, maxLength });
      return base.filter(s => s.length >= minLength && s.length <= maxLength);
    }
    case 'array': {
      const items = arb(schema.items as FormSchema, true);
      const minLength = (schema.minItems as number) ?? 0;
      const maxLength = Math.min(
        (schema.maxItems as number) ?? 3,
        Math.max(minLength, 3),
      );
      return schema.uniqueItems
        ? fc.uniqueArray(items, {
            minLength,
            maxLength,
            selector: v => JSON.stringify(v),
          })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      if (isObject(schema.properties)) return objectArb(schema);
      const values = arb(schema.additionalProperties as FormSchema, true);
      const maxKeys = Math.min((schema.maxProperties as number) ?? 3, 3);
      return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), values, {
        maxKeys,
      });
    }
    default:
      return required ? fc.string({ minLength: 1 }) : fc.constant(undefined);
  }
}

export function objectArb(schema: FormSchema): fc.Arbitrary<unknown> {
  const props = schema.properties as Record<string, FormSchema>;
  const baseRequired = (schema.required as string[]) ?? [];
  const branches = ((schema.oneOf ?? schema.anyOf) as
    | { required?: string[] }[]
    | undefined) ?? [{}];
  const exclusive = schema.oneOf !== undefined;
  return fc.oneof(
    ...branches.map(branch => {
      const required = new Set([...baseRequired, ...(branch.required ?? [])]);
      const others = new Set(
        exclusive
          ? branches
              .flatMap(b => (b === branch ? [] : b.required ?? []))
              .filter(k => !required.has(k))
          : [],
      );
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(props)) {
        if (others.has(key)) continue;
        model[key] = arb(child, required.has(key));
      }
      return fc.record(model, {
        requiredKeys: [...required].filter(k => k in model),
      });
    }),
  );
}

export function formDataArb(
  steps: ReturnType<typeof xrdToTemplateParameters>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      ...steps.map(
        s =>
          objectArb(s as FormSchema) as fc.Arbitrary<Record<string, unknown>>,
      ),
    )
    .map(parts => Object.assign({}, ...parts));
}

export function formAccepts(
  steps: ReturnType<typeof xrdToTemplateParameters>,
  data: Record<string, unknown>,
): boolean {
  return steps.every(step =>
    formAjv.validate(stepSchema(step as Record<string, unknown>), data),
  );
}
