import { CROSSPLANE_SPEC_FIELDS } from '../form/crossplaneFields';
import { CrossplaneModelError } from '../model/errors';
import {
  dns1123LabelProblem,
  labelValueProblem,
  qualifiedNameProblem,
  toLabelValue,
} from '../model/names';
import { hasOwn, isRecord, joinPath, setOwn } from '../model/util';
import { Xrd, XrdTarget } from '../model/xrd';
import { PlatformOpsMetadata } from '../render/platformOpsMetadata';
import { parseFullEntityRef, parseOwnerRef } from './entityRefs';
import { NOT_FROM_INPUT, reservedMetadataKeyProblem } from './metadataKeys';
import {
  DEFAULT_NAMESPACE_POLICY,
  NamespacePolicy,
  namespaceWriteProblem,
} from './namespaces';
import {
  OFFERED_MACHINERY,
  crossplaneSpecFieldReason,
  crossplaneSpecFields,
} from './specFields';

/**
 * Upper bound of all annotations of an object, keys and values, in bytes:
 * the API server's.
 *
 * @public
 */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** The only top-level and metadata fields a new claim or composite has. */
const OBJECT_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];
const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations'];

/** Keys PlatformOps sets on what it renders, their values checked below. */
const PRODUCT_LABELS: readonly string[] = [
  PlatformOpsMetadata.ownerLabel,
  PlatformOpsMetadata.managedByLabel,
];
const PRODUCT_ANNOTATIONS: readonly string[] = [
  PlatformOpsMetadata.ownerAnnotation,
  PlatformOpsMetadata.templateAnnotation,
  PlatformOpsMetadata.sourceRepoAnnotation,
  PlatformOpsMetadata.sourcePathAnnotation,
  PlatformOpsMetadata.sourceClusterAnnotation,
];

/**
 * Reads labels or annotations: a map of strings with qualified-name keys
 * (and label values), none of them reserved (see
 * {@link reservedMetadataKeyProblem}); with `productKeys`, the keys
 * PlatformOps sets pass, for {@link checkManifestControlFields} to check
 * their values; a `selector` (labels that select, set on nothing) may name
 * any key. Returns a copy; throws {@link CrossplaneModelError} naming the
 * entry, e.g. `metadata.annotations["crossplane.io/paused"]`.
 */
export function readMetadataMap(
  value: unknown,
  field: string,
  kind: 'label' | 'annotation',
  options: { productKeys?: boolean; selector?: boolean } = {},
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value))
    throw new CrossplaneModelError(field, 'must be a map of strings');
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    const path = joinPath(field, key);
    if (typeof v !== 'string')
      throw new CrossplaneModelError(path, 'must be a string');
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) throw new CrossplaneModelError(path, `key ${keyProblem}`);
    const isProductKey = (
      kind === 'label' ? PRODUCT_LABELS : PRODUCT_ANNOTATIONS
    ).includes(key);
    if (!options.selector && !(options.productKeys && isProductKey)) {
      const reserved = reservedMetadataKeyProblem(key);
      if (reserved) throw new CrossplaneModelError(path, reserved);
    }
    if (kind === 'label') {
      const valueProblem = labelValueProblem(v);
      if (valueProblem) throw new CrossplaneModelError(path, valueProblem);
    }
    setOwn(out, key, v);
  }
  return out;
}

/**
 * Refuses annotations larger in all than the API server takes
 * ({@link MAX_ANNOTATIONS_BYTES}).
 */
export function checkAnnotationsSize(
  annotations: Record<string, string>,
  field: string,
): void {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const key of Object.keys(annotations)) {
    bytes +=
      encoder.encode(key).length + encoder.encode(annotations[key]).length;
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    throw new CrossplaneModelError(
      field,
      `must be at most ${MAX_ANNOTATIONS_BYTES} bytes in all, keys and values (got ${bytes})`,
    );
  }
}

