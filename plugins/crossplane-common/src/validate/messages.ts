import { ErrorObject } from './ajv';
import { joinPath } from '../model/util';
import { ValidationIssue } from './types';

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `/spec/disks/0/size` → `spec.disks[0].size`, under a base path. */
export function pointerToPath(base: string, pointer: string): string {
  let path = base;
  if (!pointer) return path;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(key)
      ? joinPath(path, Number(key))
      : joinPath(path, key);
  }
  return path;
}

/** Turns ajv's errors into issues: one per problem, junctor branch noise left out. */
export function ajvErrorsToIssues(
  errors: readonly ErrorObject[],
  base: string,
): ValidationIssue[] {
  const junctors = errors
    .filter(
      e =>
        e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not',
    )
    .map(e => `${e.schemaPath}/`);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (junctors.some(j => e.schemaPath.startsWith(j))) continue;
    if (e.keyword === 'if') continue;
    const at = pointerToPath(base, e.instancePath);
    const p = e.params as Record<string, any>;
    let path = at;
    let message: string;
    switch (e.keyword) {
      case 'required':
        path = joinPath(at, p.missingProperty);
        message = 'is required';
        break;
      case 'additionalProperties':
        path = joinPath(at, p.additionalProperty);
        message = 'unknown field';
        break;
      case 'type': {
        const types = String(p.type).split(',');
        message = `must be ${types.map(article).join(' or ')} (got ${typeName(
          e.data,
        )} ${show(e.data)})`;
        break;
      }
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[])
          .map(v => (typeof v === 'string' ? v : show(v)))
          .join(', ')} (got ${show(e.data)})`;
        break;
      case 'pattern':
        message = `must match the pattern ${p.pattern} (got ${show(e.data)})`;
        break;
      case 'format':
        message = `must be a valid ${p.format} (got ${show(e.data)})`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = `must be ${p.comparison} ${p.limit} (got ${show(e.data)})`;
        break;
      case 'multipleOf':
        message = `must be a multiple of ${p.multipleOf} (got ${show(e.data)})`;
        break;
      case 'minLength':
        message = `must be at least ${p.limit} characters long (got ${show(
          e.data,
        )})`;
        break;
      case 'maxLength':
        message = `must be at most ${p.limit} characters long (got ${
          String(e.data).length
        })`;
        break;
      case 'minItems':
        message = `must have at least ${p.limit} items (got ${
          (e.data as unknown[]).length
        })`;
        break;
      case 'maxItems':
        message = `must have at most ${p.limit} items (got ${
          (e.data as unknown[]).length
        })`;
        break;
      case 'uniqueItems':
        message = `must not contain duplicates (items ${p.j} and ${p.i} are equal)`;
        break;
      case 'minProperties':
        message = `must have at least ${p.limit} fields`;
        break;
      case 'maxProperties':
        message = `must have at most ${p.limit} fields`;
        break;
      case 'oneOf':
        message =
          p.passingSchemas && p.passingSchemas.length > 1
            ? `must match exactly one of the allowed shapes (matches ${p.passingSchemas.length})`
            : 'must match exactly one of the allowed shapes';
        break;
      case 'anyOf':
        message = 'must match at least one of the allowed shapes';
        break;
      case 'not':
        message = 'must not match the excluded shape';
        break;
      default:
        message = e.message ?? `fails ${e.keyword}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message });
  }
  return issues;
}
