import { InputError } from '@backstage/errors';
import { KubernetesObject } from '@platformops/plugin-crossplane-common';
import path from 'node:path';

/** Default GitOps layout of rendered manifests in the workspace. */
export const DEFAULT_MANIFEST_LAYOUT =
  '{cluster}/{namespace}/{kind}/{name}.yaml';

/**
 * The workspace-relative path of a manifest from a layout with the
 * placeholders {cluster}, {namespace}, {kind}, {name}, {apiVersion}.
 * Cluster-scoped objects use `_cluster` for {namespace}. Refuses paths that
 * leave the workspace.
 */
export function manifestPath(
  layout: string,
  manifest: KubernetesObject,
  cluster: string,
): string {
  const values: Record<string, string> = {
    cluster,
    namespace: manifest.metadata.namespace ?? '_cluster',
    kind: manifest.kind.toLowerCase(),
    name: manifest.metadata.name,
    apiVersion: manifest.apiVersion.replace('/', '_'),
  };
  const rendered = layout.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in values)) {
      throw new InputError(
        `layout: unknown placeholder ${whole}; use {cluster}, {namespace}, {kind}, {name} or {apiVersion}`,
      );
    }
    return values[key].replace(/[\\/]/g, '_');
  });
  const normalized = path.posix.normalize(rendered);
  if (normalized.startsWith('..') || path.posix.isAbsolute(normalized)) {
    throw new InputError(`layout: "${layout}" leads outside the workspace`);
  }
  return normalized;
}
