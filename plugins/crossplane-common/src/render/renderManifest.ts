import { CrossplaneModelError } from '../model/errors';
import {
  dns1123LabelProblem,
  labelValueProblem,
  qualifiedNameProblem,
  toLabelValue,
} from '../model/names';
import { KubernetesObject } from '../model/types';
import { isRecord, joinPath, setOwn } from '../model/util';
import {
  Xrd,
  XrdTarget,
  isNamespacedTarget,
  resolveXrdTarget,
  resolveXrdVersion,
  targetTypeMeta,
  usesCrossplaneSpecField,
} from '../model/xrd';
import { supportsConnectionSecret } from '../form/crossplaneFields';
import { prepareValue } from './prepareValues';
import { toYaml } from './yaml';

/**
 * Labels and annotations PlatformOps puts on what it renders.
 *
 * @public
 */
export const PlatformOpsMetadata = {
  /** Annotation: the owner's entity ref, e.g. `group:default/team-a`. */
  ownerAnnotation: 'platformops.io/owner',
  /** Label: the owner's entity ref as a label value, e.g. `group.default.team-a`. */
  ownerLabel: 'platformops.io/owner',
  /** Annotation: the entity ref of the template that created the object. */
  templateAnnotation: 'platformops.io/template',
  /** Label: marks objects created through the portal. */
  managedByLabel: 'app.kubernetes.io/managed-by',
  managedByValue: 'platformops',
} as const;

/**
 * Input of {@link renderManifest}.
 *
 * @public
 */
export interface RenderManifestInput {
  xrd: Xrd;
  /** XRD version; defaults to the referenceable one. */
  version?: string;
  /** Claim or composite; defaults to a claim when the XRD offers one. */
  target?: XrdTarget;
  name: string;
  /** Required for claims and Namespaced composites; ignored otherwise. */
  namespace?: string;
  /** The spec values, as the form produced them. */
  values: Record<string, unknown>;
  /** Entity ref of the owner, e.g. `group:default/team-a`. */
  owner?: string;
  /** Entity ref of the template run's template. */
  templateEntityRef?: string;
  compositionRef?: string;
  compositionSelector?: Record<string, string>;
  /** Name (and, for v1 composites, namespace) of the connection Secret. */
  writeConnectionSecretToRef?: { name: string; namespace?: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Output of {@link renderManifest}.
 *
 * @public
 */
export interface RenderedManifest {
  manifest: KubernetesObject;
  yaml: string;
}

function stringMap(
  value: unknown,
  field: string,
  check: 'label' | 'annotation',
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
    if (check === 'label') {
      const valueProblem = labelValueProblem(v);
      if (valueProblem) throw new CrossplaneModelError(path, valueProblem);
    }
    setOwn(out, key, v);
  }
  return out;
}

function sorted(
  map: Record<string, string>,
): Record<string, string> | undefined {
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const k of keys) setOwn(out, k, map[k]);
  return out;
}

/**
 * Renders the manifest of a claim or composite from form values: apiVersion
 * and kind from the XRD and target; name and namespace; labels and
 * annotations (owner, template); the spec, with values prepared against the
 * schema and empty ones dropped; the composition by reference or selector,
 * where Crossplane expects it (`spec.compositionRef` for claims and v1 /
 * LegacyCluster composites, `spec.crossplane.compositionRef` for v2
 * composites). The YAML is deterministic: same input, same bytes.
 *
 * Throws {@link CrossplaneModelError} on input that cannot make a manifest;
 * schema constraints are checked by {@link validateManifest}.
 *
 * @public
 */
