import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AksStrategy,
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
  GoogleStrategy,
  OidcStrategy,
} from '@backstage/plugin-kubernetes-backend';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { ServiceAccountTokenStrategy } from './ServiceAccountTokenStrategy';

/**
 * How PlatformOps gets a credential for clusters of one `authProvider`: a
 * strategy of Backstage's kubernetes plugin (or one of the same interface),
 * and whether the credential is the signed-in user's own token, sent by the
 * frontend with each request (a "client-side" provider of the kubernetes
 * plugin: `oidc`, `google`, `aks`).
 *
 * @public
 */
export interface CrossplaneAuthStrategy {
  /** The `authProvider` of the clusters it serves, e.g. `pinniped`. */
  authProvider: string;
  strategy: AuthenticationStrategy;
  /**
   * The credential is the signed-in user's own token: PlatformOps writes
   * with it, and reads with the cluster's service token. Default false:
   * the backend's own credential, for reads and writes.
   */
  signedInUser?: boolean;
}

/**
 * The strategies by `authProvider`.
 *
 * @public
 */
export type ClusterAuthStrategies = ReadonlyMap<
  string,
  Omit<CrossplaneAuthStrategy, 'authProvider'>
>;

/**
 * The providers of Backstage's kubernetes plugin, by name, and whether each
 * carries the signed-in user's token (the plugin's frontend sends it).
 *
 * @public
 */
export const BUILT_IN_AUTH_PROVIDERS: Readonly<
  Record<string, { signedInUser: boolean }>
> = {
  serviceAccount: { signedInUser: false },
  aws: { signedInUser: false },
  azure: { signedInUser: false },
  googleServiceAccount: { signedInUser: false },
  localKubectlProxy: { signedInUser: false },
  oidc: { signedInUser: true },
  google: { signedInUser: true },
  aks: { signedInUser: true },
};

/**
 * The kubernetes plugin's own strategies under its own names, so that one
 * `kubernetes` config serves the Kubernetes tab and PlatformOps alike; then
 * the strategies added for further providers (a name of the built-in ones
 * is refused: a cluster's provider means one thing).
 *
 * @public
 */
export function buildAuthStrategies(options: {
  config: Config;
  logger: LoggerService;
  added?: CrossplaneAuthStrategy[];
}): ClusterAuthStrategies {
  const { config, logger } = options;
  const builtIn: Record<string, AuthenticationStrategy> = {
    serviceAccount: new ServiceAccountTokenStrategy(),
    aws: new AwsIamStrategy({ config }),
    azure: new AzureIdentityStrategy(logger),
    googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
    localKubectlProxy: new AnonymousStrategy(),
    oidc: new OidcStrategy(),
    google: new GoogleStrategy(),
    aks: new AksStrategy(),
  };
  const strategies = new Map<
    string,
    Omit<CrossplaneAuthStrategy, 'authProvider'>
  >(
    Object.entries(builtIn).map(([name, strategy]) => [
      name,
      { strategy, signedInUser: BUILT_IN_AUTH_PROVIDERS[name].signedInUser },
    ]),
  );
  for (const { authProvider, strategy, signedInUser } of options.added ?? []) {
    if (strategies.has(authProvider)) {
      throw new Error(
        `Crossplane auth strategy "${authProvider}" is registered twice (or is one of the kubernetes plugin's own: ${Object.keys(
          builtIn,
        ).join(', ')})`,
      );
    }
    strategies.set(authProvider, {
      strategy,
      signedInUser: signedInUser ?? false,
    });
  }
  return strategies;
}
