import * as http2 from 'node:http2';
import * as k8s from '@kubernetes/client-node';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  type KubernetesRequestAuth,
} from '@backstage/plugin-kubernetes-common';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterConfig } from '../config/readClusterConfigs';
import { ClusterAuthStrategies } from '../auth/authStrategies';
import { ClusterAuth, ClusterAuthDetails } from '../auth/ClusterAuth';
import { credentialKubeConfig } from '../auth/credentialKubeConfig';
import { SignedInUserClient } from '../auth/SignedInUserClient';
import { ClusterRequestError } from './ClusterRequestError';
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
import { Http2Response, Http2SessionPool } from './Http2SessionPool';
import {
  errorOfFailure,
  errorOfStatus,
  errorOfWatchEvent,
} from './statusErrors';

const DEFAULT_PAGE_SIZE = 500;
const WATCH_EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

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
 * How lists and watches reach the API server: `http2` multiplexes them on
 * one connection per cluster (a few when the server's stream limit is
 * reached); `http1` opens one connection per list and per watch.
 *
 * @public
 */
export type KubernetesTransport = 'http2' | 'http1';

/**
 * Options of a {@link KubernetesClusterClient}.
 *
 * @public
 */
export interface KubernetesClusterClientOptions {
  /** `http2` unless the cluster's URL is plain `http:`. */
  transport?: KubernetesTransport;
  /**
   * Watches ask the API server to end them after a random time between
   * this and twice this (client-go's reflector: 5 to 10 minutes), so that
   * they spread over API server replicas; the watcher resumes where it was.
   * Unset: the server's own limit (`--min-request-timeout`, 30 to 60 min).
   */
  watchTimeoutSeconds?: number;
  /**
   * The strategies by `authProvider` (see `buildAuthStrategies`): the
   * cluster's credentials come from its provider's. Unset: the cluster's
   * `serviceAccountToken`, or no credential.
   */
  authStrategies?: ClusterAuthStrategies;
}

/**
 * A {@link ClusterClient} over `@kubernetes/client-node`, with lists and
 * watches multiplexed over HTTP/2 as client-go does: a cluster with
 * thousands of kinds holds a handful of connections, not one per watch.
 *
 * @public
 */
export class KubernetesClusterClient implements ClusterClient {
  readonly name: string;
  readonly #cluster: ClusterAuthDetails;
  readonly #auth?: ClusterAuth;
  readonly #kubeConfig: k8s.KubeConfig;
  /** Lists and watches over HTTP/2; undefined: one HTTP/1.1 connection each. */
  readonly #http2?: Http2SessionPool;
  readonly #watchTimeoutSeconds?: number;
  readonly #objects: DiscoveringObjectApi;
  readonly #version: k8s.VersionApi;
  readonly #customObjects: k8s.CustomObjectsApi;

  static fromConfig(
    cluster: ClusterConfig,
    options: KubernetesClusterClientOptions = {},
  ): KubernetesClusterClient {
    const details = authDetailsOf(cluster);
    const auth =
      options.authStrategies &&
      new ClusterAuth(details, options.authStrategies);
    const token = cluster.serviceAccountToken;
    const kubeConfig = credentialKubeConfig(details, async () => {
      if (auth) return auth.serviceCredential();
      return token ? { type: 'bearer token', token } : { type: 'anonymous' };
    });
    const transport =
      options.transport ??
      (cluster.url.startsWith('https:') ? 'http2' : 'http1');
    return new KubernetesClusterClient(details, kubeConfig, {
      transport,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      auth,
    });
  }

