import { AuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ClusterClient } from '../client/types';
import type { ClusterCatalogReader } from '../clusters/CatalogClusterSupplier';

/**
 * What is known of a cluster besides its client; never a credential.
 *
 * @public
 */
export interface CrossplaneClusterInfo {
  name: string;
  title?: string;
  url: string;
  /** `kubernetes.io/auth-provider`, e.g. `serviceAccount`. */
  authProvider: string;
  skipTLSVerify: boolean;
  /** Where it was found: a locator's config path, or `custom`. */
  source?: string;
}

/**
 * Clusters added and removed at once. A cluster whose URL or credentials
 * changed is in both: its old client removed, its new one added.
 *
 * @public
 */
export interface CrossplaneClustersChange {
  added: ClusterClient[];
  removed: ClusterClient[];
}

/**
 * A plugin's way to read the catalog with its own service credentials,
 * which the `catalog` cluster locator uses.
 *
 * @public
 */
export interface ClusterCatalogAccess {
  catalog: ClusterCatalogReader;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
}

/**
 * The clusters PlatformOps works with, each with its client. The set may
 * change while the backend runs (catalog-located clusters come and go):
 * read it when needed rather than keeping a copy, or subscribe.
 *
 * @public
 */
export interface CrossplaneClusters {
  /** Every known cluster, in the order of their locators. */
  list(): ClusterClient[];
  /** The named cluster; throws NotFoundError naming the known clusters. */
  get(name: string): ClusterClient;
  /** The named cluster's description; throws NotFoundError like `get`. */
  describe(name: string): CrossplaneClusterInfo;
  /** Calls `listener` on each change; returns the unsubscribe function. */
  subscribe(listener: (change: CrossplaneClustersChange) => void): () => void;
  /**
   * Lends the catalog locator a plugin's catalog client, read with that
   * plugin's own credentials (a root service has none of its own). Every
   * PlatformOps plugin lends its own; the first is kept.
   */
  readCatalogWith(access: ClusterCatalogAccess): void;
}

/**
 * A fixed set of cluster clients.
 *
 * @public
 */
export class StaticCrossplaneClusters implements CrossplaneClusters {
  readonly #clients: ClusterClient[];
  readonly #infos: CrossplaneClusterInfo[];

  constructor(clients: ClusterClient[], infos: CrossplaneClusterInfo[] = []) {
    this.#clients = clients;
    this.#infos = infos;
  }

  list(): ClusterClient[] {
    return [...this.#clients];
  }

  get(name: string): ClusterClient {
    const client = this.#clients.find(c => c.name === name);
    if (!client) {
      throw unknownClusterError(
        name,
        this.#clients.map(c => c.name),
      );
    }
    return client;
  }

  describe(name: string): CrossplaneClusterInfo {
    const client = this.get(name);
    return (
      this.#infos.find(i => i.name === name) ?? {
        name: client.name,
        url: '',
        authProvider: 'serviceAccount',
        skipTLSVerify: false,
      }
    );
  }

  subscribe(): () => void {
    return () => {};
  }

  readCatalogWith(): void {}
}

/**
 * The error for a cluster name that is not configured, naming the known
 * ones.
 *
 * @public
 */
export function unknownClusterError(
  name: string,
  known: readonly string[],
): NotFoundError {
  return new NotFoundError(
    `cluster: no cluster named "${name}" (known clusters: ${
      known.join(', ') || 'none configured'
    })`,
  );
}
