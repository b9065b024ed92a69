import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleCrossplane from '@platformops/plugin-catalog-backend-module-crossplane';
import scaffolderModuleCrossplane from '@platformops/plugin-scaffolder-backend-module-crossplane';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crossplanePlugin } from '../plugin';
import { realAuthFeatures } from './startStatusBackend';

/**
 * The portal's Crossplane suite on one test backend, as the integration
 * suites need it: the status plugin, the catalog with the PlatformOps
 * module, the scaffolder with the PlatformOps actions, the real permission
 * backend with the test's policy, and real auth (the test's identity
 * provider). `entities` (templates, users, groups, components, systems)
 * are catalog locations;
 * `config` is added to the top level of the configuration (its `backend`
 * to the test's `backend`).
 */
export async function startPortalBackend(options: {
  /** Names the working directory, e.g. `security`. */
  name: string;
  cluster: JsonObject;
  entities: object[];
  policy: BackendFeature;
  identity: { plugin: BackendFeature };
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  config?: JsonObject;
}) {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `crossplane-${options.name}-`),
  );
  const locations = options.entities.map((entity, i) => {
    const file = path.join(dir, `entity-${i}.yaml`);
    // JSON is YAML: no YAML library needed.
    fs.writeFileSync(file, JSON.stringify(entity));
    return {
      type: 'file',
      target: file,
      rules: [{ allow: ['Template', 'User', 'Group', 'Component', 'System'] }],
    };
  });
  // `backend` of the given config adds to the test's own, not replaces it.
  const { backend: backendConfig, ...config } = options.config ?? {};
  const backend = await startTestBackend({
    features: [
      crossplanePlugin,
      catalogPlugin,
      catalogModuleTemplateKind,
      catalogModuleCrossplane,
      // The real scheduler: its global lock gives the module its writing windows.
      schedulerServiceFactory,
      scaffolderPlugin,
      scaffolderModuleCrossplane,
      ...realAuthFeatures(options),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            // The auth services keep their signing keys in the database.
            database: { client: 'better-sqlite3', connection: ':memory:' },
            workingDirectory: dir,
            ...(backendConfig as JsonObject | undefined),
          },
          permission: { enabled: true },
          catalog: {
            processingInterval: { seconds: 1 },
            locations,
            providers: { crossplane: { debounceMs: 200 } },
          },
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [options.cluster] },
            ],
          },
          ...config,
        },
      }),
    ],
  });
  return {
    backend,
    stop: async () => {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
