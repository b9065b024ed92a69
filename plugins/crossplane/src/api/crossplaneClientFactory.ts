import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  KubernetesApi,
  kubernetesApiRef,
  KubernetesAuthProvidersApi,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { CrossplaneClient } from './CrossplaneClient';
import { KubernetesClusterAuth } from './ClusterAuthHeaders';

/** The APIs the client is built from, in both frontend systems. */
export const crossplaneClientDeps = {
  discoveryApi: discoveryApiRef,
  fetchApi: fetchApiRef,
  kubernetesApi: kubernetesApiRef,
  kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
};

/**
 * The client, its writes carrying the user's cluster tokens from the
 * Kubernetes plugin's auth providers.
 */
export function createCrossplaneClient(deps: {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  kubernetesApi: KubernetesApi;
  kubernetesAuthProvidersApi: KubernetesAuthProvidersApi;
}): CrossplaneClient {
  const { discoveryApi, fetchApi, ...kubernetes } = deps;
  return new CrossplaneClient({
    discoveryApi,
    fetchApi,
    clusterAuth: new KubernetesClusterAuth(kubernetes),
  });
}
