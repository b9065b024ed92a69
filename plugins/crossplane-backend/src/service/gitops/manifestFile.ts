import { ConflictError } from '@backstage/errors';
import {
  CrossplaneObjectId,
  describeObjectId,
  KubernetesObject,
  PlatformOpsMetadata,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { Document, isMap, parseAllDocuments } from 'yaml';

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
 * How the delivering tool sets the namespace of a file's documents:
 * `default` for a document that names none (Argo CD's destination
 * namespace), `override` for every one (Flux's `targetNamespace`). None:
 * a document names its own namespace, or declares no namespaced object.
 */
export interface NamespaceRule {
  default?: string;
  override?: string;
}

/**
 * Whether a manifest declares exactly the object: its group, kind, name
 * and namespace (the document's own, or as the rule sets it; a
 * cluster-scoped object's document names none).
 */
export function declaresObject(
  manifest: Partial<KubernetesObject>,
  id: CrossplaneObjectId,
  rule: NamespaceRule = {},
): boolean {
  const group = splitApiVersion(String(manifest.apiVersion ?? '')).group;
  const own = manifest.metadata?.namespace;
  const namespace =
    id.namespace === undefined ? own : rule.override ?? own ?? rule.default;
  return (
    group === id.group &&
    manifest.kind === id.kind &&
    manifest.metadata?.name === id.name &&
    // A document without the namespace, with no tool's rule for it, could be
    // any namespace's object of that name: another team's.
    namespace === id.namespace
  );
}

/**
 * The refusal of a file that is not the object's alone, whatever else it
 * is (missing, several documents, not YAML, another object): the path is
 * chosen by whoever writes the object, and the repository may be one they
 * cannot read, so the answer tells nothing of what the file holds.
 */
export function notTheObjectFile(path: string, id: CrossplaneObjectId) {
  return new ConflictError(
    `${path} in its repository does not hold ${describeObjectId(
      id,
    )}: no pull request is opened`,
  );
}

/**
 * Checks that a file holds exactly the object (one YAML document of its
 * group, kind, name and namespace, saying it is its cluster's with the
 * source-cluster annotation PlatformOps renders): the path is data in the
 * cluster, so a pull request never rewrites or removes a file about
 * something else, such as the same-named object of another cluster whose
 * files share the repository.
 */
export function parseObjectFile(
  text: string,
  id: CrossplaneObjectId,
  path: string,
) {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length !== 1) {
    throw notTheObjectFile(path, id);
  }
  const [document] = documents;
  if (
    document.errors.length > 0 ||
    !isMap(document.contents) ||
    !declaresObject(document.toJS() as Partial<KubernetesObject>, id) ||
    document.getIn([
      'metadata',
      'annotations',
      PlatformOpsMetadata.sourceClusterAnnotation,
    ]) !== id.cluster
  ) {
    throw notTheObjectFile(path, id);
  }
  return document;
}

function applyChanges(document: Document, changes: SpecChange[]) {
  for (const change of changes) {
    const at = ['spec', ...change.path];
    if (change.remove) document.deleteIn(at);
    else document.setIn(at, change.value);
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The file's text with the changes under `spec`, the rest as it was. */
export function patchObjectFile(
  text: string,
  id: CrossplaneObjectId,
  path: string,
  changes: SpecChange[],
): string {
  return applyChanges(parseObjectFile(text, id, path), changes);
}

/**
 * The manifests of a (multi-document) YAML file, each with the span of
 * text it takes (its `---` and comments included) and the span of its
 * own, so that one can be changed or removed and every other byte of the
 * file kept. Documents
 * that are not a manifest (empty, a scalar, broken YAML) are skipped.
 */
function manifestsOf(text: string) {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  return documents.flatMap((document, i) => {
    if (document.errors.length > 0 || !isMap(document.contents)) return [];
    const end = documents[i + 1]?.range[0] ?? text.length;
    return [
      {
        document,
        // The first document's text holds the comments before it, as its
        // string does; they head the file and stay when it goes.
        span: [i === 0 ? 0 : document.range[0], end] as const,
        own: [document.range[0], end] as const,
        manifest: document.toJS() as Partial<KubernetesObject>,
      },
    ];
  });
}

/** How many documents of a file declare the object. */
export function countObjectDocuments(
  text: string,
  id: CrossplaneObjectId,
  rule: NamespaceRule,
): number {
  return manifestsOf(text).filter(m => declaresObject(m.manifest, id, rule))
    .length;
}

function objectDocument(
  text: string,
  id: CrossplaneObjectId,
  rule: NamespaceRule,
) {
  const manifests = manifestsOf(text);
  const found = manifests.filter(m => declaresObject(m.manifest, id, rule));
  if (found.length !== 1) {
    throw new ConflictError(
      `the file holds ${found.length} documents declaring ${describeObjectId(
        id,
      )}`,
    );
  }
  return { ...found[0], others: manifests.length - 1 };
}

/**
 * The file with the changes under `spec` of the one document declaring
 * the object; other documents, comments and layout as they were.
 */
export function patchObjectDocument(
  text: string,
  id: CrossplaneObjectId,
  rule: NamespaceRule,
  changes: SpecChange[],
): string {
  const { document, span } = objectDocument(text, id, rule);
  return (
    text.slice(0, span[0]) +
    applyChanges(document, changes) +
    text.slice(span[1])
  );
}

/**
 * The file without the one document declaring the object, or undefined
 * when it held no other manifest (the file goes).
 */
export function removeObjectDocument(
  text: string,
  id: CrossplaneObjectId,
  rule: NamespaceRule,
): string | undefined {
  const { own, others } = objectDocument(text, id, rule);
  if (others === 0) return undefined;
  return text.slice(0, own[0]) + text.slice(own[1]);
}
