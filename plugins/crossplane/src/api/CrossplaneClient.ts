import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CrossplaneApi, CrossplaneClusterStatus } from './CrossplaneApi';

/**
 * {@link CrossplaneApi} over HTTP, with the user's Backstage token.
 *
 * @public
 */
export class CrossplaneClient implements CrossplaneApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getClusters(): Promise<CrossplaneClusterStatus[]> {
    const body = await this.#get<{ items: CrossplaneClusterStatus[] }>(
      '/clusters',
    );
    return body.items;
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('crossplane');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
