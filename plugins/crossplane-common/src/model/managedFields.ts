import type { CrossplaneFieldOwner } from '../status/day2';
import type { KubernetesObject } from './types';
import { isRecord } from './util';

/**
 * The dotted paths of the fields a `fieldsV1` set names, e.g.
 * `spec.parameters.size`; list items as `[name=web]` (by key), `[3]` (by
 * index) or `["a"]` (a set's value). Only the innermost fields: a map that
 * is owned as a whole (`.`) and has owned fields gives those fields.
 *
 * @public
 */
export function fieldsV1Paths(fields: unknown, base = ''): string[] {
  if (!isRecord(fields)) return [];
  const paths: string[] = [];
  for (const key of Object.keys(fields)) {
    if (key === '.') continue;
    const segment = pathSegment(key);
    if (segment === undefined) continue;
    const path = segment.startsWith('[')
      ? `${base}${segment}`
      : `${base ? `${base}.` : ''}${segment}`;
    const inner = fieldsV1Paths(fields[key], path);
    paths.push(...(inner.length > 0 ? inner : [path]));
  }
  return paths;
}

function pathSegment(key: string): string | undefined {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  switch (kind) {
    case 'f:':
      return rest;
    case 'i:':
      return `[${rest}]`;
    case 'v:':
      return `[${rest}]`;
    case 'k:': {
      try {
        const item = JSON.parse(rest) as Record<string, unknown>;
        return `[${Object.keys(item)
          .map(k => `${k}=${String(item[k])}`)
          .join(',')}]`;
      } catch {
        return `[${rest}]`;
      }
    }
    default:
      return undefined;
  }
}

/**
 * Who owns which fields of an object, from `metadata.managedFields`; with
 * `under`, only fields at or below those dotted paths (e.g. `spec.parameters`),
 * and only managers that own one of them.
 *
 * @public
 */
export function fieldOwnersOf(
  object: KubernetesObject,
  options: { under?: string[] } = {},
): CrossplaneFieldOwner[] {
  const entries = (object.metadata as { managedFields?: unknown })
    .managedFields;
  if (!Array.isArray(entries)) return [];
  const within = (path: string) =>
    !options.under ||
    options.under.some(
      prefix =>
        path === prefix ||
        path.startsWith(`${prefix}.`) ||
        path.startsWith(`${prefix}[`),
    );
  const owners: CrossplaneFieldOwner[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.manager !== 'string') continue;
    const fields = fieldsV1Paths(entry.fieldsV1).filter(within);
    if (fields.length === 0) continue;
    owners.push({
      manager: entry.manager,
      operation: typeof entry.operation === 'string' ? entry.operation : '',
      ...(typeof entry.time === 'string' ? { time: entry.time } : {}),
      fields,
    });
  }
  return owners;
}
