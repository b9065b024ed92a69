import { getCondition } from './crossplane';
import { KubernetesObject } from './types';
import { isRecord, splitApiVersion } from './util';

/**
 * A Crossplane package (Provider, Function or Configuration) as the portal
 * shows it.
 *
 * @public
 */
export interface PackageInfo {
  kind: 'Provider' | 'Function' | 'Configuration';
  name: string;
  /** The OCI reference from `spec.package`, e.g. `xpkg.upbound.io/upbound/provider-aws-rds:v1.21.0`. */
  package?: string;
  /** The tag or digest of `spec.package` (or of the installed identifier). */
  version?: string;
  /** `status.currentRevision`: the active package revision. */
  currentRevision?: string;
  /** `Installed` condition is True. */
  installed: boolean;
  /** `Healthy` condition is True. */
  healthy: boolean;
  revisionActivationPolicy?: 'Automatic' | 'Manual';
  /** `spec.runtimeConfigRef.name` (DeploymentRuntimeConfig). */
  runtimeConfig?: string;
}

const PACKAGE_KINDS = new Set(['Provider', 'Function', 'Configuration']);

function versionOf(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(at + 1);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : undefined;
}

/**
 * Reads a Provider, Function or Configuration (`pkg.crossplane.io`);
 * undefined for any other object.
 *
 * @public
 */
export function packageInfo(obj: KubernetesObject): PackageInfo | undefined {
  if (
    !isRecord(obj) ||
    !isRecord(obj.metadata) ||
    typeof obj.metadata.name !== 'string'
  ) {
    return undefined;
  }
  if (splitApiVersion(obj.apiVersion).group !== 'pkg.crossplane.io')
    return undefined;
  if (!PACKAGE_KINDS.has(obj.kind)) return undefined;
  const spec: Record<string, any> = isRecord(obj.spec) ? obj.spec : {};
  const status: Record<string, any> = isRecord(obj.status) ? obj.status : {};
  const pkg = typeof spec.package === 'string' ? spec.package : undefined;
  const identifier =
    typeof status.currentIdentifier === 'string'
      ? status.currentIdentifier
      : undefined;
  const info: PackageInfo = {
    kind: obj.kind as PackageInfo['kind'],
    name: obj.metadata.name,
    installed: getCondition(obj, 'Installed')?.status === 'True',
    healthy: getCondition(obj, 'Healthy')?.status === 'True',
  };
  if (pkg) info.package = pkg;
  const version = versionOf(pkg) ?? versionOf(identifier);
  if (version) info.version = version;
  if (typeof status.currentRevision === 'string')
    info.currentRevision = status.currentRevision;
  if (
    spec.revisionActivationPolicy === 'Automatic' ||
    spec.revisionActivationPolicy === 'Manual'
  ) {
    info.revisionActivationPolicy = spec.revisionActivationPolicy;
  }
  if (
    isRecord(spec.runtimeConfigRef) &&
    typeof spec.runtimeConfigRef.name === 'string'
  ) {
    info.runtimeConfig = spec.runtimeConfigRef.name;
  }
  return info;
}
