import { ConflictError } from '@backstage/errors';
import {
  CrossplaneObjectId,
  describeObjectId,
  KubernetesObject,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { isMap, parseAllDocuments } from 'yaml';

/** One change of a field under `spec`: set to `value`, or removed. */
export interface SpecChange {
  path: string[];
  value?: unknown;
  remove?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The fields an edit changes, deepest first reached: maps are compared
 * key by key, anything else (lists, scalars) as a whole. Only what
 * differs is written to the file, so the file keeps its layout, comments
 * and every field the edit leaves alone (a value the portal only ever
 * shows redacted is never written).
 */
export function specChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  at: string[] = [],
): SpecChange[] {
  const changes: SpecChange[] = [];
  for (const key of Object.keys(before)) {
    if (!(key in after)) changes.push({ path: [...at, key], remove: true });
  }
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isPlainObject(old) && isPlainObject(value)) {
      changes.push(...specChanges(old, value, [...at, key]));
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      changes.push({ path: [...at, key], value });
    }
  }
  return changes;
}

/**
 * Checks that a file holds exactly the object (one YAML document of its
 * group, kind, name and namespace): the path is data in the cluster, so a
 * pull request never rewrites or removes a file about something else.
 */
export function parseObjectFile(
  text: string,
  id: CrossplaneObjectId,
  path: string,
) {
  const where = `${path} in its repository`;
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length !== 1) {
    throw new ConflictError(
      `${where} is not one YAML document: the pull request would change more than ${describeObjectId(
        id,
      )}`,
    );
  }
  const [document] = documents;
  if (document.errors.length > 0 || !isMap(document.contents)) {
    throw new ConflictError(`${where} is not a YAML manifest`);
  }
  const manifest = document.toJS() as Partial<KubernetesObject>;
  const group = splitApiVersion(String(manifest.apiVersion ?? '')).group;
  const namespace = manifest.metadata?.namespace;
  if (
    group !== id.group ||
    manifest.kind !== id.kind ||
    manifest.metadata?.name !== id.name ||
    // A file without the namespace could be any namespace's object of that
    // name: another team's, named by the annotations of one's own.
    namespace !== id.namespace
  ) {
    throw new ConflictError(
      `${where} does not hold ${describeObjectId(
        id,
      )}: no pull request is opened`,
    );
  }
  return document;
}

/** The file's text with the changes under `spec`, the rest as it was. */
export function patchObjectFile(
  text: string,
  id: CrossplaneObjectId,
  path: string,
  changes: SpecChange[],
): string {
  const document = parseObjectFile(text, id, path);
  for (const change of changes) {
    const at = ['spec', ...change.path];
    if (change.remove) document.deleteIn(at);
    else document.setIn(at, change.value);
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
