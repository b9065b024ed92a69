import { ClusterClient } from '../client/types';
import { clusterAuthFromHeaders } from './requestAuth';

/**
 * The client a write on behalf of a request's user goes through: for a
 * cluster whose `authProvider` carries the user's own token, one that
 * writes with the token of the request's `Backstage-Kubernetes-Authorization-*`
 * header (AuthenticationError, 401, naming the header, when it is
 * missing); for any other, the cluster's client. Ask the permission first:
 * this only adds the cluster's own say.
 *
 * @public
 */
export async function clientForWrites(
  client: ClusterClient,
  /** The request's headers; none (a scaffolder task): no user token. */
  headers?: Record<string, string | string[] | undefined>,
): Promise<ClusterClient> {
  if (!client.asSignedInUser) return client;
  return client.asSignedInUser(clusterAuthFromHeaders(headers ?? {}));
}
