import { CrossplaneModelError } from '../model/errors';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  toLabelValue,
} from '../model/names';
import { KubernetesObject } from '../model/types';
import { isRecord, setOwn } from '../model/util';
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
import { parseFullEntityRef, parseOwnerRef } from '../policy/entityRefs';
import {
  checkAnnotationsSize,
  checkManifestControlFields,
  checkWritableNamespace,
  readMetadataMap,
} from '../policy/manifestControlFields';
import {
  DEFAULT_NAMESPACE_POLICY,
  NamespacePolicy,
} from '../policy/namespaces';
import { specControlFieldProblem } from '../policy/specFields';
import { PlatformOpsMetadata } from './platformOpsMetadata';
import { prepareValue } from './prepareValues';
import { toYaml } from './yaml';

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
  /** Labels of the object; keys Crossplane, Kubernetes or PlatformOps set are refused. */
  labels?: Record<string, string>;
  /** Annotations of the object; reserved keys as for labels. */
  annotations?: Record<string, string>;
  /**
   * The Git repository and file a pull request delivers the object from,
   * recorded on it so that its later edits and its deletion go there too.
   */
  source?: { repoUrl: string; path: string; cluster: string };
  /**
   * Namespaces that may receive the object (and its connection Secret).
   * Default: {@link DEFAULT_NAMESPACE_POLICY}.
   */
  namespacePolicy?: NamespacePolicy;
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
 * Refuses spec values that would set Crossplane's machinery: it comes only
 * through the inputs a form offers for it.
 */
function checkSpecValues(
  values: Record<string, unknown>,
  xrd: Xrd,
  target: XrdTarget,
): void {
  for (const field of Object.keys(values)) {
    const problem = specControlFieldProblem(field, xrd, target);
    if (problem) throw new CrossplaneModelError(`spec.${field}`, problem);
  }
}

/** Crossplane's machinery from the inputs that set it, as the form offers it. */
function machineryOf(
  input: RenderManifestInput,
  xrd: Xrd,
  target: XrdTarget,
  policy: NamespacePolicy,
): Record<string, unknown> {
  const machinery: Record<string, unknown> = {};
  const enforced = xrd.enforcedCompositionRef?.name;
  if (input.compositionRef) {
    if (typeof input.compositionRef !== 'string') {
      throw new CrossplaneModelError(
        'compositionRef',
        'must be a Composition name',
      );
    }
    if (enforced && input.compositionRef !== enforced) {
      throw new CrossplaneModelError(
        'compositionRef',
        `must be ${JSON.stringify(enforced)}: ${xrd.name} enforces it`,
      );
    }
    machinery.compositionRef = { name: input.compositionRef };
  }
  if (
    input.compositionSelector !== undefined &&
    input.compositionSelector !== null
  ) {
    const matchLabels = sorted(
      readMetadataMap(
        input.compositionSelector,
        'compositionSelector',
        'label',
        { selector: true },
      ),
    );
    if (matchLabels && enforced) {
      throw new CrossplaneModelError(
        'compositionSelector',
        `is not offered: ${xrd.name} enforces the composition ${JSON.stringify(
          enforced,
        )}`,
      );
    }
    if (matchLabels) machinery.compositionSelector = { matchLabels };
  }
  if (input.writeConnectionSecretToRef) {
    const ref = input.writeConnectionSecretToRef;
    if (!isRecord(ref) || typeof ref.name !== 'string' || !ref.name) {
      throw new CrossplaneModelError(
        'writeConnectionSecretToRef.name',
        'is required',
      );
    }
    const nameProblem = dns1123SubdomainProblem(ref.name);
    if (nameProblem) {
      throw new CrossplaneModelError(
        'writeConnectionSecretToRef.name',
        nameProblem,
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
      checkWritableNamespace(
        ref.namespace,
        'writeConnectionSecretToRef.namespace',
        policy,
      );
      machinery.writeConnectionSecretToRef = {
        name: ref.name,
        namespace: ref.namespace,
      };
    }
  }
  return machinery;
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
 * Input never sets a control field: labels and annotations of Crossplane,
 * Kubernetes, PlatformOps, Argo CD or Flux, or naming an external resource;
 * Crossplane's machinery as spec values; a namespace the namespace policy
 * denies (see {@link checkManifestControlFields}, which checks the result).
 * The owner must be a user or group entity ref.
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
  const policy = input.namespacePolicy ?? DEFAULT_NAMESPACE_POLICY;
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
    checkWritableNamespace(input.namespace, 'namespace', policy);
    metadata.namespace = input.namespace;
  }

  const labels = readMetadataMap(input.labels, 'metadata.labels', 'label');
  const annotations = readMetadataMap(
    input.annotations,
    'metadata.annotations',
    'annotation',
  );
  labels[PlatformOpsMetadata.managedByLabel] =
    PlatformOpsMetadata.managedByValue;
  if (input.owner !== undefined && input.owner !== null && input.owner !== '') {
    const owner = parseOwnerRef(input.owner);
    annotations[PlatformOpsMetadata.ownerAnnotation] = owner;
    labels[PlatformOpsMetadata.ownerLabel] = toLabelValue(owner);
  }
  if (input.templateEntityRef) {
    annotations[PlatformOpsMetadata.templateAnnotation] = parseFullEntityRef(
      input.templateEntityRef,
      'templateEntityRef',
      { kinds: ['template'], example: 'template:default/postgresql' },
    );
  }
  if (input.source) {
    // Their values are checked with the manifest's other product keys.
    annotations[PlatformOpsMetadata.sourceRepoAnnotation] =
      input.source.repoUrl;
    annotations[PlatformOpsMetadata.sourcePathAnnotation] = input.source.path;
    annotations[PlatformOpsMetadata.sourceClusterAnnotation] =
      input.source.cluster;
  }
  checkAnnotationsSize(annotations, 'metadata.annotations');
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
  checkSpecValues(input.values ?? {}, xrd, target);
  const specSchema = version.schema?.properties?.spec;
  const spec = (prepareValue(input.values ?? {}, specSchema, 'spec') ??
    {}) as Record<string, unknown>;

  const machinery = machineryOf(input, xrd, target, policy);
  if (Object.keys(machinery).length > 0) {
    if (target === 'composite' && usesCrossplaneSpecField(xrd)) {
      spec.crossplane = machinery;
    } else {
      Object.assign(spec, machinery);
    }
  }

  const manifest: KubernetesObject = { apiVersion, kind, metadata, spec };
  checkManifestControlFields(manifest, {
    namespacePolicy: policy,
    xrd,
    target,
  });
  return { manifest, yaml: toYaml(manifest) };
}
