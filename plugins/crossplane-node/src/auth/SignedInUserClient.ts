import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import type { KubernetesRequestAuth } from '@backstage/plugin-kubernetes-common';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { ClusterRequestError } from '../client/ClusterRequestError';
import {
  ApplyOptions,
  ClusterClient,
  DeleteOptions,
  ObjectLocator,
  PatchOptions,
} from '../client/types';

/**
 * A cluster as the signed-in user writes to it: reads (discovery, lists,
 * gets, watches) are PlatformOps' own, so what an object is comes from the
 * cluster as PlatformOps sees it; writes carry the user's token, so the
 * cluster's RBAC decides them too. The cluster refusing the user answers
 * 403 with the API server's reason; refusing the token, 401 naming the
 * header it came in.
 */
export class SignedInUserClient implements ClusterClient {
  readonly name: string;
  readonly #reads: ClusterClient;
  readonly #writes: ClusterClient;
  readonly #header: string;

  constructor(reads: ClusterClient, writes: ClusterClient, header: string) {
    this.name = reads.name;
    this.#reads = reads;
    this.#writes = writes;
    this.#header = header;
  }

  version: ClusterClient['version'] = () => this.#reads.version();
  discover: ClusterClient['discover'] = (apiVersion, kind) =>
    this.#reads.discover(apiVersion, kind);
  list: ClusterClient['list'] = (apiVersion, kind, options) =>
    this.#reads.list(apiVersion, kind, options);
  get: ClusterClient['get'] = locator => this.#reads.get(locator);
  watch: ClusterClient['watch'] = (...args) => this.#reads.watch(...args);

  apply(object: KubernetesObject, options: ApplyOptions) {
    return this.#asUser(() => this.#writes.apply(object, options));
  }

  patchAnnotations(
    locator: ObjectLocator,
    annotations: Record<string, string | null>,
    options: PatchOptions,
  ) {
    return this.#asUser(() =>
      this.#writes.patchAnnotations(locator, annotations, options),
    );
  }

  patchSpec(
    locator: ObjectLocator,
    spec: Record<string, unknown>,
    options: PatchOptions,
  ) {
    return this.#asUser(() => this.#writes.patchSpec(locator, spec, options));
  }

  delete(locator: ObjectLocator, options?: DeleteOptions) {
    return this.#asUser(() => this.#writes.delete(locator, options));
  }

  /** Already the user's. */
  async asSignedInUser(_requestAuth: KubernetesRequestAuth) {
    return this;
  }

  async #asUser<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof ClusterRequestError && error.statusCode === 403) {
        throw new NotAllowedError(
          `cluster ${
            this.name
          } refused the write as the signed-in user: ${reasonOf(error)}`,
        );
      }
      if (error instanceof ClusterRequestError && error.statusCode === 401) {
        throw new AuthenticationError(
          `${this.#header}: cluster ${
            this.name
          } did not accept the token (expired or not for this cluster); sign in again`,
        );
      }
      throw error;
    }
  }
}

/** What was refused and the API server's words, without the cluster prefix. */
function reasonOf(error: ClusterRequestError): string {
  return error.message.replace(/^cluster [^:]+: /, '');
}
