/*
 * Ingestion on the real local control plane: two API servers with Crossplane
 * and the demo content, the real catalog backend on SQLite and PostgreSQL.
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const EAST = { name: 'itest', port: 6643 };
const WEST = { name: 'itest2', port: 6743 };

// SQLite always; PostgreSQL when the check command started one
// (scripts/postgres.sh exports PLATFORMOPS_TEST_POSTGRES_URL).
const databases: [string, JsonObject][] = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
];
if (process.env.PLATFORMOPS_TEST_POSTGRES_URL) {
  databases.push([
    'PostgreSQL',
    {
      client: 'pg',
      connection: process.env.PLATFORMOPS_TEST_POSTGRES_URL,
      // A fresh set of databases per run: nothing left from an earlier one.
      prefix: `itest_${Date.now().toString(36)}_`,
    },
  ]);
}

describe.each(databases)(
  'Crossplane ingestion on the local control plane (%s)',
  (_name, database) => {
    let east: any;
    let west: any;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let eastClient: KubernetesClusterClient;

    const entities = async (filter: string): Promise<Entity[]> => {
      const res = await fetch(
        `http://localhost:${backend.server.port()}/api/catalog/entities?filter=${encodeURIComponent(
          filter,
        )}`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      return res.json();
    };
    const entity = async (ref: string): Promise<Entity | undefined> => {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      const res = await fetch(
        `http://localhost:${backend.server.port()}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      return res.ok ? res.json() : undefined;
    };

    beforeAll(async () => {
      east = controlPlane.ensureControlPlane({
        ...EAST,
        seed: true,
        waitReady: true,
      });
      west = controlPlane.ensureControlPlane({
        ...WEST,
        seed: true,
        waitReady: true,
      });
      eastClient = KubernetesClusterClient.fromConfig({
        ...east.backstageCluster,
        skipTLSVerify: false,
      });
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleCrossplane,
          catalogModuleTemplateKind,
          databaseServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: { database },
              catalog: {
                processingInterval: { seconds: 1 },
                providers: { crossplane: { debounceMs: 200 } },
              },
              kubernetes: {
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [east.backstageCluster, west.backstageCluster],
                  },
                ],
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await eastClient
        ?.delete({
          apiVersion: 'storage.platformops.io/v1alpha1',
          kind: 'ObjectBucket',
          namespace: 'team-alpha',
          name: 'itest-bucket',
        })
        .catch(() => undefined);
      await backend?.stop();
      // Leave west running for the next run, whatever happened.
      controlPlane.ensureControlPlane(WEST);
    });

    it('ingests both clusters: claims with their composites, managed resources and owners', async () => {
      const claim = await waitFor('the payments-db claim of itest', () =>
        entity(
          'component:default/payments-db.postgresqlinstance.team-alpha.itest',
        ),
      );
      expect(claim.spec).toMatchObject({
        type: 'crossplane-claim',
        owner: 'group:default/team-alpha',
      });
      const [composite] = claim.spec!.dependsOn as string[];
      const xr = await waitFor('its composite', () => entity(composite));
      expect(xr.spec?.type).toBe('crossplane-xr');
      expect((xr.spec?.dependsOn as string[]).length).toBeGreaterThan(0);
      expect(
        await waitFor('the same claim of itest2', () =>
          entity(
            'component:default/payments-db.postgresqlinstance.team-alpha.itest2',
          ),
        ),
      ).toBeDefined();
      const failing = await waitFor('the failing claim', () =>
        entity(
          'component:default/analytics-db.postgresqlinstance.team-beta.itest',
        ),
      );
      expect(failing.metadata.annotations?.['platformops.io/health']).not.toBe(
        'Healthy',
      );
    });

    it('generates one template per XRD, offering both clusters', async () => {
      const template = await waitFor('the ObjectBucket template', async () => {
        const found = await entity(
          'template:default/objectbucket.storage.platformops.io',
        );
        return found?.metadata.annotations?.['platformops.io/clusters'] ===
          'itest,itest2'
          ? found
          : undefined;
      });
      const delivery = (template.spec!.parameters as any[]).at(-1);
      expect(delivery.properties.cluster.enum).toEqual(['itest', 'itest2']);
      // The two clusters serve the same XRDs: one template each, not two.
      const templates = await entities('kind=template');
      await waitFor('one XRD API entity of itest per template', async () => {
        const xrds = await entities(
          'kind=api,spec.type=crossplane-xrd,metadata.annotations.platformops.io/cluster=itest',
        );
        return xrds.length === templates.length ? true : undefined;
      });
      expect(templates.length).toBeGreaterThan(0);
    });

    it('follows a claim created, updated and deleted in the cluster', async () => {
      const ref =
        'component:default/itest-bucket.objectbucket.team-alpha.itest';
      const bucket = (labels: Record<string, string>) => ({
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'ObjectBucket',
        metadata: { name: 'itest-bucket', namespace: 'team-alpha', labels },
        spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
      });
      await eastClient.apply(bucket({ 'platformops.io/owner': 'team-alpha' }), {
        fieldManager: 'itest',
        force: true,
      });
      const created = await waitFor('the new claim in the catalog', () =>
        entity(ref),
      );
      expect(created.spec?.owner).toBe('group:default/team-alpha');

      await eastClient.apply(bucket({ 'platformops.io/owner': 'team-gamma' }), {
        fieldManager: 'itest',
        force: true,
      });
      await waitFor('the new owner', async () =>
        (await entity(ref))?.spec?.owner === 'group:default/team-gamma'
          ? true
          : undefined,
      );

      await eastClient.delete({
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'ObjectBucket',
        namespace: 'team-alpha',
        name: 'itest-bucket',
      });
      await waitFor(
        'the claim to leave the catalog',
        async () => ((await entity(ref)) ? undefined : true),
        120_000,
      );
    });

    it('keeps the entities of a stopped API server and converges when it is back', async () => {
      const westEntities = async () =>
        (await entities('metadata.annotations.platformops.io/cluster=itest2'))
          .map(e => e.metadata.name)
          .sort();
      const before = await waitFor('itest2 entities', async () => {
        const names = await westEntities();
        return names.length > 20 ? names : undefined;
      });
      const templates = async () =>
        (await entities('kind=template'))
          .map(
            e =>
              `${e.metadata.name} ${e.metadata.annotations?.['platformops.io/clusters']}`,
          )
          .sort();
      const templatesBefore = await templates();

      controlPlane.stopControlPlane(WEST);
      // Long enough for the watches to fail, retry and for a resync to run.
      await new Promise(r => setTimeout(r, 8_000));
      expect(await westEntities()).toEqual(before);
      // Its templates still offer it: a run there fails naming the cluster.
      expect(await templates()).toEqual(templatesBefore);

      controlPlane.ensureControlPlane(WEST);
      await new Promise(r => setTimeout(r, 5_000));
      const after = await westEntities();
      expect(after).toEqual(before);
      expect(new Set(after).size).toBe(after.length);
    });
  },
);
