import { CrossplaneModelError } from '../model/errors';
import { DNS1123_LABEL } from '../model/names';
import { quoted } from './entityRefs';

/**
 * Which namespaces may receive resources from the portal: a namespace must
 * match no `deny` pattern and, when `allow` is set, one `allow` pattern.
 * Patterns are exact names or prefixes ending in `*` (`team-*`; `*` alone
 * matches every namespace). Build one with {@link createNamespacePolicy}.
 *
 * @public
 */
export interface NamespacePolicy {
  readonly allow?: readonly string[];
  readonly deny: readonly string[];
}

/**
 * Namespaces denied unless configured otherwise: Kubernetes' own, Crossplane's
 * (its providers' credentials live there) and `default`, which belongs to no
 * team.
 *
 * @public
 */
export const DEFAULT_DENIED_NAMESPACES: readonly string[] = [
  'kube-*',
  'crossplane-system',
  'default',
];

/**
 * The policy without configuration: {@link DEFAULT_DENIED_NAMESPACES}
 * denied, every other namespace allowed.
 *
 * @public
 */
export const DEFAULT_NAMESPACE_POLICY: NamespacePolicy = {
  deny: DEFAULT_DENIED_NAMESPACES,
};

/** A namespace, or a prefix of one ending in '*'. */
const isPattern = (value: string) =>
  DNS1123_LABEL.test(value) || /^[a-z0-9-]*\*$/.test(value);

function checkPatterns(
  patterns: unknown,
  field: string,
): readonly string[] | undefined {
  if (patterns === undefined) return undefined;
  if (!Array.isArray(patterns))
    throw new CrossplaneModelError(field, 'must be a list of namespaces');
  patterns.forEach((pattern, i) => {
    if (
      typeof pattern !== 'string' ||
      pattern.length > 64 ||
      !isPattern(pattern)
    ) {
      throw new CrossplaneModelError(
        `${field}[${i}]`,
        `must be a namespace or a prefix ending in '*', e.g. team-* (got ${
          typeof pattern === 'string' ? quoted(pattern) : typeof pattern
        })`,
      );
    }
  });
  return [...patterns];
}

/**
 * A namespace policy from configuration; `deny`, when given, replaces
 * {@link DEFAULT_DENIED_NAMESPACES}. Throws {@link CrossplaneModelError}
 * naming the pattern that is not one (`deny[1]`).
 *
 * @public
 */
export function createNamespacePolicy(options: {
  allow?: readonly string[];
  deny?: readonly string[];
}): NamespacePolicy {
  const allow = checkPatterns(options.allow, 'allow');
  const deny = checkPatterns(options.deny, 'deny') ?? DEFAULT_DENIED_NAMESPACES;
  return allow ? { allow, deny } : { deny };
}

function matches(pattern: string, namespace: string): boolean {
  return pattern.endsWith('*')
    ? namespace.startsWith(pattern.slice(0, -1))
    : namespace === pattern;
}

/**
 * Why a namespace may not receive resources under a policy, or undefined
 * when it may.
 *
 * @public
 */
export function namespaceWriteProblem(
  namespace: string,
  policy: NamespacePolicy = DEFAULT_NAMESPACE_POLICY,
): string | undefined {
  const denied = policy.deny.find(p => matches(p, namespace));
  if (denied !== undefined) {
    return `${quoted(
      namespace,
    )} may not receive resources from the portal: it matches ${quoted(
      denied,
    )} of the namespace policy's deny list`;
  }
  if (policy.allow && !policy.allow.some(p => matches(p, namespace))) {
    return `${quoted(
      namespace,
    )} may not receive resources from the portal: it matches nothing in the namespace policy's allow list (${
      policy.allow.map(p => quoted(p)).join(', ') || 'empty'
    })`;
  }
  return undefined;
}

/**
 * Whether a namespace may receive resources under a policy.
 *
 * @public
 */
export function isNamespaceWritable(
  namespace: string,
  policy: NamespacePolicy = DEFAULT_NAMESPACE_POLICY,
): boolean {
  return namespaceWriteProblem(namespace, policy) === undefined;
}
