import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readClusterConfigs } from '../config/readClusterConfigs';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import {
  CrossplaneClusters,
  StaticCrossplaneClusters,
} from './CrossplaneClusters';

/**
 * The clusters PlatformOps works with, read from Backstage's
 * `kubernetes.clusterLocatorMethods`. Root-scoped, so that the catalog
 * module, the scaffolder module and the backend plugin share one client per
 * cluster.
 *
 * @public
 */
export const crossplaneClustersServiceRef =
  createServiceRef<CrossplaneClusters>({
    id: 'crossplane.clusters',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory({ config, logger }) {
          const clusters = readClusterConfigs(config);
          logger.info(
            `Crossplane clusters: ${
              clusters.map(c => `${c.name} (${c.url})`).join(', ') ||
              'none configured'
            }`,
          );
          return new StaticCrossplaneClusters(
            clusters.map(c => KubernetesClusterClient.fromConfig(c)),
          );
        },
      }),
  });
