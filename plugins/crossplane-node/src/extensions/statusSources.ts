import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { StatusSignal } from '@platformops/plugin-crossplane-common';

/**
 * Something that knows about the state of catalog entities: CI runs,
 * incidents, alerts, the suite's own workloads and Crossplane resources.
 * Its signals join the entity's roll-up (`GET /api/crossplane/rollup`).
 *
 * @public
 */
export interface StatusSource {
  /** Stable id, e.g. `ci-runs`; set as `source` on its signals. */
  id: string;
  /** Shown as the heading of its signals, e.g. `CI runs`. */
  title: string;
  /**
   * The signals about one entity, in any order. Called with the caller's
   * credentials: a source shows only what that user may see (ask the
   * other plugin with them, or check permissions). An entity the source
   * knows nothing about has no signals. A thrown error is shown on this
   * source's result; the other sources still answer.
   */
  signalsFor(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<StatusSignal[]>;
}

/**
 * Where backend modules add status sources to the Crossplane plugin.
 *
 * @public
 */
export interface CrossplaneStatusSourcesExtensionPoint {
  addStatusSource(...sources: Array<StatusSource | StatusSource[]>): void;
}

/**
 * The extension point of status sources, for modules of the `crossplane`
 * plugin:
 *
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'crossplane',
 *   moduleId: 'ci-runs',
 *   register(env) {
 *     env.registerInit({
 *       deps: { sources: crossplaneStatusSourcesExtensionPoint },
 *       async init({ sources }) {
 *         sources.addStatusSource(new CiRunsStatusSource());
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const crossplaneStatusSourcesExtensionPoint =
  createExtensionPoint<CrossplaneStatusSourcesExtensionPoint>({
    id: 'crossplane.status-sources',
  });
