import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { ClusterConfig } from '@platformops/plugin-crossplane-node';
import { clusterEntity } from './clusterEntity';

/**
 * Ingests the configured clusters into the catalog.
 *
 * @public
 */
export class CrossplaneEntityProvider implements EntityProvider {
  readonly #clusters: ClusterConfig[];
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  #connection?: EntityProviderConnection;

  constructor(options: {
    clusters: ClusterConfig[];
    logger: LoggerService;
    taskRunner: SchedulerServiceTaskRunner;
  }) {
    this.#clusters = options.clusters;
    this.#logger = options.logger.child({ target: this.getProviderName() });
    this.#taskRunner = options.taskRunner;
  }

  getProviderName(): string {
    return 'CrossplaneEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.#logger.error(`Crossplane ingestion failed: ${error}`);
        }
      },
    });
  }

  /** A full mutation of every cluster's entities. */
  async refresh(): Promise<void> {
    if (!this.#connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const location = `crossplane-provider:${this.getProviderName()}`;
    const entities = this.#clusters.map(cluster => ({
      entity: clusterEntity(cluster, location),
      locationKey: `crossplane:${cluster.name}`,
    }));
    await this.#connection.applyMutation({ type: 'full', entities });
    this.#logger.info(`Ingested ${entities.length} cluster(s)`);
  }
}
