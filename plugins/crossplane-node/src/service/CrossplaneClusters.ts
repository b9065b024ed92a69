import { NotFoundError } from '@backstage/errors';
import { ClusterClient } from '../client/types';

/**
 * The clusters PlatformOps works with, each with its client.
 *
 * @public
 */
export interface CrossplaneClusters {
  /** Every configured cluster, in configuration order. */
  list(): ClusterClient[];
  /** The named cluster; throws NotFoundError naming the known clusters. */
  get(name: string): ClusterClient;
}

/**
 * A fixed set of cluster clients.
 *
 * @public
 */
export class StaticCrossplaneClusters implements CrossplaneClusters {
  readonly #clients: ClusterClient[];

  constructor(clients: ClusterClient[]) {
    this.#clients = clients;
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
