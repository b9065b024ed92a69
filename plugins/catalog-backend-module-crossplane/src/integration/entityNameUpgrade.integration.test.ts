/*
 * Upgrading to entity names with the API group, on the real catalog and
 * the local control plane (itest): a catalog kept in a database file holds
 * the cluster's entities under the names of the earlier scheme
 * (`<name>.<kind>.<namespace>.<cluster>`), written by the cluster's
 * provider; the backend restarts with the new names and its full mutation
 * replaces them, leaving each object with one entity.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  clusterLocation,
  objectEntityName,
} from '@platformops/plugin-crossplane-common';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(300_000);

const CLUSTER = { name: 'itest', port: 6643 };
/** A claim of the demo, under its name in the earlier scheme. */
const CLAIM = {
  group: 'database.platformops.io',
  kind: 'PostgreSQLInstance',
  namespace: 'team-alpha',
  name: 'payments-db',
};
const OLD_NAME = `${CLAIM.name}.postgresqlinstance.${CLAIM.namespace}.${CLUSTER.name}`;
const NEW_NAME = objectEntityName({ cluster: CLUSTER.name, ...CLAIM });

/**
 * The cluster's provider as an earlier version ran it: same provider name
 * and location, the entity of the claim under its earlier name.
 */
const earlierProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'crossplane-earlier-names',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        const location = clusterLocation(CLUSTER.name);
        catalog.addEntityProvider({
          getProviderName: () => `CrossplaneEntityProvider:${CLUSTER.name}`,
          async connect(connection: EntityProviderConnection) {
            const entity: Entity = {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: OLD_NAME,
                namespace: 'default',
                annotations: {
                  [ANNOTATION_LOCATION]: location,
                  [ANNOTATION_ORIGIN_LOCATION]: location,
                  'platformops.io/cluster': CLUSTER.name,
                  'platformops.io/kind': CLAIM.kind,
                  'platformops.io/namespace': CLAIM.namespace,
                  'platformops.io/name': CLAIM.name,
                },
              },
              spec: {
                type: 'crossplane-claim',
                lifecycle: 'production',
                owner: 'group:default/team-alpha',
              },
            };
            await connection.applyMutation({
              type: 'full',
              entities: [{ entity, locationKey: location }],
            });
          },
        });
      },
    });
  },
});

describe('Entity names with the API group, after an upgrade', () => {
  let dir: string;
  let cluster: object;

  const start = (features: any[], data: object = {}) =>
    startTestBackend({
      features: [
        catalogPlugin,
        databaseServiceFactory,
        ...features,
        // The real scheduler: its global lock gives the module its writing windows.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            // One database file per plugin in this directory, kept across
            // the restart.
            backend: {
              database: {
                client: 'better-sqlite3',
                connection: { directory: dir },
              },
            },
            catalog: { processingInterval: { seconds: 1 } },
            ...data,
          },
        }),
      ],
    });

  const claimEntities = async (
    backend: Awaited<ReturnType<typeof start>>,
  ): Promise<string[]> => {
    const filter = [
      `metadata.annotations.platformops.io/cluster=${CLUSTER.name}`,
      `metadata.annotations.platformops.io/name=${CLAIM.name}`,
      `metadata.annotations.platformops.io/namespace=${CLAIM.namespace}`,
      `metadata.annotations.platformops.io/kind=${CLAIM.kind}`,
    ].join(',');
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/catalog/entities?filter=${encodeURIComponent(
        filter,
      )}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    return ((await res.json()) as Entity[]).map(e => e.metadata.name).sort();
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-name-upgrade-'));
    cluster = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    }).backstageCluster;
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces the entities of the earlier names, with no duplicates', async () => {
    const earlier = await start([earlierProvider]);
    try {
      await waitFor('the entity of the earlier name', async () =>
        (await claimEntities(earlier)).includes(OLD_NAME) ? true : undefined,
      );
    } finally {
      await earlier.stop();
    }
    // Kept across a restart (the provider's entities kept while it is not
    // registered, which the catalog otherwise evicts).
    const restarted = await start([], {
      catalog: {
        processingInterval: { seconds: 1 },
        orphanProviderStrategy: 'keep',
      },
    });
    try {
      expect(await claimEntities(restarted)).toEqual([OLD_NAME]);
    } finally {
      await restarted.stop();
    }

    const upgraded = await start([catalogModuleCrossplane], {
      catalog: {
        processingInterval: { seconds: 1 },
        providers: { crossplane: { debounceMs: 200 } },
      },
      kubernetes: {
        clusterLocatorMethods: [{ type: 'config', clusters: [cluster] }],
      },
    });
    try {
      const names = await waitFor(
        'the entity of the new name, alone',
        async () => {
          const found = await claimEntities(upgraded);
          return found.length === 1 && found[0] === NEW_NAME
            ? found
            : undefined;
        },
        120_000,
      );
      expect(names).toEqual([NEW_NAME]);
      expect(NEW_NAME).not.toBe(OLD_NAME);
    } finally {
      await upgraded.stop();
    }
  });
});
