import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CrossplaneApi, LifecycleRequestOptions } from './CrossplaneApi';
import {
  CrossplaneClusterStatus,
  CrossplaneEvent,
  CrossplaneLifecycleCapabilities,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
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

  async getCapabilities(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneLifecycleCapabilities> {
    return this.#get<CrossplaneLifecycleCapabilities>(
      '/capabilities',
      objectParams(ref),
    );
  }

  async runLifecycleOperation(
    operation: CrossplaneLifecycleOperation,
    ref: CrossplaneObjectLocator,
    options: LifecycleRequestOptions = {},
  ): Promise<CrossplaneLifecycleResult> {
    // The backend takes the object in the body, named as in the queries.
    const { cluster, apiVersion, kind, namespace, name } = ref;
    return this.#send<CrossplaneLifecycleResult>(`/${operation}`, {
      cluster,
      apiVersion,
      kind,
      ...(namespace ? { namespace } : {}),
      name,
      ...options,
    });
  }

  async #get<T>(path: string, params?: URLSearchParams): Promise<T> {
    const query = params?.toString();
    return this.#request<T>(`${path}${query ? `?${query}` : ''}`);
  }

  async #send<T>(path: string, body: object): Promise<T> {
    return this.#request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async #request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('crossplane');
    const url = `${baseUrl}${path}`;
    const response = await (init
      ? this.#fetchApi.fetch(url, init)
      : this.#fetchApi.fetch(url));
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
