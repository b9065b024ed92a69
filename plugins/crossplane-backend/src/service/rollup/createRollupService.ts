import { LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CrossplaneObjectCache,
  StatusSource,
} from '@platformops/plugin-crossplane-node';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { StatusService } from '../StatusService';
import { CrossplaneResourcesStatusSource } from './CrossplaneResourcesStatusSource';
import { JobsStatusSource } from './JobsStatusSource';
import { readableObjects } from './readableObjects';
import { RollupService } from './RollupService';
import { WorkloadsStatusSource } from './WorkloadsStatusSource';

/**
 * The roll-up service with the suite's own status sources (Crossplane
 * resources, workloads, jobs) first, then those modules added.
 */
export function createRollupService(options: {
  catalog: CatalogService;
  cache: CrossplaneObjectCache;
  status: StatusService;
  authorizer: ObjectAuthorizer;
  logger: LoggerService;
  added: StatusSource[];
}): RollupService {
  const { catalog, cache, status, authorizer, logger } = options;
  const readable = readableObjects({ authorizer, subjects: status.subjects });
  return new RollupService({
    catalog,
    logger,
    sources: [
      new CrossplaneResourcesStatusSource({ catalog, status, readable }),
      new WorkloadsStatusSource({ cache, readable }),
      new JobsStatusSource({ cache, readable }),
      ...options.added,
    ],
  });
}
