import { CrossplaneModelError } from './errors';
import { KubernetesObject } from './types';
import { asArray, isRecord, splitApiVersion } from './util';

/**
 * A normalised Composition: which composite type it composes and how
 * (`Resources`, Crossplane v1's patch-and-transform, or `Pipeline` of
 * functions).
 *
 * @public
 */
export interface Composition {
  name: string;
  compositeTypeRef: { apiVersion: string; kind: string };
  mode: 'Resources' | 'Pipeline';
  /** `Resources` mode: the names of the composed resource templates. */
  resources?: { name?: string; apiVersion?: string; kind?: string }[];
  /** `Pipeline` mode: the steps and their functions. */
  pipeline?: { step: string; functionRef: string }[];
  writeConnectionSecretsToNamespace?: string;
  labels?: Record<string, string>;
}

/**
 * Parses a Composition or CompositionRevision (`apiextensions.crossplane.io/v1`).
 *
 * @public
 */
export function parseComposition(obj: unknown): Composition {
  if (!isRecord(obj))
    throw new CrossplaneModelError('', 'a Composition must be an object');
  const { group } = splitApiVersion(
    typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
  );
  if (
    group !== 'apiextensions.crossplane.io' ||
    (obj.kind !== 'Composition' && obj.kind !== 'CompositionRevision')
  ) {
    throw new CrossplaneModelError(
      'kind',
      'must be an apiextensions.crossplane.io Composition',
    );
  }
  if (!isRecord(obj.metadata) || typeof obj.metadata.name !== 'string') {
    throw new CrossplaneModelError('metadata.name', 'is required');
  }
  const spec = obj.spec;
  if (!isRecord(spec)) throw new CrossplaneModelError('spec', 'is required');
  const ref = spec.compositeTypeRef;
  if (
    !isRecord(ref) ||
    typeof ref.apiVersion !== 'string' ||
    typeof ref.kind !== 'string'
  ) {
    throw new CrossplaneModelError(
      'spec.compositeTypeRef',
      'must name an apiVersion and kind',
    );
  }
  const rawMode = spec.mode ?? (spec.pipeline ? 'Pipeline' : 'Resources');
  if (rawMode !== 'Resources' && rawMode !== 'Pipeline') {
    throw new CrossplaneModelError(
      'spec.mode',
      'must be Resources or Pipeline',
    );
  }
  const composition: Composition = {
    name: obj.metadata.name,
    compositeTypeRef: { apiVersion: ref.apiVersion, kind: ref.kind },
    mode: rawMode,
  };
  if (rawMode === 'Resources') {
    composition.resources = asArray(spec.resources)
      .filter(isRecord)
      .map(r => {
        const base = isRecord(r.base) ? r.base : {};
        const out: { name?: string; apiVersion?: string; kind?: string } = {};
        if (typeof r.name === 'string') out.name = r.name;
        if (typeof base.apiVersion === 'string')
          out.apiVersion = base.apiVersion;
        if (typeof base.kind === 'string') out.kind = base.kind;
        return out;
      });
  } else {
    if (!Array.isArray(spec.pipeline) || spec.pipeline.length === 0) {
      throw new CrossplaneModelError(
        'spec.pipeline',
        'Pipeline mode needs at least one step',
      );
    }
    composition.pipeline = spec.pipeline.map((s: unknown, i: number) => {
      if (
        !isRecord(s) ||
        typeof s.step !== 'string' ||
        !isRecord(s.functionRef) ||
        typeof s.functionRef.name !== 'string'
      ) {
        throw new CrossplaneModelError(
          `spec.pipeline[${i}]`,
          'must have a step name and a functionRef.name',
        );
      }
      return { step: s.step, functionRef: s.functionRef.name };
    });
  }
  if (typeof spec.writeConnectionSecretsToNamespace === 'string') {
    composition.writeConnectionSecretsToNamespace =
      spec.writeConnectionSecretsToNamespace;
  }
  if (isRecord(obj.metadata.labels)) {
    composition.labels = { ...obj.metadata.labels } as Record<string, string>;
  }
  return composition;
}

/**
 * Whether a Composition composes the given composite type (group and kind;
 * any version of the XRD).
 *
 * @public
 */
export function compositionMatches(
  composition: Composition,
  composite: Pick<KubernetesObject, 'apiVersion' | 'kind'>,
): boolean {
  return (
    composition.compositeTypeRef.kind === composite.kind &&
    splitApiVersion(composition.compositeTypeRef.apiVersion).group ===
      splitApiVersion(composite.apiVersion).group
  );
}
