import { PlatformOpsMetadata } from '../render/platformOpsMetadata';

/** What template input may not set: the end of every refusal. */
export const NOT_FROM_INPUT = 'cannot be set from template input';

/**
 * Domains whose labels and annotations (the domain or a subdomain of it)
 * only their controller sets. Argo CD's and Flux's would make a portal-made
 * object look delivered from Git, so that the GitOps controller adopts,
 * reports or prunes it.
 */
const RESERVED_DOMAINS: ReadonlyArray<{ domain: string; reason: string }> = [
  { domain: 'crossplane.io', reason: 'is set by Crossplane' },
  { domain: 'kubernetes.io', reason: 'is reserved for Kubernetes' },
  { domain: 'k8s.io', reason: 'is reserved for Kubernetes' },
  { domain: 'platformops.io', reason: 'is set by PlatformOps' },
  {
    domain: 'argoproj.io',
    reason:
      'is set by Argo CD on what it delivers from Git (it would make the object look GitOps-delivered)',
  },
  {
    domain: 'fluxcd.io',
    reason:
      'is set by Flux on what it delivers from Git (it would make the object look GitOps-delivered)',
  },
];

/**
 * Kubernetes' recommended labels, meant to be set by whoever creates an
 * object (`app.kubernetes.io/managed-by` excepted: PlatformOps sets it).
 */
const RECOMMENDED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
];

/** Crossplane's, and any controller's, "adopt this existing resource". */
const EXTERNAL_NAME = /external[-_.]?name/i;

/** Keys PlatformOps sets itself, and from what. */
const PRODUCT_KEYS: Record<string, string> = {
  [PlatformOpsMetadata.ownerAnnotation]: 'is set by PlatformOps from `owner`',
  [PlatformOpsMetadata.templateAnnotation]:
    'is set by PlatformOps from the template run',
  [PlatformOpsMetadata.managedByLabel]: 'is set by PlatformOps',
};

/**
 * Why template input may not set a label or annotation key, or undefined
 * when it may: keys of Crossplane, Kubernetes (except its recommended
 * `app.kubernetes.io/*` labels), PlatformOps, Argo CD and Flux, and any key
 * that names an external resource to adopt.
 *
 * @public
 */
export function reservedMetadataKeyProblem(key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(PRODUCT_KEYS, key))
    return `${PRODUCT_KEYS[key]} and ${NOT_FROM_INPUT}`;
  const slash = key.indexOf('/');
  const domain = slash >= 0 ? key.slice(0, slash).toLowerCase() : '';
  if (!RECOMMENDED_LABELS.includes(key)) {
    const reserved = RESERVED_DOMAINS.find(
      r => domain === r.domain || domain.endsWith(`.${r.domain}`),
    );
    if (reserved) return `${reserved.reason} and ${NOT_FROM_INPUT}`;
  }
  if (EXTERNAL_NAME.test(key)) {
    return `would make a controller adopt an existing external resource, possibly another team's, and ${NOT_FROM_INPUT}`;
  }
  return undefined;
}
