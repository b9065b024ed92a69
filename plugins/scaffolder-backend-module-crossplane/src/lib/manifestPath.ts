import { InputError } from '@backstage/errors';
import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import path from 'node:path';

/** Default GitOps layout of rendered manifests in the workspace. */
export const DEFAULT_MANIFEST_LAYOUT =
  '{cluster}/{namespace}/{kind}/{name}.yaml';

const PLACEHOLDERS = ['cluster', 'namespace', 'kind', 'name', 'apiVersion'];
const PLACEHOLDER_LIST =
  '{cluster}, {namespace}, {kind}, {name} or {apiVersion}';
const MAX_LAYOUT_LENGTH = 512;
/** What a file system takes in one path segment. */
const MAX_SEGMENT_BYTES = 255;
/** Characters of a path segment, besides placeholders. */
const SEGMENT_TEXT = /^[A-Za-z0-9._-]*$/;
const RULE = `a relative path of segments of letters, digits, '.', '_', '-' and the placeholders ${PLACEHOLDER_LIST}, ending in .yaml or .yml`;

function layoutError(layout: string, problem: string): InputError {
  const shown = JSON.stringify(
    layout.length > 80 ? `${layout.slice(0, 80)}…` : layout,
  );
  return new InputError(`layout: ${shown} ${problem}; use ${RULE}`);
}

/**
 * Checks a GitOps layout before anything is rendered: a relative path
 * inside the workspace (no absolute path, no `..`, no hidden segment such
 * as `.git`), made of plain segments and the placeholders {cluster},
 * {namespace}, {kind}, {name}, {apiVersion}, naming a YAML file. Throws an
 * InputError naming `layout`.
 */
export function checkLayout(layout: string): void {
  if (typeof layout !== 'string' || layout.length === 0)
    throw layoutError(String(layout ?? ''), 'is empty');
  if (layout.length > MAX_LAYOUT_LENGTH) {
    throw layoutError(
      layout,
      `is longer than ${MAX_LAYOUT_LENGTH} characters (${layout.length})`,
    );
  }
  if (layout.startsWith('/') || /^[A-Za-z]:/.test(layout))
    throw layoutError(layout, 'is an absolute path');
  for (const segment of layout.split('/')) {
    if (segment === '')
      throw layoutError(
        layout,
        "has an empty segment ('//' or a trailing '/')",
      );
    if (segment === '..' || segment === '.')
      throw layoutError(layout, `has a ${JSON.stringify(segment)} segment`);
    if (segment.startsWith('.'))
      throw layoutError(
        layout,
        `has a hidden segment ${JSON.stringify(segment)}`,
      );
    const text = segment.replace(/\{(\w+)\}/g, (whole, key: string) => {
      if (!PLACEHOLDERS.includes(key)) {
        throw new InputError(
          `layout: unknown placeholder ${whole}; use ${PLACEHOLDER_LIST}`,
        );
      }
      return '';
    });
    if (!SEGMENT_TEXT.test(text)) {
      throw layoutError(
        layout,
        `has characters other than letters, digits, '.', '_', '-' in ${JSON.stringify(
          segment,
        )}`,
      );
    }
  }
  if (!/\.ya?ml$/.test(layout))
    throw layoutError(layout, 'does not name a .yaml or .yml file');
}

/**
 * The workspace-relative path of a manifest from a layout (see
 * {@link checkLayout}) with the placeholders {cluster}, {namespace},
 * {kind}, {name}, {apiVersion}. Cluster-scoped objects use `_cluster` for
 * {namespace}. Characters a value may not bring into a path become `_`.
 */
export function manifestPath(
  layout: string,
  manifest: KubernetesObject,
  cluster: string,
): string {
  checkLayout(layout);
  const values: Record<string, string> = {
    cluster,
    namespace: manifest.metadata.namespace ?? '_cluster',
    kind: manifest.kind.toLowerCase(),
    name: manifest.metadata.name,
    apiVersion: manifest.apiVersion,
  };
  const rendered = layout.replace(/\{(\w+)\}/g, (_, key: string) =>
    values[key].replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_'),
  );
  const normalized = path.posix.normalize(rendered);
  const segments = normalized.split('/');
  if (
    normalized !== rendered ||
    segments.some(s => s === '..' || s.startsWith('.'))
  ) {
    throw layoutError(layout, 'leads outside the workspace');
  }
  const long = segments.find(s => Buffer.byteLength(s) > MAX_SEGMENT_BYTES);
  if (long) {
    throw layoutError(
      layout,
      `makes a path segment longer than ${MAX_SEGMENT_BYTES} bytes`,
    );
  }
  return normalized;
}
