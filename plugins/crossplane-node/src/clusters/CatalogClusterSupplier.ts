import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_DASHBOARD_APP,
  ANNOTATION_KUBERNETES_DASHBOARD_PARAMETERS,
  ANNOTATION_KUBERNETES_DASHBOARD_URL,
  ANNOTATION_KUBERNETES_SKIP_METRICS_LOOKUP,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { CROSSPLANE_ENTITY_ANNOTATIONS } from '@platformops/plugin-crossplane-common';
import { BUILT_IN_AUTH_PROVIDERS } from '../auth/authStrategies';
import { SERVICE_ACCOUNT_TOKEN_KEY } from './clusterDetails';
import {
  CatalogLocatorOptions,
  validateApiServerUrl,
} from './validateApiServerUrl';

/**
 * What the catalog locator needs of the catalog: Backstage's catalog
 * service (`catalogServiceRef`) or a `CatalogClient` has it.
 *
 * @public
 */
export interface ClusterCatalogReader {
  getEntities(
    request: { filter: Record<string, string> },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Entity[] }>;
}

/**
 * A service-account token for a catalog-located cluster, from
 * configuration (`crossplane.clusters.catalogServiceAccounts`): used only
 * for the entity of this name whose API server is exactly this URL.
 *
 * @public
 */
export interface CatalogServiceAccount {
  name: string;
  url: string;
  /** A secret: never log it. */
  serviceAccountToken: string;
  /** Trusted instead of the entity's CA annotation, when set. */
  caData?: string;
  caFile?: string;
}

/** Reads `crossplane.clusters.catalogServiceAccounts`. */
export function readCatalogServiceAccounts(
  config: Config,
): CatalogServiceAccount[] {
  const key = 'crossplane.clusters.catalogServiceAccounts';
  return (config.getOptionalConfigArray(key) ?? []).map(entry => ({
    name: entry.getString('name'),
    url: normalizeUrl(entry.getString('url')),
    serviceAccountToken: entry.getString('serviceAccountToken'),
    caData: entry.getOptionalString('caData'),
    caFile: entry.getOptionalString('caFile'),
  }));
}

function normalizeUrl(url: string) {
  return url.replace(/\/+$/, '');
}

const KUBERNETES_IO_PREFIX = 'kubernetes.io/';

/**
 * The auth providers a catalog entity may name: no credential (kubectl
 * proxy), the token configured for its exact URL (serviceAccount), or the
 * signed-in user's own token. Any other (aws, azure, googleServiceAccount,
 * a platform's own) is the portal's identity, for whatever URL the entity
 * gives.
 */
const catalogAuthProviders = new Set([
  'localKubectlProxy',
  'serviceAccount',
  ...Object.entries(BUILT_IN_AUTH_PROVIDERS)
    .filter(([, { signedInUser }]) => signedInUser)
    .map(([provider]) => provider),
]);

/**
 * Everything of the entity that may reach an auth strategy: its
 * `kubernetes.io/` annotations, never a token.
 */
function authMetadataOf(annotations: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(annotations).filter(
      ([key]) =>
        key.startsWith(KUBERNETES_IO_PREFIX) &&
        key !== SERVICE_ACCOUNT_TOKEN_KEY,
    ),
  );
}

function dashboardParametersOf(value: string | undefined) {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value);
    return typeof parsed === 'object' && parsed && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `catalog` locator: clusters are `Resource` entities of `spec.type:
 * kubernetes-cluster`, mapped as Backstage's kubernetes plugin maps them.
 *
 * An entity is data that anyone who may register entities controls. So
 * its URL passes the same checks as in the kubernetes plugin (HTTPS, public
 * addresses, unless allowed), TLS checks are skipped only if the locator
 * allows it, and a cluster authenticates only by what its annotations say:
 * no credential for `localKubectlProxy`; for `serviceAccount`, the token
 * configured for its name and exactly its URL, else it is left out. A token
 * is never read from an entity, and no configured token goes to a URL the
 * configuration did not name.
 */
export class CatalogClusterSupplier implements KubernetesClustersSupplier {
  readonly #catalog: () => ClusterCatalogReader | undefined;
  readonly #options: CatalogLocatorOptions;
  readonly #serviceAccounts: CatalogServiceAccount[];
  readonly #logger: LoggerService;
  /** Each reason an entity is left out is logged once. */
  readonly #warned = new Set<string>();

  static fromConfig(
    method: Config,
    options: {
      catalog: () => ClusterCatalogReader | undefined;
      serviceAccounts: CatalogServiceAccount[];
      logger: LoggerService;
    },
  ): CatalogClusterSupplier {
    return new CatalogClusterSupplier({
      ...options,
      locator: {
        dangerouslyAllowClusterUrls: method.getOptionalStringArray(
          'dangerouslyAllowClusterUrls',
        ),
        dangerouslyAllowSkipTLSVerify: method.getOptionalBoolean(
          'dangerouslyAllowSkipTLSVerify',
        ),
      },
    });
  }