/** Refuses a namespace the policy denies (or that is not a namespace). */
export function checkWritableNamespace(
  namespace: unknown,
  field: string,
  policy: NamespacePolicy,
): void {
  if (typeof namespace !== 'string')
    throw new CrossplaneModelError(field, 'must be a namespace name');
  const problem =
    dns1123LabelProblem(namespace) ?? namespaceWriteProblem(namespace, policy);
  if (problem) throw new CrossplaneModelError(field, problem);
}

/** The values of the labels and annotations PlatformOps sets. */
function checkProductValues(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): void {
  const annotationPath = (key: string) => joinPath('metadata.annotations', key);
  const labelPath = (key: string) => joinPath('metadata.labels', key);
  const owner = annotations[PlatformOpsMetadata.ownerAnnotation];
  if (owner !== undefined)
    parseOwnerRef(owner, annotationPath(PlatformOpsMetadata.ownerAnnotation));
  const ownerLabel = labels[PlatformOpsMetadata.ownerLabel];
  if (
    ownerLabel !== undefined &&
    (owner === undefined || ownerLabel !== toLabelValue(owner))
  ) {
    throw new CrossplaneModelError(
      labelPath(PlatformOpsMetadata.ownerLabel),
      `must be the owner annotation as a label value (${JSON.stringify(
        owner === undefined ? '' : toLabelValue(owner),
      )}): it is set by PlatformOps from \`owner\``,
    );
  }
  const template = annotations[PlatformOpsMetadata.templateAnnotation];
  if (template !== undefined) {
    parseFullEntityRef(
      template,
      annotationPath(PlatformOpsMetadata.templateAnnotation),
      { kinds: ['template'], example: 'template:default/postgresql' },
    );
  }
  for (const key of [
    PlatformOpsMetadata.sourceRepoAnnotation,
    PlatformOpsMetadata.sourcePathAnnotation,
    PlatformOpsMetadata.sourceClusterAnnotation,
  ]) {
    const value = annotations[key];
    if (value !== undefined && (value.trim() === '' || /[\r\n]/.test(value))) {
      throw new CrossplaneModelError(
        annotationPath(key),
        'must be one line, not empty: it is set by PlatformOps for a pull request delivery',
      );
    }
  }
  const managedBy = labels[PlatformOpsMetadata.managedByLabel];
  if (
    managedBy !== undefined &&
    managedBy !== PlatformOpsMetadata.managedByValue
  ) {
    throw new CrossplaneModelError(
      labelPath(PlatformOpsMetadata.managedByLabel),
      `must be ${JSON.stringify(
        PlatformOpsMetadata.managedByValue,
      )}: it is set by PlatformOps`,
    );
  }
}

function onlyKeys(value: unknown, field: string, keys: string[]): void {
  if (!isRecord(value))
    throw new CrossplaneModelError(field, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new CrossplaneModelError(
        joinPath(field, key),
        `is not offered by PlatformOps and ${NOT_FROM_INPUT}`,
      );
    }
  }
}

/** Machinery in the shapes render produces: by name, by labels, a Secret. */
function checkOfferedMachinery(
  spec: Record<string, unknown>,
  base: string,
  field: string,
  policy: NamespacePolicy,
): void {
  const path = joinPath(base, field);
  const value = spec[field];
  if (field === 'compositionRef') {
    onlyKeys(value, path, ['name']);
    if (typeof (value as Record<string, unknown>).name !== 'string')
      throw new CrossplaneModelError(`${path}.name`, 'must be a string');
  } else if (field === 'compositionSelector') {
    onlyKeys(value, path, ['matchLabels']);
    readMetadataMap(
      (value as Record<string, unknown>).matchLabels,
      `${path}.matchLabels`,
      'label',
      { selector: true },
    );
  } else if (field === 'writeConnectionSecretToRef') {
    onlyKeys(value, path, ['name', 'namespace']);
    const ref = value as Record<string, unknown>;
    if (typeof ref.name !== 'string')
      throw new CrossplaneModelError(`${path}.name`, 'must be a string');
    if (ref.namespace !== undefined)
      checkWritableNamespace(ref.namespace, `${path}.namespace`, policy);
  }
}

