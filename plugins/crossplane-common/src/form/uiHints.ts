import { parse } from 'yaml';
import { CrossplaneModelError } from '../model/errors';
import { Xrd } from '../model/xrd';
import { isRecord } from '../model/util';
import { UI_SCHEMA_ANNOTATION } from './types';

/** UI hints by field path under `spec` (dotted, array items as `[]`). */
export type UiHints = Map<string, Record<string, unknown>>;

const FIELD = `metadata.annotations[${JSON.stringify(UI_SCHEMA_ANNOTATION)}]`;

/** Reads the XRD's form hints annotation. */
export function readUiHintsAnnotation(xrd: Xrd): UiHints {
  const hints: UiHints = new Map();
  const raw = xrd.annotations?.[UI_SCHEMA_ANNOTATION];
  if (raw === undefined || raw.trim() === '') return hints;
  let parsed: unknown;
  try {
    parsed = parse(raw);
  } catch (e) {
    throw new CrossplaneModelError(
      FIELD,
      `is not valid YAML or JSON: ${(e as Error).message}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new CrossplaneModelError(
      FIELD,
      'must be a map from field paths to ui:* hints',
    );
  }
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    if (!isRecord(value)) {
      throw new CrossplaneModelError(
        `${FIELD}.${key}`,
        'must be a map of ui:* hints',
      );
    }
    const path = key.replace(/^spec(\.|$)/, '');
    const entry: Record<string, unknown> = { ...(hints.get(path) ?? {}) };
    for (const hint of Object.keys(value)) {
      if (!hint.startsWith('ui:')) {
        throw new CrossplaneModelError(
          `${FIELD}.${key}.${hint}`,
          'hints must start with "ui:"',
        );
      }
      entry[hint] = value[hint];
    }
    hints.set(path, entry);
  }
  return hints;
}

/** `x-ui-order` → `ui:order`, for every `x-ui-*` key of a schema node. */
export function schemaUiHints(
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    if (key.startsWith('x-ui-') && key.length > 5) {
      out[`ui:${key.slice(5)}`] = schema[key];
    }
  }
  return out;
}
