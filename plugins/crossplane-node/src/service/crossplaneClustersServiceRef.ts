import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  RootConfigService,
  RootLoggerService,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import type { KubernetesClustersSupplier } from '@backstage/plugin-kubernetes-node';
import {
  buildAuthStrategies,
  CrossplaneAuthStrategy,
} from '../auth/authStrategies';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { ClusterCatalogReader } from '../clusters/CatalogClusterSupplier';
import { readClusterSuppliers } from '../clusters/readClusterSuppliers';
import { CrossplaneClusters } from './CrossplaneClusters';
import { RefreshingCrossplaneClusters } from './RefreshingCrossplaneClusters';

const REFRESH_INTERVAL_KEY = 'crossplane.clusters.refreshInterval';
const DEFAULT_REFRESH_INTERVAL_MS = 60_000;

/**
 * The clusters PlatformOps works with, found by Backstage's
 * `kubernetes.clusterLocatorMethods` (`config`, `catalog`,
 * `localKubectlProxy`, `gke`) and any supplier added with
 * {@link crossplaneClustersServiceFactory}, asked again every
 * `crossplane.clusters.refreshInterval` (60 s). Root-scoped, so that the
 * catalog module, the scaffolder module and the backend plugin share one
 * client per cluster.
 *
 * @public
 */
export const crossplaneClustersServiceRef: ServiceRef<
  CrossplaneClusters,
  'root',
  'singleton'
> = createServiceRef<CrossplaneClusters>({
  id: 'crossplane.clusters',
  scope: 'root',
  defaultFactory: async () => crossplaneClustersServiceFactory(),
});

/**
 * Options of {@link crossplaneClustersServiceFactory}.
 *
 * @public
 */
export interface CrossplaneClustersServiceFactoryOptions {
  /**
   * Clusters from the platform's own source, besides the configured
   * locators'. Given a function, it is called with the root config and
   * logger when the service is created. Asked on the same schedule; a name
   * already found by a locator is kept from the locator.
   */
  clusterSupplier?:
    | KubernetesClustersSupplier
    | ((deps: {
        config: RootConfigService;
        logger: RootLoggerService;
      }) => KubernetesClustersSupplier);
  /**
   * Strategies for further `authProvider`s, by name, as the kubernetes
   * plugin's `kubernetesAuthStrategyExtensionPoint` adds them; the plugin's
   * own (`serviceAccount`, `oidc`, `google`, `aws`, `azure`,
   * `googleServiceAccount`, `aks`, `localKubectlProxy`) are built in.
   */
  authStrategies?: CrossplaneAuthStrategy[];
}

/**
 * The factory of {@link crossplaneClustersServiceRef}, with the platform's
 * own cluster supplier. A root service is shared by the three PlatformOps
 * plugins and cannot depend on any plugin's extension point (which would
 * also make the clusters depend on which plugin registered first), so a
 * supplier is given here, once, where the backend is assembled:
 * `backend.add(crossplaneClustersServiceFactory({ clusterSupplier }))`.
 *
 * @public
 */
export function crossplaneClustersServiceFactory(
  options: CrossplaneClustersServiceFactoryOptions = {},
): ServiceFactory<CrossplaneClusters, 'root', 'singleton'> {
  return createServiceFactory({
    service: crossplaneClustersServiceRef,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      lifecycle: coreServices.rootLifecycle,
    },
    async factory({ config, logger, lifecycle }) {
      const authStrategies = buildAuthStrategies({
        config,
        logger,
        added: options.authStrategies,
      });
      // The catalog client a plugin lends to the service, once it exists.
      let lent: () => ClusterCatalogReader | undefined = () => undefined;
      const suppliers = readClusterSuppliers(config, {
        logger,
        catalog: () => lent(),
        authStrategies,
      });
      const custom = options.clusterSupplier;
      if (custom) {
        suppliers.push({
          source: 'custom',
          supplier:
            typeof custom === 'function' ? custom({ config, logger }) : custom,
        });
      }
      const clusters = new RefreshingCrossplaneClusters({
        suppliers,
        logger,
        createClient: cluster =>
          KubernetesClusterClient.fromConfig(cluster, { authStrategies }),
      });
      lent = () => clusters.catalog();
      // Config-located clusters are there for the plugins' init; the
      // catalog's are found once the backend has started.
      await clusters.refresh();
      lifecycle.addStartupHook(() => {
        // Not awaited: the catalog may not answer yet, which is no reason
        // to hold the backend's start.
        void clusters.refresh();
        clusters.start(readRefreshIntervalMs(config));
      });
      lifecycle.addShutdownHook(() => clusters.stop());
      return clusters;
    },
  });
}

function readRefreshIntervalMs(config: RootConfigService): number {
  if (!config.has(REFRESH_INTERVAL_KEY)) return DEFAULT_REFRESH_INTERVAL_MS;
  const duration = readDurationFromConfig(config, {
    key: REFRESH_INTERVAL_KEY,
  });
  return (
    (duration.milliseconds ?? 0) +
    (duration.seconds ?? 0) * 1_000 +
    (duration.minutes ?? 0) * 60_000 +
    (duration.hours ?? 0) * 3_600_000
  );
}