  constructor(options: {
    /** Undefined until a plugin lends its catalog client. */
    catalog: () => ClusterCatalogReader | undefined;
    locator: CatalogLocatorOptions;
    serviceAccounts: CatalogServiceAccount[];
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#options = options.locator;
    this.#serviceAccounts = options.serviceAccounts;
    this.#logger = options.logger;
  }

  async getClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    const catalog = this.#catalog();
    if (!catalog) {
      throw new ServiceUnavailableError(
        'the catalog cannot be read before a PlatformOps plugin has started',
      );
    }
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' } },
      { credentials: options.credentials },
    );
    const found: ClusterDetails[] = [];
    for (const entity of items) {
      const details = await this.toClusterDetails(entity);
      if (details) found.push(details);
    }
    // Usable entities of one cluster name (in several namespaces or letter
    // cases): which is the cluster would be the catalog's order, so none is.
    const counts = new Map<string, number>();
    for (const { name } of found) {
      counts.set(name.toLowerCase(), (counts.get(name.toLowerCase()) ?? 0) + 1);
    }
    return found.filter(({ name }) => {
      if (counts.get(name.toLowerCase()) === 1) return true;
      this.#skip(
        name,
        'metadata.name: another kubernetes-cluster Resource names this cluster (in another namespace or letter case)',
      );
      return false;
    });
  }

  /** The cluster an entity describes, or undefined (logged) if it may not be used. */
  async toClusterDetails(entity: Entity): Promise<ClusterDetails | undefined> {
    const { name, annotations = {} } = entity.metadata;
    // PlatformOps' own cluster entities describe clusters it already knows.
    if (annotations[CROSSPLANE_ENTITY_ANNOTATIONS.cluster]) return undefined;
    // Entity names join an object's namespace and cluster with a dot: the
    // cluster-scoped objects of `team-a.prod` would pass for team-a's of prod.
    if (name.includes('.')) {
      return this.#skip(
        name,
        "metadata.name: must not contain a dot, which would give its objects the entity names of another cluster's",
      );
    }
    // Backstage's locator asks the catalog only for entities with these.
    for (const required of [
      ANNOTATION_KUBERNETES_API_SERVER,
      ANNOTATION_KUBERNETES_API_SERVER_CA,
      ANNOTATION_KUBERNETES_AUTH_PROVIDER,
    ]) {
      if (annotations[required] === undefined) {
        return this.#skip(name, `metadata.annotations.${required}: is missing`);
      }
    }
    const url = annotations[ANNOTATION_KUBERNETES_API_SERVER];
    try {
      await validateApiServerUrl(url, this.#options);
    } catch (error) {
      return this.#skip(
        name,
        `metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER}: ${
          (error as Error).message
        }`,
      );
    }
    const authMetadata = authMetadataOf(annotations);
    let caData: string | undefined =
      annotations[ANNOTATION_KUBERNETES_API_SERVER_CA];
    let caFile: string | undefined;
    const authProvider = annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
    if (!catalogAuthProviders.has(authProvider)) {
      return this.#skip(
        name,
        `metadata.annotations.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}: "${authProvider}" would send the portal's own credential to a URL from the catalog; a catalog-located cluster authenticates by ${[
          ...catalogAuthProviders,
        ].join(', ')}`,
      );
    }
    if (authProvider === 'serviceAccount') {
      const account = this.#serviceAccounts.find(
        a => a.name === name && a.url === normalizeUrl(url),
      );
      if (!account) {
        return this.#skip(
          name,
          `metadata.annotations.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}: serviceAccount needs a token configured for this cluster's name and URL in crossplane.clusters.catalogServiceAccounts`,
        );
      }
      authMetadata[SERVICE_ACCOUNT_TOKEN_KEY] = account.serviceAccountToken;
      if (account.caData || account.caFile) {
        caData = account.caData;
        caFile = account.caFile;
      }
    }
    return {
      name,
      title: entity.metadata.title,
      url,
      authMetadata,
      caData,
      caFile,
      skipMetricsLookup:
        annotations[ANNOTATION_KUBERNETES_SKIP_METRICS_LOOKUP] === 'true',
      skipTLSVerify:
        (this.#options.dangerouslyAllowSkipTLSVerify ?? false) &&
        annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true',
      dashboardUrl: annotations[ANNOTATION_KUBERNETES_DASHBOARD_URL],
      dashboardApp: annotations[ANNOTATION_KUBERNETES_DASHBOARD_APP],
      dashboardParameters: dashboardParametersOf(
        annotations[ANNOTATION_KUBERNETES_DASHBOARD_PARAMETERS],
      ),
    };
  }

  #skip(name: string, reason: string): undefined {
    const message = `Ignoring kubernetes-cluster Resource "${name}": ${reason}`;
    if (!this.#warned.has(message)) {
      this.#warned.add(message);
      this.#logger.warn(message);
    }
    return undefined;
  }
}
