import { ConflictError, NotFoundError } from '@backstage/errors';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
// Through the package's name, so that the test utilities' API names the
// main entry point's types instead of copies of them.
import type {
  ApplyOptions,
  ClusterClient,
  DeleteOptions,
  ListOptions,
  ListResult,
  ObjectLocator,
  PatchOptions,
  ServedKind,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from '@platformops/plugin-crossplane-node';

type Subscriber = {
  kind: string;
  namespace?: string;
  name?: string;
  onEvent: (event: WatchEvent) => void;
};

const BUILT_IN_KINDS: Record<string, ServedKind> = {
  'v1|Secret': { plural: 'secrets', namespaced: true },
  'v1|ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1|Namespace': { plural: 'namespaces', namespaced: false },
  'v1|Event': { plural: 'events', namespaced: true },
  'apps/v1|Deployment': { plural: 'deployments', namespaced: true },
  'rbac.authorization.k8s.io/v1|ClusterRoleBinding': {
    plural: 'clusterrolebindings',
    namespaced: false,
  },
};

function keyOf(l: { kind: string; namespace?: string; name: string }) {
  return `${l.kind}|${l.namespace ?? ''}|${l.name}`;
}

/** RFC 7386: objects merge, null removes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    return patch;
  }
  const merged: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = mergePatch(merged[key], value);
  }
  return merged;
}

/**
 * A `ClusterClient` that keeps objects in memory, for unit tests of
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

  /**
   * Served kinds: a few built-in ones, those of the stored CRDs, and, as
   * Crossplane would create their CRDs, the kinds of the stored XRDs.
   */
  async discover(
    apiVersion: string,
    kind: string,
  ): Promise<ServedKind | undefined> {
    const builtIn = BUILT_IN_KINDS[`${apiVersion}|${kind}`];
    if (builtIn) return builtIn;
    const slash = apiVersion.indexOf('/');
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const servesVersion = (spec: Record<string, any>) =>
      (spec.versions ?? []).some(
        (v: { name: string; served?: boolean }) =>
          v.name === version && v.served !== false,
      );
    for (const object of this.#objects.values()) {
      const spec = object.spec ?? {};
      if (spec.group !== group) continue;
      if (object.kind === 'CustomResourceDefinition') {
        if (spec.names?.kind !== kind || !servesVersion(spec)) continue;
        return {
          plural: spec.names.plural,
          namespaced: spec.scope === 'Namespaced',
        };
      }
      if (
        object.kind === 'CompositeResourceDefinition' &&
        servesVersion(spec)
      ) {
        if (spec.claimNames?.kind === kind) {
          return { plural: spec.claimNames.plural, namespaced: true };
        }
        if (spec.names?.kind === kind) {
          const v2 = object.apiVersion.endsWith('/v2');
          const scope = spec.scope ?? (v2 ? 'Namespaced' : 'Cluster');
          return {
            plural: spec.names.plural,
            namespaced: scope === 'Namespaced',
          };
        }
      }
    }
    return undefined;
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

  async patchAnnotations(
    locator: ObjectLocator,
    annotations: Record<string, string | null>,
    options: PatchOptions,
  ) {
    this.requests.push(
      `patch ${locator.kind} ${locator.namespace ?? ''}/${
        locator.name
      } ${JSON.stringify(annotations)}${options.dryRun ? ' (dry run)' : ''}`,
    );
    const object = this.#objects.get(keyOf(locator));
    if (!object) {
      throw new NotFoundError(
        `${locator.kind} ${locator.namespace ?? ''}/${locator.name} not found`,
      );
    }
    const merged: Record<string, string> = {
      ...(object.metadata.annotations as Record<string, string> | undefined),
    };
    for (const [key, value] of Object.entries(annotations)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const patched = {
      ...object,
      metadata: { ...object.metadata, annotations: merged },
    };
    if (options.dryRun) return patched;
    return this.put(patched, this.#managers.get(keyOf(locator)));
  }

  async patchSpec(
    locator: ObjectLocator,
    spec: Record<string, unknown>,
    options: PatchOptions,
  ) {
    this.requests.push(
      `patch ${locator.kind} ${locator.namespace ?? ''}/${
        locator.name
      } spec ${JSON.stringify(spec)}${options.dryRun ? ' (dry run)' : ''}`,
    );
    const object = this.#objects.get(keyOf(locator));
    if (!object) {
      throw new NotFoundError(
        `${locator.kind} ${locator.namespace ?? ''}/${locator.name} not found`,
      );
    }
    const patched = {
      ...object,
      spec: mergePatch(object.spec, spec) as Record<string, unknown>,
    };
    if (options.dryRun) return patched;
    return this.put(patched, this.#managers.get(keyOf(locator)));
  }

  async delete(locator: ObjectLocator, options: DeleteOptions = {}) {
    this.requests.push(
      `delete ${locator.kind} ${locator.namespace ?? ''}/${locator.name}${
        options.dryRun ? ' (dry run)' : ''
      }`,
    );
    if (!this.#objects.has(keyOf(locator))) return false;
    if (!options.dryRun) this.remove(locator);
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
