import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  describeObjectId,
  identityOf,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import type { CrossplaneEntityTransform } from '@platformops/plugin-crossplane-node';
import { guardEntityChange } from './guardEntityChange';

/**
 * Runs the entity transforms modules added, in order, on each mapped
 * entity, and keeps what they may change (see {@link guardEntityChange}).
 * A transform's failure or refused change is logged once per object per
 * window, not at every write of the cluster.
 */
export class EntityTransforms {
  readonly #transforms: CrossplaneEntityTransform[];
  readonly #logger: LoggerService;
  readonly #logWindowMs: number;
  readonly #now: () => number;
  /** When each message was last logged. */
  readonly #logged = new Map<string, number>();

  constructor(options: {
    transforms: CrossplaneEntityTransform[];
    logger: LoggerService;
    /** How long a message about one object is not repeated. */
    logWindowMs: number;
    now?: () => number;
  }) {
    this.#transforms = options.transforms;
    this.#logger = options.logger;
    this.#logWindowMs = options.logWindowMs;
    this.#now = options.now ?? Date.now;
  }

  /** The entity to emit for an object, as the transforms leave it. */
  apply(entity: Entity, object: KubernetesObject, cluster: string): Entity {
    let current = entity;
    for (const transform of this.#transforms) {
      let answer: Entity | undefined;
      try {
        // Copies: what a transform changes in place is not taken unchecked,
        // and neither the cache nor the next transform sees its changes to
        // the object.
        answer = transform.transform(jsonCopy(current), jsonCopy(object), {
          cluster,
        });
      } catch (error) {
        this.#warnOnce(
          `${transform.id} threw`,
          object,
          cluster,
          `Entity transform ${transform.id} failed for ${this.#describe(
            object,
            cluster,
          )}; its entity is kept as it was: ${error}`,
        );
        continue;
      }
      if (answer === undefined) continue;
      const { entity: next, refused } = guardEntityChange(current, answer);
      if (refused.length > 0) {
        this.#warnOnce(
          `${transform.id} refused ${refused.join(',')}`,
          object,
          cluster,
          `Entity transform ${transform.id} may not change ${refused.join(
            ', ',
          )} of the entity of ${this.#describe(
            object,
            cluster,
          )}; those changes were dropped`,
        );
      }
      current = next;
    }
    return current;
  }

  #describe(object: KubernetesObject, cluster: string): string {
    // The version does not show in the description.
    return describeObjectId({ ...identityOf(object, cluster), version: '' });
  }

  #warnOnce(
    what: string,
    object: KubernetesObject,
    cluster: string,
    message: string,
  ) {
    const now = this.#now();
    const key = `${what}|${cluster}|${
      object.metadata.uid ?? ''
    }|${this.#describe(object, cluster)}`;
    const last = this.#logged.get(key);
    if (last !== undefined && now - last < this.#logWindowMs) return;
    if (this.#logged.size > 10_000) this.#forgetBefore(now - this.#logWindowMs);
    this.#logged.set(key, now);
    this.#logger.warn(message);
  }

  #forgetBefore(time: number) {
    for (const [key, at] of this.#logged) {
      if (at < time) this.#logged.delete(key);
    }
  }
}

/** Entities and cluster objects are JSON; this copies them fastest. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
