import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  CrossplaneEntityTransform,
  crossplaneEntityTransformsExtensionPoint,
  crossplaneClustersServiceRef,
  crossplaneObjectCacheServiceRef,
} from '@platformops/plugin-crossplane-node';
import { FirstWriteBarrier } from '../lib/FirstWriteBarrier';
import { FullWriteQueue } from '../lib/FullWriteQueue';
import { writingWindowRunner } from '../lib/WritingWindow';
import { readProviderConfig } from '../providers/config';
import { catalogHoldings } from '../providers/CatalogHoldings';
import { CrossplaneEntityProvider } from '../providers/CrossplaneEntityProvider';
import { CrossplaneTemplateProvider } from '../providers/CrossplaneTemplateProvider';
import { FollowedClusters } from '../providers/FollowedClusters';
import { CrossplaneEntityLinkProcessor } from '../processors/CrossplaneEntityLinkProcessor';
import { EntityTransforms } from '../transforms/EntityTransforms';
import {
  clusterObjectsOf,
  DependsOnAnnotationProcessor,
} from '../processors/DependsOnAnnotationProcessor';

/** How long a cluster's first write waits for the others' claims. */
const FIRST_WRITE_MAX_WAIT_MS = 30_000;

/**
 * Registers one Crossplane entity provider per cluster known at startup and
 * one for the clusters found later (e.g. catalog-located), each cluster
 * with its own writing windows, and one that emits a software template per
 * XRD. Other catalog modules map
 * objects to owners, systems and lifecycles their way through
 * `crossplaneEntityTransformsExtensionPoint`.
 *
 * @public
 */
export const catalogModuleCrossplane = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'crossplane',
  register(env) {
    const transforms: CrossplaneEntityTransform[] = [];
    env.registerExtensionPoint(crossplaneEntityTransformsExtensionPoint, {
      addEntityTransform(...added) {
        transforms.push(...added.flat());
      },
    });
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        cache: crossplaneObjectCacheServiceRef,
        clusters: crossplaneClustersServiceRef,
        catalogApi: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        cache,
        clusters,
        catalogApi,
        auth,
      }) {
        // The catalog locator reads the catalog with this module's credentials.
        clusters.readCatalogWith({ catalog: catalogApi, auth });
        const providerConfig = readProviderConfig(config);
        const ingested = (name: string) =>
          !providerConfig.clusters || providerConfig.clusters.includes(name);
        // Only the ingested clusters' objects have entities.
        const objects = clusterObjectsOf(name =>
          ingested(name)
            ? cache.caches().find(c => c.cluster === name)
            : undefined,
        );
        catalog.addProcessor(
          new CrossplaneEntityLinkProcessor(providerConfig, objects),
        );
        catalog.addProcessor(
          new DependsOnAnnotationProcessor({
            objects,
            mapping: providerConfig,
          }),
        );
        const entityTransforms =
          transforms.length > 0
            ? new EntityTransforms({
                transforms,
                logger,
                logWindowMs: providerConfig.writerWindowMs,
              })
            : undefined;
        // The clusters known now each have their own provider, and write
        // their first claims together.
        const firstWrite = new FirstWriteBarrier({
          parties: cache.caches().filter(c => ingested(c.cluster)).length,
          maxWaitMs: FIRST_WRITE_MAX_WAIT_MS,
        });
        const fullWrites = new FullWriteQueue();
        const holdings = catalogHoldings(catalogApi, auth);
        const followed = new FollowedClusters({
          cache,
          ingested,
          create: options =>
            new CrossplaneEntityProvider({
              cluster: clusters.describe(options.cluster),
              cache: options.cache,
              config: providerConfig,
              firstWrite: options.atStartup ? firstWrite : undefined,
              fullWrites,
              catalog: holdings,
              transforms: entityTransforms,
              logger,
              taskRunner: options.taskRunner,
            }),
          // One replica at a time writes a cluster.
          taskRunner: () =>
            writingWindowRunner(scheduler, providerConfig.writerWindowMs),
          catalog: holdings,
          logger,
        });
        catalog.addEntityProvider(followed.providers());
        if (providerConfig.templates) {
          const templates = new CrossplaneTemplateProvider({
            caches: () => cache.caches().filter(c => ingested(c.cluster)),
            config: providerConfig,
            logger,
            // One replica at a time writes the templates.
            taskRunner: writingWindowRunner(
              scheduler,
              providerConfig.writerWindowMs,
            ),
          });
          // A cluster added or removed changes the templates' clusters.
          cache.subscribe?.(() =>
            templates
              .refresh()
              .catch(error =>
                logger.error(`Writing XRD templates failed: ${error}`),
              ),
          );
          catalog.addEntityProvider(templates);
        }
      },
    });
  },
});
