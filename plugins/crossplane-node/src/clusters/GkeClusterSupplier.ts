import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError, InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
// Types only: the client library is loaded when a gke locator first lists.
import type { protos, v1 } from '@google-cloud/container';
import { ClusterAuthStrategies } from '../auth/authStrategies';
import { checkClusterAuth } from '../auth/clusterAuthConfig';
import { SERVICE_ACCOUNT_TOKEN_KEY } from './clusterDetails';

type GkeCluster = protos.google.container.v1.ICluster;

/** What the locator needs of the GKE API: `ClusterManagerClient` has it. */
export type GkeClusterLister = Pick<
  v1.ClusterManagerClient,
  'listClusters' | 'close'
>;

/** How the GKE API client is built: its endpoint, port and credentials. */
export type GkeClientOptions = ConstructorParameters<
  typeof v1.ClusterManagerClient
>[0];

const GKE_AUTH_PROVIDERS = ['google', 'googleServiceAccount'] as const;
const ENDPOINT_TYPES = ['public', 'dns'] as const;

/**
 * A `type: gke` locator's fields, named and defaulted as Backstage's GKE
 * locator reads them, plus the service token of `authProvider: google`.
 */
export interface GkeLocatorOptions {
  projectId: string;
  /** A region or zone; `-` (the default) for every location. */
  region: string;
  authProvider: (typeof GKE_AUTH_PROVIDERS)[number];
  /** PlatformOps' own reads where the user's token writes; a secret. */
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  skipMetricsLookup: boolean;
  exposeDashboard: boolean;
  /** Every label must be on a cluster for it to be listed. */
  matchingResourceLabels: { key: string; value: string }[];
  /** `dns`: the DNS-based control plane endpoint, where a cluster has one. */
  endpointType: (typeof ENDPOINT_TYPES)[number];
}

// Project IDs (also the older domain-scoped `example.com:project`) and
// locations: nothing that could change the request's resource path.
const PROJECT_ID = /^[a-z][a-z0-9.:-]*[a-z0-9]$/;
const LOCATION = /^(-|[a-z][a-z0-9-]*[a-z0-9])$/;

/** The locator's `key`, one of `allowed` (the first when unset). */
function readChoice<T extends string>(
  method: Config,
  path: string,
  key: string,
  allowed: readonly T[],
): T {
  const value = method.getOptionalString(key) ?? allowed[0];
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `${path}.${key}: must be one of ${allowed.join(', ')} (got "${value}")`,
    );
  }
  return value as T;
}

/** Reads a `type: gke` locator at `path`; mistakes throw an InputError naming the field. */
export function readGkeLocator(
  method: Config,
  path: string,
  authStrategies?: ClusterAuthStrategies,
): GkeLocatorOptions {
  const projectId = method.getOptionalString('projectId');
  if (!projectId) {
    throw new InputError(
      `${path}.projectId: required, the Google Cloud project whose GKE clusters are listed`,
    );
  }
  if (!PROJECT_ID.test(projectId)) {
    throw new InputError(
      `${path}.projectId: must be a Google Cloud project ID (got "${projectId}")`,
    );
  }
  const region = method.getOptionalString('region') ?? '-';
  if (!LOCATION.test(region)) {
    throw new InputError(
      `${path}.region: must be a region (europe-west1), a zone (europe-west1-b) or - for every location (got "${region}")`,
    );
  }
  const authProvider = readChoice(
    method,
    path,
    'authProvider',
    GKE_AUTH_PROVIDERS,
  );
  const serviceAccountToken = method.getOptionalString('serviceAccountToken');
  if (serviceAccountToken && authProvider !== 'google') {
    throw new InputError(
      `${path}.serviceAccountToken: only for authProvider "google"; with "${authProvider}" PlatformOps reads and writes with the backend's Google service account`,
    );
  }
  // The same rule as a config cluster's: a provider of the user's own
  // token needs the service token PlatformOps reads with.
  checkClusterAuth(
    {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
      ...(serviceAccountToken && {
        [SERVICE_ACCOUNT_TOKEN_KEY]: serviceAccountToken,
      }),
    },
    path,
    authStrategies,
  );
  const endpointType = readChoice(method, path, 'endpointType', ENDPOINT_TYPES);
  return {
    projectId,
    region,
    authProvider,
    serviceAccountToken,
    skipTLSVerify: method.getOptionalBoolean('skipTLSVerify') ?? false,
    skipMetricsLookup: method.getOptionalBoolean('skipMetricsLookup') ?? false,
    exposeDashboard: method.getOptionalBoolean('exposeDashboard') ?? false,
    matchingResourceLabels: (
      method.getOptionalConfigArray('matchingResourceLabels') ?? []
    ).map(label => ({
      key: label.getString('key'),
      value: label.getString('value'),
    })),
    endpointType,
  };
}

