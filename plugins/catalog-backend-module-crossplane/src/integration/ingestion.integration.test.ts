/*
 * Ingestion on the real local control plane: two API servers with Crossplane
 * and the demo content, itest on Crossplane v1 (demo/) and itest2 on
 * Crossplane v2 (demo-v2/), the real catalog backend on SQLite and PostgreSQL.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
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
import { objectEntityName } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

/** The entity ref of a claim or XR ingested as a Component. */
function componentRef(
  cluster: string,
  group: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): string {
  return `component:default/${objectEntityName({
    cluster,
    group,
    kind,
    namespace,
    name,
  })}`;
}

const EAST = { name: 'itest', port: 6643 };
const WEST = { name: 'itest2', port: 6743, crossplane: 'v2' };

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
    /**
     * The entity once written with its dependencies (`count` of them, when
     * given). A new catalog gets claims and the XRs no claim stands for
     * first, without them; the rest of the cluster brings them.
     */
    const withDependencies = (ref: string, count?: number) =>
      waitFor(`${ref}, with its dependencies`, async () => {
        const found = await entity(ref);
        const dependsOn = found?.spec?.dependsOn as string[] | undefined;
        return dependsOn && (count === undefined || dependsOn.length === count)
          ? found
          : undefined;
      });

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
          // The real scheduler: its global lock gives the module its writing windows.
          schedulerServiceFactory,
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

    it('ingests the v1 cluster: claims with their composites, managed resources and owners', async () => {
      const claim = await withDependencies(
        componentRef(
          'itest',
          'database.platformops.io',
          'PostgreSQLInstance',
          'team-alpha',
          'payments-db',
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
      const failing = await waitFor('the failing claim', () =>
        entity(
          componentRef(
            'itest',
            'database.platformops.io',
            'PostgreSQLInstance',
            'team-beta',
            'analytics-db',
          ),
        ),
      );
      expect(failing.metadata.annotations?.['platformops.io/health']).not.toBe(
        'Healthy',
      );
    });

    it('generates one template per XRD, offering only the clusters that serve it', async () => {
      const offered = async (name: string) => {
        const found = await entity(`template:default/${name}`);
        return (found?.spec?.parameters as any[] | undefined)?.find(
          page => page.title === 'Delivery',
        )?.properties.cluster.enum;
      };
      // itest's v1 XRDs, itest2's v2 (and LegacyCluster) XRDs.
      await waitFor('the templates of both clusters', async () =>
        (await offered('objectbucket.storage.platformops.io')) &&
        (await offered('appdatabase.apps.platformops.io'))
          ? true
          : undefined,
      );
      expect(await offered('objectbucket.storage.platformops.io')).toEqual([
        'itest',
      ]);
      expect(await offered('appdatabase.apps.platformops.io')).toEqual([
        'itest2',
      ]);
      expect(await offered('sharednetwork.network.platformops.io')).toEqual([
        'itest2',
      ]);
      expect(await offered('cachecluster.cache.platformops.io')).toEqual([
        'itest2',
      ]);
      // No XRD is served by both: one template per XRD API entity.
      const xrds = await waitFor('the XRD API entities', async () => {
        const found = await entities('kind=api,spec.type=crossplane-xrd');
        return found.length >= 6 ? found : undefined;
      });
      const templates = await waitFor('a template per XRD', async () => {
        const found = await entities('kind=template');
        return found.length === xrds.length ? found : undefined;
      });
      for (const template of templates) {
        const clusters =
          template.metadata.annotations?.['platformops.io/clusters']!.split(
            ',',
          );
        expect({ template: template.metadata.name, clusters }).toEqual({
          template: template.metadata.name,
          clusters: [expect.stringMatching(/^itest2?$/)],
        });
      }
    });

    it('ingests namespaced v2 XRs in their namespace, with their .m. managed resources and owners', async () => {
      const xr = await withDependencies(
        componentRef(
          'itest2',
          'apps.platformops.io',
          'AppDatabase',
          'team-alpha',
          'payments-db',
        ),
        3,
      );
      expect(xr.spec).toMatchObject({
        type: 'crossplane-xr',
        owner: 'group:default/team-alpha',
      });
      expect(xr.metadata.annotations).toMatchObject({
        'platformops.io/cluster': 'itest2',
        'platformops.io/namespace': 'team-alpha',
        'platformops.io/kind': 'AppDatabase',
        'platformops.io/object-class': 'composite',
      });
      // Instance, backup policy and (highAvailability) replica. The composed
      // ConfigMap payments-db-settings is no kind the catalog ingests, so it
      // has no entity and no relation.
      const managed = xr.spec!.dependsOn as string[];
      expect(managed).toHaveLength(3);
      expect(
        xr.relations!.filter(r => r.type === 'dependsOn').map(r => r.targetRef),
      ).toEqual(expect.arrayContaining(managed));
      for (const ref of managed) {
        expect(ref).toMatch(
          // Long generated names are cut, with a hash of the identity.
          /^resource:default\/payments-db-[0-9a-f-]+\.nopresource\.nop-[0-9a-f]{6}\.team-alpha\.itest2$/,
        );
        const mr = await waitFor(ref, () => entity(ref));
        expect(mr.spec).toMatchObject({
          type: 'crossplane-managed',
          owner: 'group:default/team-alpha',
        });
        expect(mr.metadata.annotations).toMatchObject({
          'platformops.io/api-version': 'nop.m.crossplane.io/v1alpha1',
          'platformops.io/namespace': 'team-alpha',
        });
      }
      const beta = await waitFor('the failing XR of team-beta', () =>
        entity(
          componentRef(
            'itest2',
            'apps.platformops.io',
            'AppDatabase',
            'team-beta',
            'analytics-db',
          ),
        ),
      );
      expect(beta.spec?.owner).toBe('group:default/team-beta');
      expect(beta.metadata.annotations?.['platformops.io/namespace']).toBe(
        'team-beta',
      );
    });

    it("ingests the v2 cluster's LegacyCluster claim and Cluster-scoped XR", async () => {
      const claim = await withDependencies(
        componentRef(
          'itest2',
          'cache.platformops.io',
          'CacheCluster',
          'team-alpha',
          'sessions-cache',
        ),
      );
      expect(claim.spec).toMatchObject({
        type: 'crossplane-claim',
        owner: 'group:default/team-alpha',
      });
      const [composite] = claim.spec!.dependsOn as string[];
      expect(composite).toMatch(/\.xcachecluster\.cache-[0-9a-f]{6}\.itest2$/);
      const xr = await waitFor('its composite', () => entity(composite));
      expect(xr.spec?.owner).toBe('group:default/team-alpha');
      expect(xr.spec?.dependsOn as string[]).toHaveLength(2);

      const network = await withDependencies(
        componentRef(
          'itest2',
          'network.platformops.io',
          'SharedNetwork',
          undefined,
          'shared-eu-west-1',
        ),
      );
      expect(network.spec).toMatchObject({
        type: 'crossplane-xr',
        owner: 'group:default/platform-team',
      });
      expect(
        network.metadata.annotations?.['platformops.io/namespace'],
      ).toBeUndefined();
      // Its managed resources are namespaced (.m.), in platform-system.
      for (const ref of network.spec!.dependsOn as string[]) {
        const mr = await waitFor(ref, () => entity(ref));
        expect(mr.metadata.annotations?.['platformops.io/namespace']).toBe(
          'platform-system',
        );
      }
    });

    it("generates templates of v2 XRDs that create the XR itself, in a namespace when it is namespaced, without Crossplane's machinery", async () => {
      const template = await waitFor('the AppDatabase template', () =>
        entity('template:default/appdatabase.apps.platformops.io'),
      );
      const steps = template.spec!.steps as any[];
      expect(steps[0].input).toMatchObject({
        xrd: 'appdatabases.apps.platformops.io',
        target: 'composite',
      });
      const forms = template.spec!.parameters as any[];
      const fields = forms.flatMap(form => Object.keys(form.properties));
      // Of Crossplane's own fields the form offers only the Composition,
      // through the picker of the cluster's Compositions for this XRD.
      const crossplane = forms.find(form => form.properties.crossplane)
        ?.properties.crossplane;
      expect(Object.keys(crossplane?.properties ?? {})).toEqual([
        'compositionRef',
      ]);
      expect(crossplane.properties.compositionRef['ui:field']).toBe(
        'CrossplaneCompositionPicker',
      );
      for (const form of forms) {
        expect(
          Object.keys(form.properties.parameters?.properties ?? {}),
        ).not.toContain('crossplane');
      }
      const network = await waitFor('the SharedNetwork template', () =>
        entity('template:default/sharednetwork.network.platformops.io'),
      );
      const networkFields = (network.spec!.parameters as any[]).flatMap(form =>
        Object.keys(form.properties),
      );
      expect(networkFields).not.toContain('namespace');
      // The cluster first, then the resource: an AppDatabase lives in a
      // namespace, which the form asks for with the cluster already chosen.
      expect(forms.map(form => form.title)).toEqual([
        'Delivery',
        'Resource',
        ...forms.slice(2, -1).map(form => form.title),
        'Review',
      ]);
      expect(forms[0].required).toContain('cluster');
      expect(forms[1].required).toContain('namespace');
      expect(fields).toContain('namespace');
    });

    it('follows a claim created, updated and deleted in the cluster', async () => {
      const ref = componentRef(
        'itest',
        'storage.platformops.io',
        'ObjectBucket',
        'team-alpha',
        'itest-bucket',
      );
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
      // All of them: the same names twice, 3 s apart.
      const before = await waitFor('itest2 entities', async () => {
        const names = await westEntities();
        await new Promise(r => setTimeout(r, 3_000));
        return names.length > 20 &&
          JSON.stringify(await westEntities()) === JSON.stringify(names)
          ? names
          : undefined;
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
