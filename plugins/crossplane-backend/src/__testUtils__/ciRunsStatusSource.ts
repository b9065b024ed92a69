import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { StatusSignal } from '@platformops/plugin-crossplane-common';
import {
  crossplaneStatusSourcesExtensionPoint,
  StatusSource,
} from '@platformops/plugin-crossplane-node';

/** A run as the CI server's API answers it. */
interface CiRun {
  id: string;
  pipeline: string;
  status: 'running' | 'passed' | 'failed';
  /** When it started or finished (RFC 3339). */
  at: string;
  url: string;
  message?: string;
}

/**
 * The CI runs of a service, from a CI server's HTTP API
 * (`GET <baseUrl>/runs?entity=component:default/payments-api`): the last
 * run of each pipeline. A finished run is an event, so a failure ages
 * (see `rollupHealth`). The worked example of the README's "Status
 * sources", as code.
 */
export class CiRunsStatusSource implements StatusSource {
  readonly id = 'ci-runs';
  readonly title = 'CI runs';

  constructor(private readonly baseUrl: string) {}

  async signalsFor(
    entity: Entity,
    // The CI server knows nothing of Backstage users; the roll-up has
    // already checked that the caller may see the entity.
    _options: { credentials: BackstageCredentials },
  ): Promise<StatusSignal[]> {
    const entityRef = stringifyEntityRef(entity);
    const res = await fetch(
      `${this.baseUrl}/runs?entity=${encodeURIComponent(entityRef)}`,
    );
    if (!res.ok) throw new Error(`CI server answered ${res.status}`);
    const runs: CiRun[] = await res.json();
    return runs.map(run => ({
      source: this.id,
      name: `${run.pipeline} #${run.id}`,
      health:
        run.status === 'failed'
          ? { status: 'Degraded', reason: 'Failed', message: run.message }
          : {
              status: run.status === 'running' ? 'Progressing' : 'Healthy',
              reason: run.status,
            },
      event: run.status !== 'running',
      time: run.at,
      link: run.url,
    }));
  }
}

/** The module that adds it; `ci.baseUrl` in the configuration. */
export const crossplaneModuleCiRuns = createBackendModule({
  pluginId: 'crossplane',
  moduleId: 'ci-runs',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        sources: crossplaneStatusSourcesExtensionPoint,
      },
      async init({ config, sources }) {
        sources.addStatusSource(
          new CiRunsStatusSource(config.getString('ci.baseUrl')),
        );
      },
    });
  },
});
