import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CrossplaneApi, LifecycleRequestOptions } from './CrossplaneApi';
import { CrossplaneClusterAuth } from './ClusterAuthHeaders';
import {
  CrossplaneClusterStatus,
  CrossplaneCompositionChoices,
  CrossplaneCreatePreview,
  CrossplaneCreatePreviewRequest,
  CrossplaneNamespaceChoices,
  CrossplaneDay2Capabilities,
  CrossplaneDeleteRequest,
  CrossplaneDeletionImpact,
  CrossplaneDeletionProgress,
  CrossplaneEditForm,
  CrossplaneEditRequest,
  CrossplaneEditResult,
  CrossplaneEvent,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
  CrossplaneObjectLocator,
  CrossplaneSummary,
  CrossplaneSummaryFilters,
  CrossplaneSummaryPage,
  CrossplaneRevisionLag,
  CrossplaneTimelineEntry,
  CrossplaneTreeNode,
  CrossplaneUpgradeRequest,
  CrossplaneUpgradeStep,
  EntityRollup,
  EntityRollupPage,
  RollupGrouping,
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

/** The object as the POST routes take it: named as in the queries. */
function objectBody(ref: CrossplaneObjectLocator) {
  const { cluster, apiVersion, kind, namespace, name } = ref;
  return {
    cluster,
    apiVersion,
    kind,
    ...(namespace ? { namespace } : {}),
    name,
  };
}

/** A list the backend wraps as `{ items: [...] }` (or under `key`). */
function listOf<T>(body: unknown, key = 'items'): T[] {
  if (Array.isArray(body)) return body as T[];
  const wrapper = (body ?? {}) as Record<string, unknown>;
  const list = wrapper[key] ?? wrapper.items;
  return Array.isArray(list) ? (list as T[]) : [];
}

/**
 * {@link CrossplaneApi} over HTTP, with the user's Backstage token; writes
 * also carry the user's own cluster token where the cluster takes it.
 *
 * @public
 */
export class CrossplaneClient implements CrossplaneApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  readonly #clusterAuth?: CrossplaneClusterAuth;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** The user's cluster tokens for writes; without it, none are sent. */
    clusterAuth?: CrossplaneClusterAuth;
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#clusterAuth = options.clusterAuth;
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
  ): Promise<CrossplaneDay2Capabilities> {
    return this.#get<CrossplaneDay2Capabilities>(
      '/capabilities',
      objectParams(ref),
    );
  }

  async runLifecycleOperation(
    operation: CrossplaneLifecycleOperation,
    ref: CrossplaneObjectLocator,
    options: LifecycleRequestOptions = {},
  ): Promise<CrossplaneLifecycleResult> {
    return this.#write<CrossplaneLifecycleResult>(
      `/${operation}`,
      { ...objectBody(ref), ...options },
      [ref.cluster],
    );
  }

  async getEditForm(ref: CrossplaneObjectLocator): Promise<CrossplaneEditForm> {
    return this.#get<CrossplaneEditForm>('/edit', objectParams(ref));
  }

  async editObject(
    request: CrossplaneEditRequest,
  ): Promise<CrossplaneEditResult> {
    const { values, dryRun } = request;
    return this.#write<CrossplaneEditResult>(
      '/edit',
      { ...objectBody(request), values, dryRun: Boolean(dryRun) },
      [request.cluster],
    );
  }

  async previewCreate(
    request: CrossplaneCreatePreviewRequest,
  ): Promise<CrossplaneCreatePreview> {
    return this.#send<CrossplaneCreatePreview>('/create-preview', request);
  }

  async getNamespaceChoices(request: {
    cluster: string;
    xrd: string;
  }): Promise<CrossplaneNamespaceChoices> {
    return this.#get<CrossplaneNamespaceChoices>(
      '/create-options/namespaces',
      new URLSearchParams(request),
    );
  }

  async getCompositionChoices(request: {
    cluster: string;
    xrd: string;
  }): Promise<CrossplaneCompositionChoices> {
    return this.#get<CrossplaneCompositionChoices>(
      '/create-options/compositions',
      new URLSearchParams(request),
    );
  }

  async getDeletionImpact(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneDeletionImpact> {
    return this.#get<CrossplaneDeletionImpact>('/deletion', objectParams(ref));
  }

  async getDeletionProgress(
    objects: CrossplaneObjectLocator[],
  ): Promise<CrossplaneDeletionProgress> {
    // A read: the list is the body, and no cluster token goes with it.
    return this.#send<CrossplaneDeletionProgress>('/deletion/progress', {
      objects: objects.map(objectBody),
    });
  }

  async deleteObject(
    request: CrossplaneDeleteRequest,
  ): Promise<CrossplaneDeletionImpact> {
    const { confirm, dryRun } = request;
    return this.#write<CrossplaneDeletionImpact>(
      '/delete',
      { ...objectBody(request), confirm, dryRun: Boolean(dryRun) },
      [request.cluster],
    );
  }

  async getUpgrades(
    filters: { cluster?: string[] } = {},
  ): Promise<CrossplaneRevisionLag[]> {
    const params = new URLSearchParams();
    for (const cluster of filters.cluster ?? []) {
      params.append('cluster', cluster);
    }
    return listOf(await this.#get('/upgrades', params));
  }

  async upgrade(
    request: CrossplaneUpgradeRequest,
  ): Promise<CrossplaneUpgradeStep[]> {
    const body = await this.#write(
      '/upgrade',
      {
        objects: request.objects.map(objectBody),
        dryRun: Boolean(request.dryRun),
      },
      request.objects.map(o => o.cluster),
    );
    return listOf(body, 'steps');
  }

  async getTimeline(
    ref: CrossplaneObjectLocator,
  ): Promise<CrossplaneTimelineEntry[]> {
    return listOf(await this.#get('/timeline', objectParams(ref)));
  }

  async getRollup(entityRef: string): Promise<EntityRollup> {
    return this.#get<EntityRollup>(
      '/rollup',
      new URLSearchParams({ entityRef }),
    );
  }

  async listRollups(
    by: RollupGrouping,
    page: { offset?: number; limit?: number } = {},
  ): Promise<EntityRollupPage> {
    const params = new URLSearchParams({ by });
    if (page.offset !== undefined) params.set('offset', String(page.offset));
    if (page.limit !== undefined) params.set('limit', String(page.limit));
    return this.#get<EntityRollupPage>('/rollups', params);
  }

  async #get<T>(path: string, params?: URLSearchParams): Promise<T> {
    const query = params?.toString();
    return this.#request<T>(`${path}${query ? `?${query}` : ''}`);
  }

  async #send<T>(
    path: string,
    body: object,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.#request<T>(path, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** A write to these clusters, with the user's tokens those take. */
  async #write<T>(path: string, body: object, clusters: string[]): Promise<T> {
    const headers = (await this.#clusterAuth?.headersFor(clusters)) ?? {};
    return this.#send<T>(path, body, headers);
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