export function renderManifest(input: RenderManifestInput): RenderedManifest {
  if (!isRecord(input))
    throw new CrossplaneModelError('', 'input must be an object');
  const { xrd } = input;
  if (!isRecord(xrd) || !Array.isArray(xrd.versions)) {
    throw new CrossplaneModelError(
      'xrd',
      'must be a parsed XRD (see parseXrd)',
    );
  }
  const target = resolveXrdTarget(xrd, input.target);
  const version = resolveXrdVersion(xrd, input.version);
  const { apiVersion, kind } = targetTypeMeta(xrd, target, version.name);

  if (typeof input.name !== 'string')
    throw new CrossplaneModelError('name', 'is required');
  const nameProblem = dns1123LabelProblem(input.name);
  if (nameProblem) throw new CrossplaneModelError('name', nameProblem);

  const metadata: KubernetesObject['metadata'] = { name: input.name };
  if (isNamespacedTarget(xrd, target)) {
    if (typeof input.namespace !== 'string' || !input.namespace) {
      throw new CrossplaneModelError(
        'namespace',
        `is required: a ${kind} is namespaced`,
      );
    }
    const nsProblem = dns1123LabelProblem(input.namespace);
    if (nsProblem) throw new CrossplaneModelError('namespace', nsProblem);
    metadata.namespace = input.namespace;
  }

  const labels = stringMap(input.labels, 'labels', 'label');
  const annotations = stringMap(input.annotations, 'annotations', 'annotation');
  labels[PlatformOpsMetadata.managedByLabel] =
    PlatformOpsMetadata.managedByValue;
  if (input.owner !== undefined && input.owner !== null && input.owner !== '') {
    if (typeof input.owner !== 'string')
      throw new CrossplaneModelError('owner', 'must be an entity ref');
    const owner = input.owner.trim();
    annotations[PlatformOpsMetadata.ownerAnnotation] = owner;
    const labelValue = toLabelValue(owner);
    if (labelValue) labels[PlatformOpsMetadata.ownerLabel] = labelValue;
  }
  if (input.templateEntityRef) {
    if (typeof input.templateEntityRef !== 'string') {
      throw new CrossplaneModelError(
        'templateEntityRef',
        'must be an entity ref',
      );
    }
    annotations[PlatformOpsMetadata.templateAnnotation] =
      input.templateEntityRef.trim();
  }
  const sortedLabels = sorted(labels);
  const sortedAnnotations = sorted(annotations);
  if (sortedLabels) metadata.labels = sortedLabels;
  if (sortedAnnotations) metadata.annotations = sortedAnnotations;

  if (
    input.values !== undefined &&
    input.values !== null &&
    !isRecord(input.values)
  ) {
    throw new CrossplaneModelError(
      'values',
      'must be an object of spec values',
    );
  }
  const specSchema = version.schema?.properties?.spec;
  const spec = (prepareValue(input.values ?? {}, specSchema, 'spec') ??
    {}) as Record<string, unknown>;

  const machinery: Record<string, unknown> = {};
  if (input.compositionRef) {
    if (typeof input.compositionRef !== 'string') {
      throw new CrossplaneModelError(
        'compositionRef',
        'must be a Composition name',
      );
    }
    machinery.compositionRef = { name: input.compositionRef };
  }
  if (
    input.compositionSelector !== undefined &&
    input.compositionSelector !== null
  ) {
    const matchLabels = stringMap(
      input.compositionSelector,
      'compositionSelector',
      'label',
    );
    const sortedMatch = sorted(matchLabels);
    if (sortedMatch)
      machinery.compositionSelector = { matchLabels: sortedMatch };
  }
  if (input.writeConnectionSecretToRef) {
    const ref = input.writeConnectionSecretToRef;
    if (!isRecord(ref) || typeof ref.name !== 'string' || !ref.name) {
      throw new CrossplaneModelError(
        'writeConnectionSecretToRef.name',
        'is required',
      );
    }
    if (!supportsConnectionSecret(xrd, target)) {
      throw new CrossplaneModelError(
        'writeConnectionSecretToRef',
        `a ${xrd.scope} composite has no connection secret; compose a Secret instead`,
      );
    }
    if (target === 'claim') {
      machinery.writeConnectionSecretToRef = { name: ref.name };
    } else {
      if (typeof ref.namespace !== 'string' || !ref.namespace) {
        throw new CrossplaneModelError(
          'writeConnectionSecretToRef.namespace',
          'is required for a cluster-scoped composite',
        );
      }
      machinery.writeConnectionSecretToRef = {
        name: ref.name,
        namespace: ref.namespace,
      };
    }
  }
  if (Object.keys(machinery).length > 0) {
    if (target === 'composite' && usesCrossplaneSpecField(xrd)) {
      const existing = isRecord(spec.crossplane) ? spec.crossplane : {};
      spec.crossplane = { ...existing, ...machinery };
    } else {
      Object.assign(spec, machinery);
    }
  }

  const manifest: KubernetesObject = { apiVersion, kind, metadata, spec };
  return { manifest, yaml: toYaml(manifest) };
}
