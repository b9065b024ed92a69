import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterObjectCache } from '../cache/ClusterObjectCache';
import { crossplaneClustersServiceRef } from './crossplaneClustersServiceRef';
import {
  CrossplaneObjectCache,
  DefaultCrossplaneObjectCache,
} from './CrossplaneObjectCache';

/**
 * The shared in-memory cache of every cluster's Crossplane objects. Root
 * scoped: the catalog module and the status backend read the same watches.
 * Configured under `crossplane.cache`.
 *
 * @public
 */
export const crossplaneObjectCacheServiceRef =
  createServiceRef<CrossplaneObjectCache>({
    id: 'crossplane.object-cache',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          clusters: crossplaneClustersServiceRef,
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
          lifecycle: coreServices.rootLifecycle,
        },
        factory({ clusters, config, logger, lifecycle }) {
          const cacheConfig = config.getOptionalConfig('crossplane.cache');
          const cache = new DefaultCrossplaneObjectCache(
            clusters.list().map(
              client =>
                new ClusterObjectCache({
                  client,
                  logger: logger.child({ cluster: client.name }),
                  includeWorkloads:
                    cacheConfig?.getOptionalBoolean('workloads') ?? true,
                  maxObjects: cacheConfig?.getOptionalNumber(
                    'maxObjectsPerCluster',
                  ),
                  pageSize: cacheConfig?.getOptionalNumber('pageSize'),
                }),
            ),
          );
          lifecycle.addShutdownHook(() => cache.stop());
          return cache;
        },
      }),
  });