/**
 * The `gke` locator: the GKE clusters of a Google Cloud project (in one
 * location, or all), listed through the GKE API with the backend's Google
 * credentials (application default credentials), as Backstage's GKE locator
 * lists them. Beyond it: a cluster's CA certificate is trusted for its IP
 * endpoint, a cluster without a name or endpoint is left out with a
 * warning, and the dashboard link names the cluster's own location. A
 * failed list throws; the clusters service keeps the last clusters.
 */
export class GkeClusterSupplier implements KubernetesClustersSupplier {
  readonly #options: GkeLocatorOptions;
  readonly #logger: LoggerService;
  readonly #clientOptions: GkeClientOptions;
  #client?: GkeClusterLister;
  /** Each message is logged once. */
  readonly #told = new Set<string>();

  static fromConfig(
    method: Config,
    options: {
      path: string;
      logger: LoggerService;
      authStrategies?: ClusterAuthStrategies;
      /** Another endpoint of the GKE API; not read from config. */
      clientOptions?: GkeClientOptions;
    },
  ): GkeClusterSupplier {
    return new GkeClusterSupplier({
      locator: readGkeLocator(method, options.path, options.authStrategies),
      logger: options.logger,
      clientOptions: options.clientOptions,
    });
  }

  constructor(options: {
    locator: GkeLocatorOptions;
    logger: LoggerService;
    clientOptions?: GkeClientOptions;
    /** The GKE API client; by default one is built on first use. */
    client?: GkeClusterLister;
  }) {
    this.#options = options.locator;
    this.#logger = options.logger;
    this.#clientOptions = options.clientOptions;
    this.#client = options.client;
  }

  /** The `parent` of the list request: the project and location. */
  get parent(): string {
    return `projects/${this.#options.projectId}/locations/${
      this.#options.region
    }`;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    let clusters: GkeCluster[];
    try {
      const [response] = await this.#gke().listClusters({
        parent: this.parent,
      });
      clusters = response.clusters ?? [];
    } catch (error) {
      throw new ForwardedError(
        `Could not list the GKE clusters of ${this.parent}`,
        error,
      );
    }
    return clusters.flatMap(cluster => this.toClusterDetails(cluster) ?? []);
  }

  /** Closes the GKE API client, if one was built. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  /** The cluster as the Kubernetes plugin describes it, or undefined if it is not listed. */
  toClusterDetails(cluster: GkeCluster): ClusterDetails | undefined {
    const {
      projectId,
      region,
      authProvider,
      serviceAccountToken,
      matchingResourceLabels,
    } = this.#options;
    const labels = cluster.resourceLabels ?? {};
    if (
      !matchingResourceLabels.every(({ key, value }) => labels[key] === value)
    )
      return undefined;
    const { name } = cluster;
    if (!name) {
      return this.#tell(
        'warn',
        `Ignoring a GKE cluster of ${this.parent}: it has no name`,
      );
    }
    const endpoint = this.#endpointOf(cluster);
    if (!endpoint) {
      return this.#tell(
        'warn',
        `Ignoring GKE cluster "${name}" of ${this.parent}: it has no ${
          this.#options.endpointType
        } endpoint (yet)`,
      );
    }
    return {
      name,
      url: `https://${endpoint.host}`,
      authMetadata: {
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
        ...(serviceAccountToken && {
          [SERVICE_ACCOUNT_TOKEN_KEY]: serviceAccountToken,
        }),
      },
      ...(endpoint.caData && { caData: endpoint.caData }),
      skipTLSVerify: this.#options.skipTLSVerify,
      skipMetricsLookup: this.#options.skipMetricsLookup,
      ...(this.#options.exposeDashboard && {
        dashboardApp: 'gke',
        dashboardParameters: {
          projectId,
          // The cluster's own: the console has no page for location `-`.
          region: cluster.location || region,
          clusterName: name,
        },
      }),
    };
  }

  /**
   * The IP endpoint presents a certificate of the cluster's own CA; the
   * DNS-based one a publicly trusted certificate, so no CA is pinned.
   */
  #endpointOf(
    cluster: GkeCluster,
  ): { host: string; caData?: string } | undefined {
    if (this.#options.endpointType === 'dns') {
      const dns =
        cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint;
      if (dns) return { host: dns };
      this.#tell(
        'info',
        `GKE cluster "${cluster.name}" of ${this.parent} has no DNS endpoint: using its IP endpoint`,
      );
    }
    if (!cluster.endpoint) return undefined;
    return {
      host: cluster.endpoint,
      caData: cluster.masterAuth?.clusterCaCertificate || undefined,
    };
  }

  /** Built on first use: the library is loaded only where a gke locator lists. */
  #gke(): GkeClusterLister {
    if (!this.#client) {
      // require, not import(): loaded in place, also where tests run.
      const gke: typeof import('@google-cloud/container') = require('@google-cloud/container');
      this.#client = new gke.v1.ClusterManagerClient({
        libName: 'platformops/crossplane-node.GkeClusterSupplier',
        ...this.#clientOptions,
      });
    }
    return this.#client;
  }

  #tell(level: 'warn' | 'info', message: string): undefined {
    if (!this.#told.has(message)) {
      this.#told.add(message);
      this.#logger[level](message);
    }
    return undefined;
  }
}
