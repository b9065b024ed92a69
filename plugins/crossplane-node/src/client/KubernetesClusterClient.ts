import * as k8s from '@kubernetes/client-node';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterConfig } from '../config/readClusterConfigs';
import {
  ApplyOptions,
  ClusterClient,
  DeleteOptions,
  ListOptions,
  ListResult,
  ObjectLocator,
  PatchOptions,
  ServedKind,
  ServerVersion,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from './types';
import { ClusterRequestError } from './ClusterRequestError';

const DEFAULT_PAGE_SIZE = 500;

/**
 * KubernetesObjectApi with API discovery exposed for watch paths, and a
 * discovery cache that forgets an apiVersion when a kind is missing from it:
 * CRDs (and so XRDs' kinds) appear while the backend runs.
 */
class DiscoveringObjectApi extends k8s.KubernetesObjectApi {
  async collectionPath(apiVersion: string, kind: string, namespace?: string) {
    return this.withFreshDiscovery(apiVersion, () =>
      this.specUriPath({ apiVersion, kind, metadata: { namespace } }, 'list'),
    );
  }

  /** The resource (plural) name of a kind, from discovery. */
  async pluralOf(apiVersion: string, kind: string): Promise<string> {
    const resource = await this.resource(apiVersion, kind);
    if (!resource) {
      throw new Error(
        `Unrecognized API version and kind: ${apiVersion} ${kind}`,
      );
    }
    return resource.name;
  }

  /** The kind as discovery serves it; asks the server when not cached. */
  async servedKind(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }

  async withFreshDiscovery<T>(apiVersion: string, fn: () => Promise<T>) {
    try {
      return await fn();
    } catch (error) {
      if (!isUnrecognizedKind(error)) throw error;
      delete this.apiVersionResourceCache[apiVersion];
      return await fn();
    }
  }
}

function isUnrecognizedKind(error: unknown) {
  return (
    error instanceof Error &&
    /Unrecognized API version and kind/.test(error.message)
  );
}

/**
 * A {@link ClusterClient} over `@kubernetes/client-node`.
 *
 * @public
 */
export class KubernetesClusterClient implements ClusterClient {
  readonly name: string;
  readonly #kubeConfig: k8s.KubeConfig;
  readonly #objects: DiscoveringObjectApi;
  readonly #version: k8s.VersionApi;
  readonly #customObjects: k8s.CustomObjectsApi;

  static fromConfig(cluster: ClusterConfig): KubernetesClusterClient {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          caFile: cluster.caFile,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [{ name: cluster.name, token: cluster.serviceAccountToken }],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: cluster.name },
      ],
      currentContext: cluster.name,
    });
    return new KubernetesClusterClient(cluster.name, kubeConfig);
  }

  private constructor(name: string, kubeConfig: k8s.KubeConfig) {
    this.name = name;
    this.#kubeConfig = kubeConfig;
    this.#objects = kubeConfig.makeApiClient(DiscoveringObjectApi);
    this.#version = kubeConfig.makeApiClient(k8s.VersionApi);
    this.#customObjects = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  }

  async version(): Promise<ServerVersion> {
    const info = await this.#call('version', () => this.#version.getCode());
    return {
      gitVersion: info.gitVersion,
      major: info.major,
      minor: info.minor,
    };
  }

  async discover(
    apiVersion: string,
    kind: string,
  ): Promise<ServedKind | undefined> {
    try {
      // The client asks the server again when the kind is not in its
      // cached discovery, so new CRDs are found.
      const resource = await this.#call(`discover ${kind}`, () =>
        this.#objects.servedKind(apiVersion, kind),
      );
      return resource
        ? { plural: resource.name, namespaced: resource.namespaced }
        : undefined;
    } catch (error) {
      // An unserved group/version answers 404.
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async list(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<ListResult> {
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.#listPage(
        apiVersion,
        kind,
        options,
        continueToken,
      );
      for (const item of page.items) {
        // List items carry no apiVersion/kind of their own.
        items.push({ ...toPlainObject(item), apiVersion, kind });
      }
      continueToken = continueOf(page.metadata);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /**
   * One page of a list. Kinds of API groups are listed through the custom
   * objects API, which returns the server's JSON as it is: the generic
   * object API drops the continue token of custom resource lists, which
   * would end every list of more than one page after its first page.
   */
  #listPage(
    apiVersion: string,
    kind: string,
    options: ListOptions,
    continueToken: string | undefined,
  ): Promise<{
    items: k8s.KubernetesObject[];
    metadata?: {
      _continue?: string;
      continue?: string;
      resourceVersion?: string;
    };
  }> {
    const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const slash = apiVersion.indexOf('/');
    if (slash < 0) {
      // The core group: lists come back as the client's typed models.
      return this.#call(`list ${kind}`, () =>
        this.#objects.list(
          apiVersion,
          kind,
          options.namespace,
          undefined,
          undefined,
          undefined,
          options.fieldSelector,
          options.labelSelector,
          limit,
          continueToken,
        ),
      );
    }
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    return this.#call(`list ${kind}`, () =>
      this.#objects.withFreshDiscovery(apiVersion, async () => {
        const plural = await this.#objects.pluralOf(apiVersion, kind);
        const query = {
          group,
          version,
          plural,
          fieldSelector: options.fieldSelector,
          labelSelector: options.labelSelector,
          limit,
          _continue: continueToken,
        };
        return options.namespace
          ? this.#customObjects.listNamespacedCustomObject({
              ...query,
              namespace: options.namespace,
            })
          : this.#customObjects.listClusterCustomObject(query);
      }),
    );
  }

  async get(locator: ObjectLocator): Promise<KubernetesObject | undefined> {
    try {
      const object = await this.#call(`get ${describe(locator)}`, () =>
        this.#objects.withFreshDiscovery(locator.apiVersion, () =>
          this.#objects.read(toHeader(locator)),
        ),
      );
      return toPlainObject(object);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async apply(
    object: KubernetesObject,
    options: ApplyOptions,
  ): Promise<KubernetesObject> {
    assertLowerCase(object.metadata.namespace, 'metadata.namespace');
    assertLowerCase(object.metadata.name, 'metadata.name');
    const applied = await this.#call(`apply ${describe(object)}`, () =>
      this.#objects.withFreshDiscovery(object.apiVersion, () =>
        this.#objects.patch(
          object as k8s.KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          options.fieldManager,
          options.force ?? false,
          k8s.PatchStrategy.ServerSideApply,
        ),
      ),
    );
    return toPlainObject(applied);
  }

  async patchAnnotations(
    locator: ObjectLocator,
    annotations: Record<string, string | null>,
    options: PatchOptions,
  ): Promise<KubernetesObject> {
    // toHeader refuses names in capitals: the client lower-cases the path.
    const header = toHeader(locator);
    const patch = {
      ...header,
      metadata: { ...header.metadata, annotations },
    };
    const patched = await this.#call(`patch ${describe(locator)}`, () =>
      this.#objects.withFreshDiscovery(locator.apiVersion, () =>
        this.#objects.patch(
          patch as k8s.KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          options.fieldManager,
          undefined,
          k8s.PatchStrategy.MergePatch,
        ),
      ),
    );
    return toPlainObject(patched);
  }

  async patchSpec(
    locator: ObjectLocator,
    spec: Record<string, unknown>,
    options: PatchOptions,
  ): Promise<KubernetesObject> {
    const patch = { ...toHeader(locator), spec };
    const patched = await this.#call(`patch ${describe(locator)}`, () =>
      this.#objects.withFreshDiscovery(locator.apiVersion, () =>
        this.#objects.patch(
          patch as k8s.KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          options.fieldManager,
          undefined,
          k8s.PatchStrategy.MergePatch,
        ),
      ),
    );
    return toPlainObject(patched);
  }

  async delete(
    locator: ObjectLocator,
    options: DeleteOptions = {},
  ): Promise<boolean> {
    try {
      await this.#call(`delete ${describe(locator)}`, () =>
        this.#objects.withFreshDiscovery(locator.apiVersion, () =>
          this.#objects.delete(
            toHeader(locator),
            undefined,
            options.dryRun ? 'All' : undefined,
            undefined,
            undefined,
            options.propagationPolicy ?? 'Foreground',
          ),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async watch(
    apiVersion: string,
    kind: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ): Promise<WatchHandle> {
    const path = await this.#call(`watch ${kind}`, () =>
      this.#objects.collectionPath(apiVersion, kind, options.namespace),
    );
    let stopped = false;
    const controller = await new k8s.Watch(this.#kubeConfig).watch(
      path,
      {
        allowWatchBookmarks: true,
        resourceVersion: options.resourceVersion,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      },
      (type, object) => {
        if (stopped) return;
        if (type === 'ERROR') {
          // A watch error (e.g. 410 Gone) arrives as an event; end the watch
          // with it so that the owner can relist.
          stopped = true;
          controller?.abort();
          onDone(watchError(this.name, kind, object));
          return;
        }
        onEvent({
          type: type as WatchEvent['type'],
          object: { apiVersion, kind, ...object } as KubernetesObject,
        });
      },
      error => {
        if (stopped) return;
        stopped = true;
        onDone(error ? this.#wrap(`watch ${kind}`, error) : undefined);
      },
    );
    return {
      stop() {
        stopped = true;
        controller.abort();
      },
    };
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#wrap(what, error);
    }
  }

  #wrap(what: string, error: unknown): Error {
    if (error instanceof k8s.ApiException) {
      const status = parseStatus(error.body);
      const message = `cluster ${this.name}: ${what}: ${
        status.message ?? error.message
      }`;
      switch (error.code) {
        case 404:
          return new NotFoundError(message);
        case 409:
          return new ConflictError(message);
        case 400:
        case 422:
          return new InputError(message);
        default:
          return new ClusterRequestError(
            this.name,
            message,
            error.code,
            status.reason,
          );
      }
    }
    const cause = error instanceof Error ? error : new Error(String(error));
    return new ClusterRequestError(
      this.name,
      `cluster ${this.name}: ${what}: ${cause.message}`,
      undefined,
      undefined,
      cause,
    );
  }
}

