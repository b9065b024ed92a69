import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterObjectCache } from '../cache/ClusterObjectCache';
import { ClusterClient } from '../client/types';
import { crossplaneClustersServiceRef } from './crossplaneClustersServiceRef';
import {
  CrossplaneObjectCache,
  DefaultCrossplaneObjectCache,
} from './CrossplaneObjectCache';

/**
 * The shared in-memory cache of every cluster's Crossplane objects. Root
 * scoped: the catalog module and the status backend read the same watches.
 * It follows the clusters service: a cluster added gets a cache, a removed
 * one's cache is stopped, an unchanged one's is kept. Configured under
 * `crossplane.cache`.
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
          const cacheOf = (client: ClusterClient) =>
            new ClusterObjectCache({
              client,
              logger: logger.child({ cluster: client.name }),
              includeWorkloads:
                cacheConfig?.getOptionalBoolean('workloads') ?? true,
              maxObjects: cacheConfig?.getOptionalNumber(
                'maxObjectsPerCluster',
              ),
              pageSize: cacheConfig?.getOptionalNumber('pageSize'),
            });
          const cache = new DefaultCrossplaneObjectCache(
            clusters.list().map(cacheOf),
          );
          const unsubscribe = clusters.subscribe(({ added, removed }) =>
            cache.update({
              added: added.map(cacheOf),
              removed: removed.map(c => c.name),
            }),
          );
          lifecycle.addShutdownHook(() => {
            unsubscribe();
            cache.stop();
          });
          return cache;
        },
      }),
  });
