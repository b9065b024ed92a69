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
