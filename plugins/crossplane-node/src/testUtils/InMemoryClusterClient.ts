import { ConflictError } from '@backstage/errors';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  ApplyOptions,
  ClusterClient,
  ListOptions,
  ListResult,
  ObjectLocator,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from '../client/types';

type Subscriber = {
  kind: string;
  namespace?: string;
  name?: string;
  onEvent: (event: WatchEvent) => void;
};

function keyOf(l: { kind: string; namespace?: string; name: string }) {
  return `${l.kind}|${l.namespace ?? ''}|${l.name}`;
}

/**
 * A {@link ClusterClient} that keeps objects in memory, for unit tests of
 * code that uses a cluster. Apply replaces the stored object (or reports a
 * conflict for fields owned by another manager when `conflictsWith` names
 * it), delete removes it, watches see every change. Integration tests use
 * the local control plane instead.
 *
 * @public
 */
export class InMemoryClusterClient implements ClusterClient {
  readonly #objects = new Map<string, KubernetesObject>();
  readonly #managers = new Map<string, string>();
  readonly #subscribers = new Set<Subscriber>();
  readonly #listErrors = new Map<string, Error>();
  #resourceVersion = 1;
  /** Every request, e.g. `apply PostgreSQLInstance team-a/db (dry run)`. */
  readonly requests: string[] = [];

  constructor(
    readonly name: string = 'memory',
    objects: KubernetesObject[] = [],
  ) {
    objects.forEach(o => this.put(o));
  }

  /** Stores an object as if another client had written it. */
  put(object: KubernetesObject, fieldManager = 'kubectl'): KubernetesObject {
    const key = keyOf({ ...object.metadata, kind: object.kind });
    const existed = this.#objects.has(key);
    const stored: KubernetesObject = {
      ...object,
      metadata: {
        ...object.metadata,
        uid:
          object.metadata.uid ??
          this.#objects.get(key)?.metadata.uid ??
          `uid-${this.#resourceVersion}`,
        resourceVersion: String(++this.#resourceVersion),
      },
    };
    this.#objects.set(key, stored);
    this.#managers.set(key, fieldManager);
    this.#notify(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  /** Removes an object as if it had been deleted by the cluster. */
  remove(locator: ObjectLocator): void {
    const key = keyOf(locator);
    const object = this.#objects.get(key);
    if (!object) return;
    this.#objects.delete(key);
    this.#notify('DELETED', object);
  }

  /**
   * Makes every list of `kind` fail with `error`, as a kind whose conversion
   * webhook is down or that the credentials may not list; without an error,
   * the kind lists again.
   */
  failLists(kind: string, error?: Error): void {
    if (error) this.#listErrors.set(kind, error);
    else this.#listErrors.delete(kind);
  }

  async version() {
    return { gitVersion: 'v1.34.4', major: '1', minor: '34' };
  }

  async list(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<ListResult> {
    this.requests.push(`list ${kind}`);
    const error = this.#listErrors.get(kind);
    if (error) throw error;
    const items = [...this.#objects.values()].filter(
      o =>
        o.kind === kind &&
        o.apiVersion === apiVersion &&
        (!options.namespace || o.metadata.namespace === options.namespace),
    );
    return { items, resourceVersion: String(this.#resourceVersion) };
  }

  async get(locator: ObjectLocator) {
    this.requests.push(
      `get ${locator.kind} ${locator.namespace ?? ''}/${locator.name}`,
    );
    return this.#objects.get(keyOf(locator));
  }

  async apply(object: KubernetesObject, options: ApplyOptions) {
    const { kind, metadata } = object;
    this.requests.push(
      `apply ${kind} ${metadata.namespace ?? ''}/${metadata.name}${
        options.dryRun ? ' (dry run)' : ''
      }`,
    );
    const key = keyOf({ ...metadata, kind });
    const manager = this.#managers.get(key);
    if (manager && manager !== options.fieldManager && !options.force) {
      throw new ConflictError(
        `Apply failed with 1 conflict: conflict with "${manager}"`,
      );
    }
    if (options.dryRun) return object;
    return this.put(object, options.fieldManager);
  }

  async delete(locator: ObjectLocator) {
    this.requests.push(
      `delete ${locator.kind} ${locator.namespace ?? ''}/${locator.name}`,
    );
    if (!this.#objects.has(keyOf(locator))) return false;
    this.remove(locator);
    return true;
  }

  async watch(
    _apiVersion: string,
    kind: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
  ): Promise<WatchHandle> {
    const name = options.fieldSelector?.match(/metadata\.name=([^,]+)/)?.[1];
    const subscriber = { kind, namespace: options.namespace, name, onEvent };
    this.#subscribers.add(subscriber);
    return { stop: () => this.#subscribers.delete(subscriber) };
  }

  #notify(type: WatchEvent['type'], object: KubernetesObject) {
    for (const s of this.#subscribers) {
      if (s.kind !== object.kind) continue;
      if (s.namespace && s.namespace !== object.metadata.namespace) continue;
      if (s.name && s.name !== object.metadata.name) continue;
      s.onEvent({ type, object });
    }
  }
}
