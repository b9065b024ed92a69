import type { ErrorObject } from 'ajv';
import { joinPath } from '../model/util';
import { ValidationIssue, describeValue, validationIssue } from './issues';

/** `/spec/env/0/name` → `spec.env[0].name`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^(0|[1-9]\d*)$/.test(key)
      ? joinPath(path, Number(key))
      : joinPath(path, key);
  }
  return path;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describeType(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map(t => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function lookup(data: unknown, pointer: string): unknown {
  let current: unknown = data;
  if (!pointer) return current;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** For `oneOf: [{required: [a]}, {required: [b]}]`: the field names. */
function requiredOnlyBranches(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const fields: string[] = [];
  for (const b of branches) {
    if (!b || typeof b !== 'object') return undefined;
    const keys = Object.keys(b);
    const req = (b as { required?: unknown }).required;
    if (keys.length !== 1 || !Array.isArray(req)) return undefined;
    fields.push(req.join(' + '));
  }
  return fields;
}

/** Turns ajv errors into issues with field paths and plain reasons. */
export function ajvErrorsToIssues(
  errors: ErrorObject[],
  data: unknown,
): ValidationIssue[] {
  // Errors inside oneOf/anyOf branches are summarised by the junctor's own error.
  const junctors = errors
    .filter(
      e =>
        e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'not',
    )
    .map(e => e.schemaPath);
  const issues: ValidationIssue[] = [];
  for (const e of errors) {
    if (
      junctors.some(j => e.schemaPath !== j && e.schemaPath.startsWith(`${j}/`))
    )
      continue;
    const base = pointerToPath(e.instancePath);
    const value = e.data !== undefined ? e.data : lookup(data, e.instancePath);
    const p = e.params as Record<string, any>;
    switch (e.keyword) {
      case 'required':
        issues.push(
          validationIssue(
            joinPath(base, p.missingProperty),
            'is required',
            'required',
          ),
        );
        break;
      case 'additionalProperties':
        issues.push(
          validationIssue(
            joinPath(base, p.additionalProperty),
            'unknown field: not in the schema',
            'unknown',
          ),
        );
        break;
      case 'type':
        issues.push(
          validationIssue(
            base,
            `must be ${describeType(p.type)} (got ${typeOf(
              value,
            )} ${describeValue(value)})`,
            'type',
          ),
        );
        break;
      case 'enum':
        issues.push(
          validationIssue(
            base,
            `must be one of ${(p.allowedValues as unknown[])
              .map(v => (typeof v === 'string' ? v : JSON.stringify(v)))
              .join(', ')} (got ${describeValue(value)})`,
            'enum',
          ),
        );
        break;
      case 'pattern':
        issues.push(
          validationIssue(
            base,
            `must match ${p.pattern} (got ${describeValue(value)})`,
            'pattern',
          ),
        );
        break;
      case 'format':
        issues.push(
          validationIssue(
            base,
            `must be a valid ${p.format} (got ${describeValue(value)})`,
            'format',
          ),
        );
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        issues.push(
          validationIssue(
            base,
            `must be ${p.comparison} ${p.limit} (got ${describeValue(value)})`,
            e.keyword,
          ),
        );
        break;
      case 'multipleOf':
        issues.push(
          validationIssue(
            base,
            `must be a multiple of ${p.multipleOf} (got ${describeValue(
              value,
            )})`,
            e.keyword,
          ),
        );
        break;
      case 'minLength':
        issues.push(
          validationIssue(
            base,
            `must be at least ${plural(
              p.limit,
              'character',
            )} (got ${describeValue(value)})`,
            e.keyword,
          ),
        );
        break;
      case 'maxLength':
        issues.push(
          validationIssue(
            base,
            `must be at most ${plural(p.limit, 'character')} (got ${
              typeof value === 'string' ? value.length : '?'
            })`,
            e.keyword,
          ),
        );
        break;
      case 'minItems':
        issues.push(
          validationIssue(
            base,
            `must have at least ${plural(p.limit, 'item')} (got ${
              Array.isArray(value) ? value.length : '?'
            })`,
            e.keyword,
          ),
        );
        break;
      case 'maxItems':
        issues.push(
          validationIssue(
            base,
            `must have at most ${plural(p.limit, 'item')} (got ${
              Array.isArray(value) ? value.length : '?'
            })`,
            e.keyword,
          ),
        );
        break;
      case 'minProperties':
        issues.push(
          validationIssue(
            base,
            `must have at least ${plural(p.limit, 'entry')} (got ${
              value && typeof value === 'object'
                ? Object.keys(value).length
                : '?'
            })`.replace('entrys', 'entries'),
            e.keyword,
          ),
        );
        break;
      case 'maxProperties':
        issues.push(
          validationIssue(
            base,
            `must have at most ${plural(p.limit, 'entry')} (got ${
              value && typeof value === 'object'
                ? Object.keys(value).length
                : '?'
            })`.replace('entrys', 'entries'),
            e.keyword,
          ),
        );
        break;
      case 'uniqueItems':
        issues.push(
          validationIssue(
            base,
            `must not repeat items (items ${p.j} and ${p.i} are equal)`,
            e.keyword,
          ),
        );
        break;
      case 'oneOf':
      case 'anyOf': {
        const fields = requiredOnlyBranches(e.schema);
        const matched =
          e.keyword === 'oneOf' && Array.isArray(p.passingSchemas)
            ? p.passingSchemas.length
            : 0;
        let message: string;
        if (fields) {
          const list = fields.join(', ');
          message =
            e.keyword === 'oneOf'
              ? `must set exactly one of ${list} (${
                  matched > 1 ? 'sets several' : 'sets none'
                })`
              : `must set at least one of ${list}`;
        } else {
          message =
            e.keyword === 'oneOf'
              ? `must match exactly one of the allowed shapes (matches ${
                  matched > 1 ? matched : 'none'
                })`
              : 'must match at least one of the allowed shapes';
        }
        issues.push(validationIssue(base, message, e.keyword));
        break;
      }
      case 'not':
        issues.push(
          validationIssue(base, 'must not match the excluded shape', e.keyword),
        );
        break;
      case 'x-list-map-keys':
        issues.push(
          validationIssue(
            base,
            e.message ?? 'must not repeat list keys',
            'duplicate',
          ),
        );
        break;
      case 'if':
      case 'allOf':
        break;
      default:
        issues.push(
          validationIssue(base, e.message ?? `fails ${e.keyword}`, e.keyword),
        );
    }
  }
  return issues;
}
