import {
  CrossplaneLabels,
  EntityMappingContext,
  getCompositeRef,
  getResourceRefs,
  KubernetesObject,
  ObjectClass,
  ObjectRef,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';

/**
 * The kinds Backstage's Kubernetes tab lists (the portal's
 * `kubernetes.objectTypes`, Backstage's defaults without ConfigMaps, which
 * the portal's role does not read), by API group.
 */
const KUBERNETES_TAB_KINDS: Record<string, readonly string[]> = {
  '': ['Pod', 'Service', 'LimitRange', 'ResourceQuota'],
  apps: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  autoscaling: ['HorizontalPodAutoscaler'],
  batch: ['Job', 'CronJob'],
  'networking.k8s.io': ['Ingress'],
};

const listedByTab = (ref: ObjectRef) =>
  KUBERNETES_TAB_KINDS[splitApiVersion(ref.apiVersion).group]?.includes(
    ref.kind,
  ) ?? false;

/**
 * The annotations of Backstage's Kubernetes plugin for an object's entity,
 * which offer the entity's Kubernetes tab: none where the tab could only be
 * empty. A workload's tab shows what its selector selects. A claim's or
 * composite's shows the workloads its composite composes, which Crossplane
 * labels with the claim and the composite; most compose only managed
 * resources, shown on the Crossplane tab, and get no Kubernetes tab. The
 * cluster (`backstage.io/kubernetes-cluster`) keeps the tab to the object's
 * own cluster, where the same labels elsewhere mean other objects.
 */
export function kubernetesAnnotations(
  object: KubernetesObject,
  objectClass: ObjectClass,
  context: Pick<EntityMappingContext, 'cluster' | 'find'>,
): Record<string, string> {
  const { name, namespace } = object.metadata;
  let selector: string | undefined;
  let where = namespace;
  if (objectClass === 'workload') {
    selector = workloadSelector(object);
  } else if (objectClass === 'claim' || objectClass === 'composite') {
    const composite =
      objectClass === 'claim' ? compositeOf(object, context) : object;
    const workloads = composite
      ? getResourceRefs(composite).filter(listedByTab)
      : [];
    if (workloads.length === 0) return {};
    selector =
      objectClass === 'claim' && namespace
        ? `${CrossplaneLabels.claimName}=${name},${CrossplaneLabels.claimNamespace}=${namespace}`
        : `${CrossplaneLabels.composite}=${name}`;
    // Composed workloads may live elsewhere than a claim: their namespace
    // when they share one, else every namespace.
    const namespaces = new Set(workloads.map(ref => ref.namespace));
    where = namespaces.size === 1 ? [...namespaces][0] : undefined;
  }
  if (!selector) return {};
  const result: Record<string, string> = {
    'backstage.io/kubernetes-label-selector': selector,
    'backstage.io/kubernetes-cluster': context.cluster,
  };
  if (where) result['backstage.io/kubernetes-namespace'] = where;
  return result;
}

function compositeOf(
  claim: KubernetesObject,
  context: Pick<EntityMappingContext, 'find'>,
): KubernetesObject | undefined {
  const ref = getCompositeRef(claim);
  return ref ? context.find(ref) : undefined;
}

function workloadSelector(object: KubernetesObject): string | undefined {
  const matchLabels = (
    object.spec as
      | { selector?: { matchLabels?: Record<string, string> } }
      | undefined
  )?.selector?.matchLabels;
  if (!matchLabels || Object.keys(matchLabels).length === 0) return undefined;
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