  private constructor(
    cluster: ClusterAuthDetails,
    kubeConfig: k8s.KubeConfig,
    {
      transport,
      watchTimeoutSeconds,
      auth,
    }: {
      transport?: KubernetesTransport;
      watchTimeoutSeconds?: number;
      auth?: ClusterAuth;
    },
  ) {
    this.name = cluster.name;
    this.#cluster = cluster;
    this.#auth = auth;
    this.#kubeConfig = kubeConfig;
    this.#watchTimeoutSeconds = watchTimeoutSeconds;
    if (transport === 'http2') this.#http2 = new Http2SessionPool(kubeConfig);
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
    const pool = this.#http2;
    const readPage = pool
      ? await this.#http2PageReader(pool, apiVersion, kind, options)
      : (token?: string) => this.#listPage(apiVersion, kind, options, token);
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await readPage(continueToken);
      for (const item of page.items) {
        // List items carry no apiVersion/kind of their own. The client's
        // models of built-in kinds become plain JSON; the HTTP/2 pages are
        // the server's JSON already, used as they are, without a copy.
        const plain = (pool ? item : toPlainObject(item)) as KubernetesObject;
        plain.apiVersion = apiVersion;
        plain.kind = kind;
        items.push(plain);
      }
      continueToken = continueOf(page.metadata);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** Reads one page of a list from a continue token, over HTTP/2. */
  async #http2PageReader(
    pool: Http2SessionPool,
    apiVersion: string,
    kind: string,
    options: ListOptions,
  ) {
    const what = `list ${kind}`;
    const path = await this.#call(what, () =>
      this.#objects.collectionPath(apiVersion, kind, options.namespace),
    );
    return async (continueToken?: string) => {
      const page = (await this.#getJson(
        pool,
        what,
        withQuery(path, {
          limit: String(options.pageSize ?? DEFAULT_PAGE_SIZE),
          continue: continueToken,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        }),
      )) as {
        items?: KubernetesObject[];
        metadata?: { continue?: string; resourceVersion?: string };
      };
      return { items: page.items ?? [], metadata: page.metadata };
    };
  }

  async #getJson(
    pool: Http2SessionPool,
    what: string,
    path: string,
  ): Promise<unknown> {
    const read = async () => {
      let response: Http2Response;
      let body: string;
      try {
        response = await pool.get(path);
        body = await readBody(response.stream);
      } catch (error) {
        throw errorOfFailure(this.name, what, error);
      }
      if (response.status < 200 || response.status >= 300) {
        throw errorOfStatus(this.name, what, response.status, body);
      }
      return { response, body };
    };
    const { response, body } = await this.#againOn401(read);
    try {
      return JSON.parse(body);
    } catch {
      throw errorOfFailure(
        this.name,
        what,
        new Error(`the response (HTTP ${response.status}) is not JSON`),
      );
    }
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
    if (this.#http2) {
      return this.#watchOverHttp2(
        this.#http2,
        apiVersion,
        kind,
        options,
        onEvent,
        onDone,
      );
    }
    const path = await this.#call(`watch ${kind}`, () =>
      this.#objects.collectionPath(apiVersion, kind, options.namespace),
    );
    let stopped = false;
    const controller = await new k8s.Watch(this.#kubeConfig).watch(
      path,
      {
        allowWatchBookmarks: true,
        timeoutSeconds: this.#watchTimeout(),
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
          onDone(errorOfWatchEvent(this.name, kind, object));
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
        const wrapped = error ? this.#wrap(`watch ${kind}`, error) : undefined;
        // The watcher's next attempt then asks for a fresh credential.
        if (wrapped) this.#refreshedOn401(wrapped);
        onDone(wrapped);
      },
    );
    return {
      stop() {
        stopped = true;
        controller.abort();
      },
    };
  }

  /**
   * A watch as one stream of the cluster's HTTP/2 connection. A status
   * other than 200 is thrown; afterwards `onDone` is told once: without an
   * error when the server ends the watch, with one when it sends an ERROR
   * event (410 Expired: relist), a line that is not a watch event, or when
   * the stream or its connection breaks.
   */
  async #watchOverHttp2(
    pool: Http2SessionPool,
    apiVersion: string,
    kind: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ): Promise<WatchHandle> {
    const what = `watch ${kind}`;
    const path = await this.#call(what, () =>
      this.#objects.collectionPath(apiVersion, kind, options.namespace),
    );
    const open = async () => {
      let opened: Http2Response;
      try {
        opened = await pool.get(
          withQuery(path, {
            watch: 'true',
            allowWatchBookmarks: 'true',
            timeoutSeconds: this.#watchTimeout()?.toString(),
            resourceVersion: options.resourceVersion,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
          }),
        );
      } catch (error) {
        throw errorOfFailure(this.name, what, error);
      }
      if (opened.status !== 200) {
        const body = await readBody(opened.stream).catch(() => '');
        throw errorOfStatus(this.name, what, opened.status, body);
      }
      return opened;
    };
    const { stream } = await this.#againOn401(open);
    let done = false;
    const cancel = () => {
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      cancel();
      onDone(error);
    };
    const malformed = () =>
      finish(
        errorOfFailure(
          this.name,
          what,
          new Error('the server sent a line that is not a watch event'),
        ),
      );
    const handleLine = (line: string) => {
      let event: { type?: unknown; object?: KubernetesObject };
      try {
        event = JSON.parse(line);
      } catch {
        malformed();
        return;
      }
      const { type, object } = event;
      if (type === 'ERROR') {
        // e.g. 410 Expired: the owner relists.
        finish(errorOfWatchEvent(this.name, kind, object));
        return;
      }
      if (!WATCH_EVENT_TYPES.has(type as string) || !object?.metadata) {
        malformed();
        return;
      }
      object.apiVersion ??= apiVersion;
      object.kind ??= kind;
      onEvent({ type: type as WatchEvent['type'], object });
    };
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (!done && newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) handleLine(line);
        newline = pending.indexOf('\n');
      }
    });
    // A connection that breaks also ends its streams, with a code that says so.
    stream.on('close', () =>
      finish(
        stream.rstCode === http2.constants.NGHTTP2_NO_ERROR
          ? undefined
          : errorOfFailure(
              this.name,
              what,
              new Error(
                `the watch stream broke (HTTP/2 code ${stream.rstCode})`,
              ),
            ),
      ),
    );
    return {
      stop() {
        done = true;
        cancel();
      },
    };
  }

  #watchTimeout(): number | undefined {
    const base = this.#watchTimeoutSeconds;
    return base === undefined
      ? undefined
      : Math.round(base * (1 + Math.random()));
  }

  /**
   * This cluster as the signed-in user writes to it: where its
   * `authProvider` carries the user's own token (`oidc`, `google`, `aks`),
   * reads stay PlatformOps' (what an object is, is decided from the
   * cluster) and writes carry the user's token, so the cluster's RBAC
   * decides too; otherwise this client. Throws AuthenticationError (401)
   * naming the header when `requestAuth` lacks the user's token.
   */
  async asSignedInUser(
    requestAuth: KubernetesRequestAuth,
  ): Promise<ClusterClient> {
    const auth = this.#auth;
    if (!auth?.signedInUser) return this;
    const credential = await auth.userCredential(requestAuth);
    const writer = new KubernetesClusterClient(
      this.#cluster,
      credentialKubeConfig(this.#cluster, async () => credential),
      { transport: 'http1' },
    );
    return new SignedInUserClient(this, writer, auth.userHeader);
  }

  /** Ends the cluster's HTTP/2 connections; for shutdown and tests. */
  close(): void {
    this.#http2?.close();
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.#againOn401(async () => {
      try {
        return await fn();
      } catch (error) {
        throw this.#wrap(what, error);
      }
    });
  }

  /**
   * Runs a request; when the cluster answers 401, asks the strategy for a
   * fresh service credential (an expired AWS or Google token) and runs it
   * once more. A refused request changed nothing, so a write is safe to
   * send again.
   */
  async #againOn401<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!this.#refreshedOn401(error as Error)) throw error;
      return await request();
    }
  }

  /** Whether the error is a 401 after which a fresh credential is worth asking. */
  #refreshedOn401(error: Error): boolean {
    if (
      !this.#auth ||
      !(error instanceof ClusterRequestError) ||
      error.statusCode !== 401
    ) {
      return false;
    }
    this.#auth.refreshServiceCredential();
    return true;
  }

  #wrap(what: string, error: unknown): Error {
    if (error instanceof k8s.ApiException) {
      return errorOfStatus(
        this.name,
        what,
        error.code,
        error.body,
        error.message,
      );
    }
    const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof status === 'number') {
      // The watch of client-node: an HTTP error status without its body.
      return errorOfStatus(this.name, what, status, undefined, String(error));
    }
    return errorOfFailure(this.name, what, error);
  }
}

/** A cluster's strategy view; a cluster without `authMetadata` has its token's. */
function authDetailsOf(cluster: ClusterConfig): ClusterAuthDetails {
  return {
    name: cluster.name,
    url: cluster.url,
    caData: cluster.caData,
    caFile: cluster.caFile,
    skipTLSVerify: cluster.skipTLSVerify,
    authMetadata: cluster.authMetadata ?? {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: cluster.authProvider,
      ...(cluster.serviceAccountToken && {
        serviceAccountToken: cluster.serviceAccountToken,
      }),
    },
  };
}

function withQuery(path: string, query: Record<string, string | undefined>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The whole body of a response; rejects when the stream breaks first. */
function readBody(stream: http2.ClientHttp2Stream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    // A connection that breaks also ends its streams, with a code that says so.
    stream.once('close', () => {
      if (stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
        resolve(Buffer.concat(chunks).toString('utf8'));
      } else {
        reject(
          new Error(`the response broke off (HTTP/2 code ${stream.rstCode})`),
        );
      }
    });
  });
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
