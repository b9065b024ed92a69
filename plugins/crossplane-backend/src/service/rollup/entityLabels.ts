import type { Entity } from '@backstage/catalog-model';
import {
  type KubernetesObject,
  type LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@platformops/plugin-crossplane-common';

/**
 * The label (and annotation) of Backstage's Kubernetes plugin that ties
 * cluster objects to a catalog entity.
 */
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** The Kubernetes plugin's annotation that narrows an entity to one namespace. */
export const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/** The Kubernetes plugin's annotation that selects an entity's objects by label. */
export const KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/**
 * Which cluster objects belong to an entity, by the Kubernetes plugin's
 * conventions: those labelled `backstage.io/kubernetes-id` with the value
 * of the entity's annotation, or else those its
 * `backstage.io/kubernetes-label-selector` selects (as the catalog module
 * sets on the entities of workloads and claims), in the entity's
 * `backstage.io/kubernetes-namespace` when it has one. Undefined for an
 * entity with neither annotation (or an empty or unreadable selector): it
 * runs nothing in a cluster.
 */
export function kubernetesObjectsOf(
  entity: Entity,
): ((object: KubernetesObject) => boolean) | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[KUBERNETES_NAMESPACE];
  const inNamespace = (object: KubernetesObject) =>
    !namespace || object.metadata.namespace === namespace;
  const id = annotations[KUBERNETES_ID];
  if (id) {
    return object =>
      object.metadata.labels?.[KUBERNETES_ID] === id && inNamespace(object);
  }
  let selector: LabelRequirement[];
  try {
    selector = parseLabelSelector(annotations[KUBERNETES_LABEL_SELECTOR] ?? '');
  } catch {
    return undefined;
  }
  if (selector.length === 0) return undefined;
  return object =>
    matchesLabelSelector(object.metadata.labels, selector) &&
    inNamespace(object);
}

/**
 * Whether a pod is one of a workload's: same namespace, and every label of
 * the workload's `spec.selector.matchLabels` (a selector without them
 * selects nothing here).
 */
export function selectsPod(
  workload: KubernetesObject,
  pod: KubernetesObject,
): boolean {
  const matchLabels = (
    workload.spec as
      | { selector?: { matchLabels?: Record<string, string> } }
      | undefined
  )?.selector?.matchLabels;
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  if (pod.metadata.namespace !== workload.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}
