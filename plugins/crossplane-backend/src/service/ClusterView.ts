import {
  buildResourceTrees,
  indexResources,
  KubernetesObject,
  parseXrd,
  ResourceIndex,
  ResourceTreeNode,
  Xrd,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';

/**
 * The indexed objects and resource trees of one cluster, computed once per
 * change of its cache rather than once per request.
 */
export class ClusterView {
  #generation = 0;
  #computed?: {
    generation: number;
    index: ResourceIndex;
    trees: ResourceTreeNode[];
    xrdByKind: Map<string, Xrd>;
  };

  constructor(readonly cache: ClusterObjectCache) {
    cache.subscribe(() => {
      this.#generation += 1;
    });
  }

  get cluster(): string {
    return this.cache.cluster;
  }

  index(): ResourceIndex {
    return this.#compute().index;
  }

  trees(): ResourceTreeNode[] {
    return this.#compute().trees;
  }

  /** The XRD that defines a claim or composite kind (`group|kind`). */
  xrdOf(object: KubernetesObject): Xrd | undefined {
    const group = object.apiVersion.split('/')[0];
    return this.#compute().xrdByKind.get(`${group}|${object.kind}`);
  }

  #compute() {
    if (this.#computed?.generation === this.#generation) return this.#computed;
    const generation = this.#generation;
    const objects = this.cache.objects();
    const xrds: Xrd[] = [];
    const xrdByKind = new Map<string, Xrd>();
    for (const object of objects) {
      if (object.kind !== 'CompositeResourceDefinition') continue;
      try {
        const xrd = parseXrd(object);
        xrds.push(xrd);
        xrdByKind.set(`${xrd.group}|${xrd.names.kind}`, xrd);
        if (xrd.claimNames)
          xrdByKind.set(`${xrd.group}|${xrd.claimNames.kind}`, xrd);
      } catch {
        // A malformed XRD defines no kinds.
      }
    }
    const index = indexResources(objects, xrds);
    this.#computed = {
      generation,
      index,
      trees: buildResourceTrees(index),
      xrdByKind,
    };
    return this.#computed;
  }
}
