import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  CrossplaneEntityTransform,
  crossplaneEntityTransformsExtensionPoint,
  crossplaneObjectCacheServiceRef,
  readClusterConfigs,
} from '@platformops/plugin-crossplane-node';
import { FirstWriteBarrier } from '../lib/FirstWriteBarrier';
import { writingWindowRunner } from '../lib/WritingWindow';
import { readProviderConfig } from '../providers/config';
import { CrossplaneEntityProvider } from '../providers/CrossplaneEntityProvider';
import { CrossplaneTemplateProvider } from '../providers/CrossplaneTemplateProvider';
import { CrossplaneEntityLinkProcessor } from '../processors/CrossplaneEntityLinkProcessor';
import { EntityTransforms } from '../transforms/EntityTransforms';
import {
  clusterObjectsOf,
  DependsOnAnnotationProcessor,
} from '../processors/DependsOnAnnotationProcessor';

/** How long a cluster's first write waits for the others' claims. */
const FIRST_WRITE_MAX_WAIT_MS = 30_000;

/**
 * Registers one Crossplane entity provider per cluster with the catalog, and
 * one that emits a software template per XRD. Other catalog modules map
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
      },
      async init({ catalog, config, logger, scheduler, cache }) {
        const providerConfig = readProviderConfig(config);
        const clusters = readClusterConfigs(config).filter(
          c =>
            !providerConfig.clusters ||
            providerConfig.clusters.includes(c.name),
        );
        // Only the ingested clusters' objects have entities.
        const objects = clusterObjectsOf(name =>
          clusters.some(c => c.name === name) ? cache.cache(name) : undefined,
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
        const firstWrite = new FirstWriteBarrier({
          parties: clusters.length,
          maxWaitMs: FIRST_WRITE_MAX_WAIT_MS,
        });
        catalog.addEntityProvider(
          clusters.map(
            cluster =>
              new CrossplaneEntityProvider({
                cluster,
                cache: cache.cache(cluster.name),
                config: providerConfig,
                firstWrite,
                transforms: entityTransforms,
                logger,
                // One replica at a time writes the cluster.
                taskRunner: writingWindowRunner(
                  scheduler,
                  providerConfig.writerWindowMs,
                ),
              }),
          ),
        );
        if (providerConfig.templates && clusters.length > 0) {
          catalog.addEntityProvider(
            new CrossplaneTemplateProvider({
              caches: clusters.map(cluster => cache.cache(cluster.name)),
              config: providerConfig,
              logger,
              // One replica at a time writes the templates.
              taskRunner: writingWindowRunner(
                scheduler,
                providerConfig.writerWindowMs,
              ),
            }),
          );
        }
      },
    });
  },
});