/**
 * Options of {@link checkManifestControlFields}.
 *
 * @public
 */
export interface ManifestControlFieldOptions {
  /** Default: {@link DEFAULT_NAMESPACE_POLICY}. */
  namespacePolicy?: NamespacePolicy;
  /**
   * The XRD and target, when known: they tell a v2 composite's own
   * top-level spec fields from Crossplane's. Without them every machinery
   * field name is taken for Crossplane's.
   */
  xrd?: Xrd;
  target?: XrdTarget;
  /**
   * Whether the spec is a claim's or composite's, whose Crossplane machinery
   * is checked; false for other kinds (managed resources), whose spec is
   * their own. Default true.
   */
  machinery?: boolean;
}

/**
 * Checks that a claim or composite about to be created sets no control
 * field: only apiVersion, kind, metadata and spec; in metadata only name,
 * namespace (one the namespace policy allows), labels and annotations
 * (none reserved, see {@link reservedMetadataKeyProblem}, except those
 * PlatformOps sets, with valid values; annotations within the API server's
 * size); in the spec, of Crossplane's machinery only what a form offers
 * (composition by name or labels, connection Secret in an allowed
 * namespace). Throws {@link CrossplaneModelError} naming the field and the
 * reason.
 *
 * @public
 */
export function checkManifestControlFields(
  manifest: unknown,
  options: ManifestControlFieldOptions = {},
): void {
  const policy = options.namespacePolicy ?? DEFAULT_NAMESPACE_POLICY;
  if (!isRecord(manifest))
    throw new CrossplaneModelError('', 'the manifest must be an object');
  for (const key of Object.keys(manifest)) {
    if (!OBJECT_FIELDS.includes(key)) {
      throw new CrossplaneModelError(
        joinPath('', key),
        `is not a field of a new claim or composite and ${NOT_FROM_INPUT}`,
      );
    }
  }
  const metadata = manifest.metadata;
  if (!isRecord(metadata))
    throw new CrossplaneModelError('metadata', 'must be an object');
  for (const key of Object.keys(metadata)) {
    if (!METADATA_FIELDS.includes(key)) {
      throw new CrossplaneModelError(
        joinPath('metadata', key),
        `is managed by Kubernetes and its controllers and ${NOT_FROM_INPUT}`,
      );
    }
  }
  if (metadata.namespace !== undefined)
    checkWritableNamespace(metadata.namespace, 'metadata.namespace', policy);
  const labels = readMetadataMap(metadata.labels, 'metadata.labels', 'label', {
    productKeys: true,
  });
  const annotations = readMetadataMap(
    metadata.annotations,
    'metadata.annotations',
    'annotation',
    { productKeys: true },
  );
  checkAnnotationsSize(annotations, 'metadata.annotations');
  checkProductValues(labels, annotations);

  const spec = manifest.spec;
  if (spec === undefined || options.machinery === false) return;
  if (!isRecord(spec))
    throw new CrossplaneModelError('spec', 'must be an object');
  const { xrd, target } = options;
  const fields =
    xrd && target ? crossplaneSpecFields(xrd, target) : CROSSPLANE_SPEC_FIELDS;
  for (const field of fields.filter(f => hasOwn(spec, f))) {
    if (field === 'crossplane') {
      onlyKeys(spec.crossplane, 'spec.crossplane', [
        'compositionRef',
        'compositionSelector',
      ]);
      for (const key of Object.keys(spec.crossplane as object)) {
        checkOfferedMachinery(
          spec.crossplane as Record<string, unknown>,
          'spec.crossplane',
          key,
          policy,
        );
      }
    } else if (hasOwn(OFFERED_MACHINERY, field)) {
      checkOfferedMachinery(spec, 'spec', field, policy);
    } else {
      throw new CrossplaneModelError(
        joinPath('spec', field),
        crossplaneSpecFieldReason(field),
      );
    }
  }
}
