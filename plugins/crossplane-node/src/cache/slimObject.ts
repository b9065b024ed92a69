import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops what nothing in PlatformOps reads and what costs the most memory:
 * `metadata.managedFields` and kubectl's last-applied annotation (a full copy
 * of the object, which may hold values the user never meant to show).
 */
export function slimObject(object: KubernetesObject): KubernetesObject {
  const { managedFields: _managedFields, ...metadata } =
    object.metadata as KubernetesObject['metadata'] & {
      managedFields?: unknown;
    };
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } =
      metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...object, metadata };
}

type CrdSpec = {
  group?: unknown;
  names?: unknown;
  scope?: unknown;
  versions?: { name?: unknown; served?: unknown; storage?: unknown }[];
};

/**
 * A CRD as the cache needs it: which kind it defines, in which versions, and
 * whether it is established. Its schemas, the bulk of a provider's CRDs,
 * are left out.
 */
export function slimCrd(crd: KubernetesObject): KubernetesObject {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const { name, uid, resourceVersion, generation } = crd.metadata;
  return {
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: { name, uid, resourceVersion, generation },
    spec: {
      group: spec.group,
      names: spec.names,
      scope: spec.scope,
      versions: (spec.versions ?? []).map(v => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
      })),
    },
    status: {
      conditions: (crd.status as { conditions?: unknown } | undefined)
        ?.conditions,
    },
  };
}

type PodSpec = {
  nodeName?: unknown;
  containers?: { name?: unknown }[];
  initContainers?: { name?: unknown }[];
};

/**
 * A Pod as its service's roll-up needs it: where it runs, its containers'
 * names and its status. Its spec's bulk (environment values, volumes,
 * commands), which may hold values the user never meant to show and which
 * a cluster has many copies of, is left out.
 */
export function slimPod(pod: KubernetesObject): KubernetesObject {
  const slim = slimObject(pod);
  const spec = (pod.spec ?? {}) as PodSpec;
  const names = (containers: PodSpec['containers']) =>
    containers?.map(c => ({ name: c.name }));
  return {
    ...slim,
    spec: {
      nodeName: spec.nodeName,
      containers: names(spec.containers) ?? [],
      ...(spec.initContainers
        ? { initContainers: names(spec.initContainers) }
        : {}),
    },
  };
}
