import { Config } from '@backstage/config';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { ClusterAuthStrategies } from '../auth/authStrategies';
import { readConfigLocator } from '../config/readClusterConfigs';
import { detailsOfClusterConfig } from './clusterDetails';

/**
 * The clusters of a `type: config` locator: read and checked once, at
 * startup, so that a configuration mistake stops the backend with the
 * field's name.
 */
export class ConfigClusterSupplier implements KubernetesClustersSupplier {
  readonly #clusters: ClusterDetails[];

  static fromConfig(
    method: Config,
    path: string,
    seen?: Set<string>,
    authStrategies?: ClusterAuthStrategies,
  ): ConfigClusterSupplier {
    return new ConfigClusterSupplier(
      readConfigLocator(method, path, seen, authStrategies).map(
        detailsOfClusterConfig,
      ),
    );
  }

  constructor(clusters: ClusterDetails[]) {
    this.#clusters = clusters;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    return this.#clusters;
  }
}
