/*
 * Entity transforms on the real local control plane itest (Crossplane v1)
 * and the real catalog backend: the README's worked example maps labels to
 * the owner and system of ingested claims, in the first write and in the
 * deltas after it, and an identity change is refused.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { objectEntityName } from '@platformops/plugin-crossplane-common';
import {
  CrossplaneEntityTransform,
  crossplaneEntityTransformsExtensionPoint,
  KubernetesClusterClient,
} from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const EAST = { name: 'itest', port: 6643 };
const NAMESPACE = 'team-alpha';
/** This file's claims: a transformed one, a renamed one and a failing one. */
const SHOP = 'etransform-shop';
const RENAMED = 'etransform-renamed';
const FAILING = 'etransform-failing';

/** The README's worked example: `team` → owner, `part-of` → system. */
const teamLabels: CrossplaneEntityTransform = {
  id: 'team-labels',
  transform(entity, object) {
    const labels = object.metadata.labels ?? {};
    const team = labels.team;
    const partOf = labels['app.kubernetes.io/part-of'];
    if (!team && !partOf) return undefined;
    if (team) entity.spec!.owner = `group:default/${team}`;
    if (partOf) entity.spec!.system = `system:default/${partOf}`;
    return entity;
  },
};

/** Tries to give this file's renamed claim a short name of its own. */
const shortNames: CrossplaneEntityTransform = {
  id: 'short-names',
  transform(entity, object) {
    if (object.metadata.name !== RENAMED) return undefined;
    return {
      ...entity,
      metadata: { ...entity.metadata, name: object.metadata.name },
      spec: { ...entity.spec, lifecycle: 'experimental' },
    };
  },
};

/** Fails for this file's failing claim, after changing its owner. */
const costCenters: CrossplaneEntityTransform = {
  id: 'cost-centers',
  transform(entity, object) {
    if (object.metadata.name !== FAILING) return undefined;
    entity.spec!.owner = 'group:default/finance';
    throw new Error('no cost center for this claim');
  },
};

const catalogModuleTransforms = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'etransform-test',
  register(env) {
    env.registerInit({
      deps: { transforms: crossplaneEntityTransformsExtensionPoint },
      async init({ transforms }) {
        transforms.addEntityTransform(teamLabels, [shortNames, costCenters]);
      },
    });
  },
});

const bucketRef = (name: string) =>
  `component:default/${objectEntityName({
    cluster: EAST.name,
    group: 'storage.platformops.io',
    kind: 'ObjectBucket',
    namespace: NAMESPACE,
    name,
  })}`;

const bucket = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
  metadata: {
    name,
    namespace: NAMESPACE,
    labels: { 'platformops.io/owner': 'team-alpha', ...labels },
  },
  spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
});

describe('Entity transforms on the local control plane', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let client: KubernetesClusterClient;
  const warnings: string[] = [];

  const entity = async (ref: string): Promise<Entity | undefined> => {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    return res.ok ? res.json() : undefined;
  };
  const deleteBuckets = () =>
    Promise.all(
      [SHOP, RENAMED, FAILING].map(name =>
        client
          ?.delete({
            apiVersion: 'storage.platformops.io/v1alpha1',
            kind: 'ObjectBucket',
            namespace: NAMESPACE,
            name,
          })
          .catch(() => undefined),
      ),
    );

  beforeAll(async () => {
    const east = controlPlane.ensureControlPlane({
      ...EAST,
      seed: true,
      waitReady: true,
    });
    client = KubernetesClusterClient.fromConfig({
      ...east.backstageCluster,
      skipTLSVerify: false,
    });
    // Left by an earlier run that stopped halfway.
    await deleteBuckets();
    // Every logger of the backend records its warnings.
    const recorder = (): LoggerService => ({
      error: () => undefined,
      warn: message => {
        warnings.push(message);
      },
      info: () => undefined,
      debug: () => undefined,
      child: recorder,
    });
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCrossplane,
        catalogModuleTransforms,
        schedulerServiceFactory,
        mockServices.rootLogger.mock(recorder()).factory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: { crossplane: { debounceMs: 200, templates: false } },
            },
            kubernetes: {
              clusterLocatorMethods: [
                { type: 'config', clusters: [east.backstageCluster] },
              ],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await deleteBuckets();
    await backend?.stop();
  });

  it("emits a claim with the owner and system its labels name, and follows a label's change", async () => {
    await client.apply(
      bucket(SHOP, {
        team: 'team-delta',
        'app.kubernetes.io/part-of': 'etransform-shop',
      }),
      { fieldManager: 'etransform-test', force: true },
    );
    const claim = await waitFor('the transformed claim', () =>
      entity(bucketRef(SHOP)),
    );
    expect(claim.spec).toMatchObject({
      type: 'crossplane-claim',
      owner: 'group:default/team-delta',
      system: 'system:default/etransform-shop',
    });
    expect(
      claim.relations!.filter(r => ['ownedBy', 'partOf'].includes(r.type)),
    ).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/team-delta' },
        { type: 'partOf', targetRef: 'system:default/etransform-shop' },
      ]),
    );
    expect(claim.metadata.annotations?.['platformops.io/name']).toBe(SHOP);
    // What it leaves alone (the claim's relations among it) is no refused change.
    expect(warnings.filter(w => w.includes('team-labels'))).toEqual([]);

    // A delta: the label changes, the owner follows.
    await client.apply(
      bucket(SHOP, {
        team: 'team-epsilon',
        'app.kubernetes.io/part-of': 'etransform-shop',
      }),
      { fieldManager: 'etransform-test', force: true },
    );
    await waitFor('the new owner', async () =>
      (await entity(bucketRef(SHOP)))?.spec?.owner ===
      'group:default/team-epsilon'
        ? true
        : undefined,
    );
  });

  it('refuses an identity change and keeps the entity tied to its claim; a failing transform leaves its claim as mapped', async () => {
    await client.apply(bucket(RENAMED, {}), {
      fieldManager: 'etransform-test',
      force: true,
    });
    await client.apply(bucket(FAILING, { team: 'team-delta' }), {
      fieldManager: 'etransform-test',
      force: true,
    });
    const renamed = await waitFor('the renamed claim', () =>
      entity(bucketRef(RENAMED)),
    );
    // The lifecycle, which it may change, is taken; the name is not.
    expect(renamed.spec?.lifecycle).toBe('experimental');
    expect(renamed.metadata.annotations?.['platformops.io/name']).toBe(RENAMED);
    expect(await entity(`component:default/${RENAMED}`)).toBeUndefined();
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^Entity transform short-names may not change metadata\.name of the entity of ObjectBucket\.storage\.platformops\.io team-alpha\/etransform-renamed in cluster itest/,
      ),
    );

    // team-labels ran before cost-centers threw: its owner stays.
    const failing = await waitFor('the failing claim', () =>
      entity(bucketRef(FAILING)),
    );
    expect(failing.spec?.owner).toBe('group:default/team-delta');
    expect(
      warnings.filter(w => w.includes(`cost-centers failed`)),
    ).toHaveLength(1);
    // Other claims of the cluster are still written.
    expect((await entity(bucketRef(SHOP)))?.spec?.owner).toBe(
      'group:default/team-epsilon',
    );
  });
});
