import { AuthenticationError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
  KubernetesRequestAuth,
} from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { ClusterAuthStrategies } from './authStrategies';
import {
  clusterAuthHeaderOf,
  signInProviderOf,
} from '@platformops/plugin-crossplane-common';
import { SERVICE_ACCOUNT_TOKEN_KEY } from '../clusters/clusterDetails';

/**
 * How long the service credential is reused before its strategy is asked
 * again: AWS and Google tokens last minutes, and a 401 asks again at once.
 */
const SERVICE_CREDENTIAL_TTL_MS = 60_000;

/** What a cluster's credentials are asked for: the strategy's view of it. */
export type ClusterAuthDetails = Pick<
  ClusterDetails,
  'name' | 'url' | 'authMetadata' | 'caData' | 'caFile' | 'skipTLSVerify'
>;

/**
 * The credentials of one cluster, from the strategy of its `authProvider`:
 * the service credential PlatformOps reads with (and writes with, unless
 * the provider carries the signed-in user's token), reused for a minute and
 * asked again when the cluster answers 401; and the signed-in user's, from
 * the tokens their request carries.
 *
 * @public
 */
export class ClusterAuth {
  readonly #cluster: ClusterAuthDetails;
  readonly #strategies: ClusterAuthStrategies;
  readonly #now: () => number;
  #service?: { credential: Promise<KubernetesCredential>; at: number };

  constructor(
    cluster: ClusterAuthDetails,
    strategies: ClusterAuthStrategies,
    options: { now?: () => number } = {},
  ) {
    this.#cluster = cluster;
    this.#strategies = strategies;
    this.#now = options.now ?? Date.now;
  }

  get authProvider(): string {
    return this.#cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  }

  /** Writes use the signed-in user's own token, sent with the request. */
  get signedInUser(): boolean {
    return this.#strategies.get(this.authProvider)?.signedInUser ?? false;
  }

  /**
   * The request header that carries the user's token for this cluster, as
   * the kubernetes plugin's frontend names it.
   */
  get userHeader(): string {
    return clusterAuthHeaderOf(
      this.authProvider,
      this.#cluster.authMetadata[ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER],
    );
  }

  /** PlatformOps' own credential; reused for a minute. */
  serviceCredential(): Promise<KubernetesCredential> {
    const cached = this.#service;
    if (cached && this.#now() - cached.at < SERVICE_CREDENTIAL_TTL_MS) {
      return cached.credential;
    }
    const credential = this.#askService();
    this.#service = { credential, at: this.#now() };
    // A failed ask is not reused.
    credential.catch(() => {
      if (this.#service?.credential === credential) this.#service = undefined;
    });
    return credential;
  }

  /** The cluster refused the service credential (401): ask again next time. */
  refreshServiceCredential(): void {
    this.#service = undefined;
  }

  /**
   * The signed-in user's credential for this cluster, from the tokens of
   * their request (see `clusterAuthFromHeaders`). Throws AuthenticationError
   * (401) naming the header and the cluster when the token is missing.
   */
  async userCredential(
    requestAuth: KubernetesRequestAuth,
  ): Promise<KubernetesCredential> {
    const { strategy } = this.#strategyOf(this.authProvider);
    try {
      return await strategy.getCredential(
        this.#cluster as ClusterDetails,
        requestAuth,
      );
    } catch {
      // The strategy's own message names its request-body field; the
      // caller needs the header. Never the token.
      throw new AuthenticationError(
        `${
          this.userHeader
        }: the header must carry your ${this.#signInName()} token for writes to cluster "${
          this.#cluster.name
        }", whose authProvider is ${this.authProvider}`,
      );
    }
  }

  async #askService(): Promise<KubernetesCredential> {
    if (!this.signedInUser) {
      return this.#strategyOf(this.authProvider).strategy.getCredential(
        this.#cluster as ClusterDetails,
        {},
      );
    }
    // A provider of the user's own token: PlatformOps reads with the
    // cluster's service token (required at startup).
    const token = this.#cluster.authMetadata[SERVICE_ACCOUNT_TOKEN_KEY];
    if (!token) {
      throw new Error(
        `cluster ${
          this.#cluster.name
        }: no serviceAccountToken for PlatformOps' own reads`,
      );
    }
    return { type: 'bearer token', token };
  }

  #strategyOf(authProvider: string) {
    const entry = this.#strategies.get(authProvider);
    if (!entry) {
      throw new Error(
        `cluster ${
          this.#cluster.name
        }: authProvider "${authProvider}" has no strategy`,
      );
    }
    return entry;
  }

  #signInName(): string {
    return signInProviderOf(
      this.authProvider,
      this.#cluster.authMetadata[ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER],
    );
  }
}
