import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CrossplaneApi } from './CrossplaneApi';
import {
  CrossplaneClusterStatus,
  CrossplaneEvent,
  CrossplaneObjectLocator,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneTreeNode,
} from './types';

function objectParams(ref: CrossplaneObjectLocator): URLSearchParams {
  const params = new URLSearchParams();
  params.set('cluster', ref.cluster);
  params.set('apiVersion', ref.apiVersion);
  params.set('kind', ref.kind);
  if (ref.namespace) params.set('namespace', ref.namespace);
  params.set('name', ref.name);
  return params;
}

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
    const body = await this.#get<{
      items: (CrossplaneClusterStatus & { error?: string })[];
    }>('/clusters');
    // Older backends name the last error `error`.
    return body.items.map(({ error, ...item }) => ({
      ...item,
      lastError: item.lastError ?? error,
    }));
  }

  async getSummary(
    filters: CrossplaneSummaryFilters = {},
    page: CrossplaneSummaryPage = {},
  ): Promise<CrossplaneSummary> {
    const params = new URLSearchParams();
    for (const key of [
      'cluster',
      'xrd',
      'owner',
      'namespace',
      'health',
    ] as const) {
      for (const value of filters[key] ?? []) params.append(key, value);
    }
    if (page.offset !== undefined) params.set('offset', String(page.offset));
    if (page.limit !== undefined) params.set('limit', String(page.limit));
    const summary = await this.#get<CrossplaneSummary>('/summary', params);
    // Older backends return every resource and no page.
    return {
      ...summary,
      page: summary.page ?? {
        offset: 0,
        total: summary.resources.length,
      },
    };
  }

  async getTree(ref: CrossplaneObjectLocator): Promise<CrossplaneTreeNode> {
    const body = await this.#get<{ root: CrossplaneTreeNode }>(
      '/tree',
      objectParams(ref),
    );
    return body.root;
  }

  async getEvents(
    ref: CrossplaneObjectLocator,
    options: { tree?: boolean } = {},
  ): Promise<CrossplaneEvent[]> {
    const params = objectParams(ref);
    params.set('tree', String(Boolean(options.tree)));
    const body = await this.#get<{ items: CrossplaneEvent[] }>(
      '/events',
      params,
    );
    return body.items;
  }

  async getYaml(ref: CrossplaneObjectLocator): Promise<string> {
    const body = await this.#get<{ yaml: string }>('/yaml', objectParams(ref));
    return body.yaml;
  }

  async #get<T>(path: string, params?: URLSearchParams): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('crossplane');
    const query = params?.toString();
    const response = await this.#fetchApi.fetch(
      `${baseUrl}${path}${query ? `?${query}` : ''}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
