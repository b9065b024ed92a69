import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CROSSPLANE_ENTITY_ANNOTATIONS,
  CrossplaneObjectId,
  parseObjectId,
  StatusSignal,
} from '@platformops/plugin-crossplane-common';
import { StatusSource } from '@platformops/plugin-crossplane-node';
import { StatusService } from '../StatusService';
import { Readable } from './readableObjects';

/** Most dependencies of one entity looked at. */
export const MAX_DEPENDENCIES = 100;

/** The cluster object an ingested entity stands for, from its annotations. */
function objectOf(entity: Entity): CrossplaneObjectId | undefined {
  const a = entity.metadata.annotations ?? {};
  const A = CROSSPLANE_ENTITY_ANNOTATIONS;
  if (!a[A.cluster] || !a[A.apiVersion] || !a[A.kind] || !a[A.name]) {
    return undefined;
  }
  try {
    return parseObjectId({
      cluster: a[A.cluster],
      apiVersion: a[A.apiVersion],
      kind: a[A.kind],
      namespace: a[A.namespace] || undefined,
      name: a[A.name],
    });
  } catch {
    return undefined;
  }
}

/**
 * The `crossplane` status source: the Crossplane resources an entity
 * depends on (its catalog `dependsOn` relations to entities the Crossplane
 * catalog module ingested), and the entity's own object when it is one,
 * each with its resource tree's rolled-up health from the cluster cache,
 * whose message names the failing resource. The catalog is asked with the
 * caller's credentials and each object passes `crossplane.resource.read`,
 * so a user sees only what they may see.
 */
export class CrossplaneResourcesStatusSource implements StatusSource {
  readonly id = 'crossplane';
  readonly title = 'Crossplane resources';
  readonly #catalog: CatalogService;
  readonly #status: StatusService;
  readonly #readable: (credentials: BackstageCredentials) => Promise<Readable>;

  constructor(options: {
    catalog: CatalogService;
    status: StatusService;
    readable: (credentials: BackstageCredentials) => Promise<Readable>;
  }) {
    this.#catalog = options.catalog;
    this.#status = options.status;
    this.#readable = options.readable;
  }

  async signalsFor(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<StatusSignal[]> {
    const { credentials } = options;
    const refs = [
      ...new Set(
        (entity.relations ?? [])
          .filter(r => r.type === RELATION_DEPENDS_ON)
          .map(r => r.targetRef),
      ),
    ].slice(0, MAX_DEPENDENCIES);
    const dependencies = refs.length
      ? (
          await this.#catalog.getEntitiesByRefs(
            { entityRefs: refs },
            { credentials },
          )
        ).items.filter((e): e is Entity => !!e)
      : [];
    const entities = objectOf(entity)
      ? [entity, ...dependencies]
      : dependencies;
    const targets = entities.flatMap(e => {
      const id = objectOf(e);
      return id ? [{ entity: e, id }] : [];
    });
    if (targets.length === 0) return [];
    const readable = await this.#readable(credentials);
    const signals: StatusSignal[] = [];
    for (const { entity: target, id } of targets) {
      if (!readable.id(id)) continue;
      signals.push(this.#signalOf(target, id));
    }
    return signals;
  }

  #signalOf(entity: Entity, id: CrossplaneObjectId): StatusSignal {
    const entityRef = stringifyEntityRef(entity);
    const base = {
      source: this.id,
      name: `${id.kind} ${id.name}`,
      entityRef,
      link: `/catalog/${
        entity.metadata.namespace ?? 'default'
      }/${entity.kind.toLocaleLowerCase('en-US')}/${entity.metadata.name}`,
    };
    const details: Record<string, string> = { cluster: id.cluster };
    if (id.namespace) details.namespace = id.namespace;
    let tree;
    try {
      tree = this.#status.tree(id);
    } catch {
      // In the catalog but no longer (or not yet) in the cluster's cache.
      return {
        ...base,
        details,
        health: {
          status: 'Unknown',
          reason: 'NotInCluster',
          message: `not found in cluster ${id.cluster}`,
        },
      };
    }
    const culprit = tree.culpritPath?.at(-1);
    if (culprit && tree.culpritPath!.length > 1) {
      details.culprit = `${culprit.kind} ${culprit.name}`;
    }
    const signal: StatusSignal = {
      ...base,
      health: tree.rolledUpHealth,
      details,
    };
    if (tree.rolledUpHealth.since) signal.time = tree.rolledUpHealth.since;
    return signal;
  }
}
