import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  KubernetesObject,
  StatusSignal,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterObjectCache,
  CrossplaneObjectCache,
  StatusSource,
} from '@platformops/plugin-crossplane-node';
import { kubernetesObjectsOf } from './entityLabels';
import { Readable } from './readableObjects';

/** What a source of labelled objects looks at in one cluster. */
export interface LabelledObjects {
  cache: ClusterObjectCache;
  /** Whether an object belongs to the entity (see {@link kubernetesObjectsOf}). */
  belongs: (object: KubernetesObject) => boolean;
  /** Whether the caller may read an object of this cluster. */
  visible: (object: KubernetesObject) => boolean;
}

/**
 * A status source of the cluster objects that belong to an entity by the
 * Kubernetes plugin's annotations (see {@link kubernetesObjectsOf}), read
 * from the shared object cache of every cluster; an entity without them
 * has no signals. Subclasses
 * say what each cluster's objects signal, showing only visible ones.
 */
export abstract class LabelledObjectsStatusSource implements StatusSource {
  abstract readonly id: string;
  abstract readonly title: string;
  readonly #cache: CrossplaneObjectCache;
  readonly #readable: (credentials: BackstageCredentials) => Promise<Readable>;

  constructor(options: {
    cache: CrossplaneObjectCache;
    readable: (credentials: BackstageCredentials) => Promise<Readable>;
  }) {
    this.#cache = options.cache;
    this.#readable = options.readable;
  }

  async signalsFor(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<StatusSignal[]> {
    const belongs = kubernetesObjectsOf(entity);
    if (!belongs) return [];
    const readable = await this.#readable(options.credentials);
    return this.#cache.caches().flatMap(cache =>
      this.signalsOf({
        cache,
        belongs,
        visible: object => readable.object(cache.cluster, object),
      }),
    );
  }

  protected abstract signalsOf(objects: LabelledObjects): StatusSignal[];
}
