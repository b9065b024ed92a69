import { ClusterClient } from '@platformops/plugin-crossplane-node';

/** Reachability and version of one cluster, as the frontend shows it. */
export interface ClusterStatus {
  name: string;
  reachable: boolean;
  kubernetesVersion?: string;
  error?: string;
}

/** Asks every cluster for its version, in parallel; never throws. */
export async function probeClusters(
  clients: ClusterClient[],
): Promise<ClusterStatus[]> {
  return Promise.all(
    clients.map(async client => {
      try {
        const version = await client.version();
        return {
          name: client.name,
          reachable: true,
          kubernetesVersion: version.gitVersion,
        };
      } catch (error) {
        return {
          name: client.name,
          reachable: false,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
}
