import { Config } from '@backstage/config';
import {
  createNamespacePolicy,
  isCrossplaneModelError,
  NamespacePolicy,
} from '@platformops/plugin-crossplane-common';

/**
 * Where the namespace policy is configured.
 *
 * @public
 */
export const NAMESPACE_POLICY_CONFIG_KEY = 'crossplane.namespaces';

/**
 * The namespace policy of `crossplane.namespaces` (`allow`, `deny`), with
 * the default deny list when none is configured: which namespaces the
 * scaffolder actions and lifecycle operations may write to. Throws on a
 * pattern that is not one, naming its config key.
 *
 * @public
 */
export function readNamespacePolicy(config: Config): NamespacePolicy {
  const section = config.getOptionalConfig(NAMESPACE_POLICY_CONFIG_KEY);
  try {
    return createNamespacePolicy({
      allow: section?.getOptionalStringArray('allow'),
      deny: section?.getOptionalStringArray('deny'),
    });
  } catch (error) {
    if (isCrossplaneModelError(error)) {
      throw new Error(`${NAMESPACE_POLICY_CONFIG_KEY}.${error.message}`);
    }
    throw error;
  }
}
