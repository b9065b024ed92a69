import type { KubernetesRequestAuth } from '@backstage/plugin-kubernetes-common';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';

/**
 * Identifies one object in a cluster.
 *
 * @public
 */
export interface ObjectLocator {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Options of a paginated list.
 *
 * @public
 */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size sent as `limit`; the client follows `continue` to the end. */
  pageSize?: number;
}

/**
 * Every object of a kind, and the resourceVersion to watch from.
 *
 * @public
 */
export interface ListResult {
  items: KubernetesObject[];
  resourceVersion: string;
}

/**
 * Options of a server-side apply.
 *
 * @public
 */
export interface ApplyOptions {
  fieldManager: string;
  /** Sent as the API server's `dryRun=All`: validated, admitted, not stored. */
  dryRun?: boolean;
  /** Take over fields owned by another manager. */
  force?: boolean;
}

/**
 * Options of a delete.
 *
 * @public
 */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Sent as the API server's `dryRun=All`: admitted, nothing deleted. */
  dryRun?: boolean;
}

/**
 * Options of a patch of annotations.
 *
 * @public
 */
export interface PatchOptions {
  fieldManager: string;
  /** Sent as the API server's `dryRun=All`: validated, admitted, not stored. */
  dryRun?: boolean;
}

/**
 * A watch event, including BOOKMARK events that only carry a resourceVersion.
 *
 * @public
 */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubernetesObject;
}

/**
 * Options of a watch.
 *
 * @public
 */
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  /** e.g. `metadata.name=orders-db` to watch one object. */
  fieldSelector?: string;
  resourceVersion?: string;
}

/**
 * A running watch; `stop` ends it without calling `onDone` with an error.
 *
 * @public
 */
export interface WatchHandle {
  stop(): void;
}

/**
 * What the Kubernetes API server says about itself.
 *
 * @public
 */
export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
}

/**
 * A kind as the API server's discovery serves it.
 *
 * @public
 */
export interface ServedKind {
  /** The resource (plural) name, e.g. `postgresqlinstances`. */
  plural: string;
  namespaced: boolean;
}

/**
 * Access to one cluster. The only code in PlatformOps that talks to a
 * Kubernetes API server implements this interface.
 *
 * @public
 */
export interface ClusterClient {
  readonly name: string;
  version(): Promise<ServerVersion>;
  /**
   * The kind as the cluster serves it at this apiVersion (fresh discovery
   * when the kind is not in the cached discovery), or undefined when it
   * does not serve it.
   */
  discover(apiVersion: string, kind: string): Promise<ServedKind | undefined>;
  /** Lists every page; throws if the kind is not served. */
  list(
    apiVersion: string,
    kind: string,
    options?: ListOptions,
  ): Promise<ListResult>;
  /** Returns undefined when the object does not exist. */
  get(locator: ObjectLocator): Promise<KubernetesObject | undefined>;
  apply(
    object: KubernetesObject,
    options: ApplyOptions,
  ): Promise<KubernetesObject>;
  /**
   * Sets (a string) or removes (null) annotations of an existing object
   * with a JSON merge patch that holds nothing else, so no other field is
   * touched or taken over; returns the object as stored.
   */
  patchAnnotations(
    locator: ObjectLocator,
    annotations: Record<string, string | null>,
    options: PatchOptions,
  ): Promise<KubernetesObject>;
  /**
   * Changes fields of an existing object's spec with a JSON merge patch
   * that holds nothing else (null removes a field); returns the object as
   * stored.
   */
  patchSpec(
    locator: ObjectLocator,
    spec: Record<string, unknown>,
    options: PatchOptions,
  ): Promise<KubernetesObject>;
  /** Returns false when the object did not exist. */
  delete(locator: ObjectLocator, options?: DeleteOptions): Promise<boolean>;
  watch(
    apiVersion: string,
    kind: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ): Promise<WatchHandle>;
  /**
   * The client for the signed-in user's writes, given the user's cluster
   * tokens of their request: where the cluster's `authProvider` carries the
   * user's own token, writes carry it and reads stay the service's; else
   * this client. Unset: writes are the service's (see `clientForWrites`).
   */
  asSignedInUser?(requestAuth: KubernetesRequestAuth): Promise<ClusterClient>;
}