/**
 * The client deserializes built-in kinds into class instances with Date
 * fields; everything in PlatformOps reads plain JSON, as the watch gives it.
 */
function toPlainObject(object: unknown): KubernetesObject {
  return JSON.parse(JSON.stringify(object)) as KubernetesObject;
}

function toHeader(locator: ObjectLocator) {
  assertLowerCase(locator.namespace, 'namespace');
  assertLowerCase(locator.name, 'name');
  return {
    apiVersion: locator.apiVersion,
    kind: locator.kind,
    metadata: { name: locator.name, namespace: locator.namespace },
  };
}

/**
 * The client lower-cases the whole request path, so a name with capitals
 * would read, change or delete the object of the lower-case name; such
 * names are never valid Kubernetes names, so they are refused here too.
 */
function assertLowerCase(value: string | undefined, field: string) {
  if (value !== undefined && value !== value.toLowerCase()) {
    throw new InputError(
      `${field}: must be lower case, as Kubernetes names are (got ${JSON.stringify(
        value,
      )})`,
    );
  }
}

function describe(locator: {
  kind: string;
  namespace?: string;
  name?: string;
  metadata?: { name?: string; namespace?: string };
}) {
  const name =
    'metadata' in locator && locator.metadata
      ? locator.metadata.name
      : locator.name;
  const namespace =
    'metadata' in locator && locator.metadata
      ? locator.metadata.namespace
      : locator.namespace;
  return `${locator.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function parseStatus(body: unknown): { message?: string; reason?: string } {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { message: value as string };
    }
  }
  if (value && typeof value === 'object') {
    const { message, reason } = value as {
      message?: unknown;
      reason?: unknown;
    };
    return {
      message: typeof message === 'string' ? message : undefined,
      reason: typeof reason === 'string' ? reason : undefined,
    };
  }
  return {};
}

function watchError(cluster: string, kind: string, status: unknown) {
  const { message, reason } = parseStatus(status);
  const code = (status as { code?: number } | undefined)?.code;
  return new ClusterRequestError(
    cluster,
    `cluster ${cluster}: watch ${kind}: ${message ?? 'watch failed'}`,
    code,
    reason,
  );
}

/**
 * The continue token of a list page. Lists of built-in kinds come back
 * deserialized into the client's models (`_continue`); lists of custom
 * resources come back as the API server's JSON (`continue`).
 */
function continueOf(
  metadata: { _continue?: string; continue?: string } | undefined,
): string | undefined {
  return metadata?._continue || metadata?.continue || undefined;
}
