import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { KubernetesClustersSupplier } from '@backstage/plugin-kubernetes-node';
import { ClusterAuthStrategies } from '../auth/authStrategies';
import { CLUSTER_LOCATORS_CONFIG_KEY } from '../config/readClusterConfigs';
import {
  CatalogClusterSupplier,
  ClusterCatalogReader,
  readCatalogServiceAccounts,
} from './CatalogClusterSupplier';
import { ConfigClusterSupplier } from './ConfigClusterSupplier';
import { GkeClusterSupplier } from './GkeClusterSupplier';
import { LocalKubectlProxyClusterSupplier } from './LocalKubectlProxyClusterSupplier';

/**
 * A cluster supplier and what it is called in logs: the locator's config
 * path, or `custom` for one a backend adds in code.
 *
 * @public
 */
export interface NamedClusterSupplier {
  source: string;
  supplier: KubernetesClustersSupplier;
}

/**
 * One supplier per `kubernetes.clusterLocatorMethods` entry, as Backstage's
 * kubernetes plugin reads them, so that every cluster of the Kubernetes tab
 * is found here too. Config mistakes throw an InputError naming the field.
 */
export function readClusterSuppliers(
  config: Config,
  options: {
    logger: LoggerService;
    /** The catalog, once a plugin lends its client. */
    catalog: () => ClusterCatalogReader | undefined;
    /** The providers' strategies, for the config and gke clusters' check. */
    authStrategies?: ClusterAuthStrategies;
  },
): NamedClusterSupplier[] {
  const methods = config.getOptionalConfigArray(CLUSTER_LOCATORS_CONFIG_KEY);
  const seen = new Set<string>();
  return (methods ?? []).map((method, index) => {
    const source = `${CLUSTER_LOCATORS_CONFIG_KEY}[${index}]`;
    const type = method.getString('type');
    switch (type) {
      case 'config':
        return {
          source,
          supplier: ConfigClusterSupplier.fromConfig(
            method,
            source,
            seen,
            options.authStrategies,
          ),
        };
      case 'catalog':
        return {
          source,
          supplier: CatalogClusterSupplier.fromConfig(method, {
            catalog: options.catalog,
            serviceAccounts: readCatalogServiceAccounts(config),
            logger: options.logger,
          }),
        };
      case 'localKubectlProxy':
        return { source, supplier: new LocalKubectlProxyClusterSupplier() };
      case 'gke':
        return {
          source,
          supplier: GkeClusterSupplier.fromConfig(method, {
            path: source,
            logger: options.logger,
            authStrategies: options.authStrategies,
          }),
        };
      default:
        throw new InputError(
          `${source}.type: unknown cluster locator "${type}"; PlatformOps supports config, catalog, localKubectlProxy and gke`,
        );
    }
  });
}
