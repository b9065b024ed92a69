/*
 * One object identity on the real control plane (itest, Crossplane v1):
 * kinds share names across API groups, as provider families do (`Bucket`
 * in s3.aws.upbound.io and in storage.gcp.upbound.io). Two managed-resource
 * kinds `Bucket` in two groups, a `shared-bucket` in each (one Ready, one
 * failing), the v2 provider's namespaced twin (`s3.aws.m.…`), and a
 * composite composing the first two: the catalog holds an entity for each
 * with their own health and the composite depends on both; the status API's
 * `/tree` and `/summary` answer each object as itself, with the entity ref
 * the catalog emits. Two provider families' ProviderConfigs named
 * `default`: `/tree` answers each as itself.
 */
import { Entity } from '@backstage/catalog-model';
import {
  identityOf,
  objectEntityName,
  type KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(300_000);

const CLUSTER = ITEST;
const FIELD_MANAGER = 'identity-itest';
const READER = 'user:default/reader';
/** Groups of this test only: other suites share the cluster. */
const AWS = 's3.aws.idtest.platformops.io';
const GCP = 'storage.gcp.idtest.platformops.io';
const STORE = 'store.idtest.platformops.io';
/** The v2 provider's namespaced twin of the AWS group (`.m.`). */
const AWS_V2 = 's3.aws.m.idtest.platformops.io';
const V2_NAMESPACE = 'idtest-identity';
/** Provider families' configuration groups. */
const AWS_FAMILY = 'aws.idtest.platformops.io';
const GCP_FAMILY = 'gcp.idtest.platformops.io';
const READ_ROLE = 'platformops-idtest-read';

const object = (properties: object) => ({ type: 'object', properties });
const string = { type: 'string' };
const conditions = {
  type: 'array',
  items: object({
    type: string,
    status: string,
    reason: string,
    message: string,
    lastTransitionTime: string,
  }),
};

/**
 * A cluster-scoped kind of a category the portal caches (`managed`,
 * `composite`), as providers and XRDs define them; declared fields only.
 */
function crd(
  group: string,
  kind: string,
  categories: string[],
  spec: object,
  scope: 'Cluster' | 'Namespaced' = 'Cluster',
): KubernetesObject {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        categories,
      },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: object({
              spec: object(spec),
              status: object({ conditions }),
            }),
          },
        },
      ],
    },
  };
}

const bucketSpec = {
  forProvider: object({ region: string }),
  providerConfigRef: object({ name: string }),
};
const CRDS = [
  crd(AWS, 'Bucket', ['crossplane', 'managed'], bucketSpec),
  crd(GCP, 'Bucket', ['crossplane', 'managed'], bucketSpec),
  crd(AWS_V2, 'Bucket', ['crossplane', 'managed'], bucketSpec, 'Namespaced'),
  ...[AWS_FAMILY, GCP_FAMILY].map(group =>
    crd(group, 'ProviderConfig', ['crossplane', 'provider'], {
      credentials: object({ source: string }),
    }),
  ),
  crd(STORE, 'XStore', ['crossplane', 'composite'], {
    compositionRef: object({ name: string }),
    resourceRefs: {
      type: 'array',
      items: object({ apiVersion: string, kind: string, name: string }),
    },
  }),
];

const NOW = new Date().toISOString();
function bucket(group: string, ready: boolean): KubernetesObject {
  return {
    apiVersion: `${group}/v1beta1`,
    kind: 'Bucket',
    metadata: {
      name: 'shared-bucket',
      labels: { 'crossplane.io/composite': 'idtest-store' },
    },
    spec: {
      forProvider: { region: 'eu-west-1' },
      providerConfigRef: { name: 'default' },
    },
    status: {
      conditions: [
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
        ready
          ? { type: 'Ready', status: 'True', reason: 'Available' }
          : {
              type: 'Ready',
              status: 'False',
              reason: 'ReconcileError',
              message: 'bucket name is taken in this project',
            },
      ].map(c => ({ ...c, lastTransitionTime: NOW })),
    },
  };
}
const AWS_BUCKET = bucket(AWS, true);
const GCP_BUCKET = bucket(GCP, false);
const V2_BUCKET: KubernetesObject = {
  ...bucket(AWS_V2, true),
  metadata: { name: 'shared-bucket', namespace: V2_NAMESPACE },
};
const NAMESPACE: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: V2_NAMESPACE },
};
const XSTORE: KubernetesObject = {
  apiVersion: `${STORE}/v1beta1`,
  kind: 'XStore',
  metadata: { name: 'idtest-store' },
  spec: {
    compositionRef: { name: 'idtest-store' },
    resourceRefs: [AWS_BUCKET, GCP_BUCKET].map(b => ({
      apiVersion: b.apiVersion,
      kind: b.kind,
      name: b.metadata.name,
    })),
  },
  status: {
    conditions: [
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      { type: 'Ready', status: 'False', reason: 'Creating' },
    ].map(c => ({ ...c, lastTransitionTime: NOW })),
  },
};

/** A provider family's ProviderConfig named `default`, as every family has. */
const providerConfig = (group: string): KubernetesObject => ({
  apiVersion: `${group}/v1beta1`,
  kind: 'ProviderConfig',
  metadata: { name: 'default' },
  spec: { credentials: { source: group === AWS_FAMILY ? 'IRSA' : 'Secret' } },
});
const PROVIDER_CONFIGS = [AWS_FAMILY, GCP_FAMILY].map(providerConfig);

/** The portal reads the test's kinds, as a provider's install grants it. */
const READ: KubernetesObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: {
    name: READ_ROLE,
    labels: { 'platformops.io/aggregate-to-portal-read': 'true' },
  },
  rules: [
    {
      apiGroups: [AWS, GCP, AWS_V2, STORE, AWS_FAMILY, GCP_FAMILY],
      resources: ['buckets', 'xstores', 'providerconfigs'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
};

const refOf = (entity: { kind: string; name: string }) =>
  `${entity.kind}:default/${entity.name}`.toLowerCase();
const entityName = (o: KubernetesObject) =>
  objectEntityName(identityOf(o, CLUSTER.name));

type TreeNode = {
  ref: { apiVersion: string; kind: string; name: string };
  health: { status: string; reason?: string };
  entityRef?: string;
  children: TreeNode[];
};

describe('The same kind in two API groups, on the local control plane', () => {
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const identity = createIdentityProvider();

  /** A request as the reader. */
  const call = async (path: string) => {
    const { status, body } = await api.get(READER, path);
    return { status, body: body ?? {} };
  };
  const entity = async (ref: string): Promise<Entity | undefined> => {
    const [kind, rest] = ref.split(':');
    const { status, body } = await call(
      `catalog/entities/by-name/${kind}/${rest}`,
    );
    return status === 200 ? body : undefined;
  };
  const tree = async (o: KubernetesObject) => {
    const query = new URLSearchParams({
      cluster: CLUSTER.name,
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      name: o.metadata.name,
    });
    return call(`crossplane/tree?${query}`);
  };

  const removeEverything = async () => {
    for (const o of [
      XSTORE,
      AWS_BUCKET,
      GCP_BUCKET,
      V2_BUCKET,
      ...PROVIDER_CONFIGS,
    ]) {
      await admin
        .delete({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        })
        .catch(() => undefined);
    }
    for (const o of [...CRDS, READ, NAMESPACE]) {
      await admin
        .delete(
          { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name },
          { propagationPolicy: 'Background' },
        )
        .catch(() => undefined);
    }
  };

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    // Left over from an interrupted run.
    await removeEverything();
    await waitFor('an earlier run to be cleaned up', async () => {
      for (const o of [...CRDS, NAMESPACE]) {
        if (
          await admin.get({
            apiVersion: o.apiVersion,
            kind: o.kind,
            name: o.metadata.name,
          })
        )
          return undefined;
      }
      return true;
    });
    const apply = (o: KubernetesObject) =>
      admin.apply(o, { fieldManager: FIELD_MANAGER, force: true });
    await apply(READ);
    await apply(NAMESPACE);
    for (const o of CRDS) await apply(o);
    for (const o of [
      AWS_BUCKET,
      GCP_BUCKET,
      V2_BUCKET,
      XSTORE,
      ...PROVIDER_CONFIGS,
    ]) {
      // Accepted once the CRD is established.
      await waitFor(`${o.kind}.${o.apiVersion} to be created`, async () =>
        apply(o).then(
          () => true,
          () => undefined,
        ),
      );
    }

    const started = await startPortalBackend({
      name: 'identity',
      cluster: cp.backstageCluster,
      entities: [],
      policy: teamNamespacePolicy({
        moduleId: 'identity-test-policy',
        namespaces: {},
        readers: [READER],
      }),
      identity,
    });
    stop = started.stop;
    api = portalClient({ port: started.backend.server.port(), identity });
  });

  afterAll(async () => {
    await stop?.();
    if (admin) await removeEverything();
  });

  it('ingests one entity per group, each with its own health', async () => {
    const awsName = entityName(AWS_BUCKET);
    const gcpName = entityName(GCP_BUCKET);
    expect(awsName).not.toBe(gcpName);
    const aws = await waitFor('the AWS bucket in the catalog', () =>
      entity(refOf({ kind: 'Resource', name: awsName })),
    );
    const gcp = await waitFor('the GCP bucket in the catalog', () =>
      entity(refOf({ kind: 'Resource', name: gcpName })),
    );
    expect(aws.metadata.annotations).toMatchObject({
      'platformops.io/api-version': `${AWS}/v1beta1`,
      'platformops.io/name': 'shared-bucket',
      'platformops.io/health': 'Healthy',
    });
    expect(gcp.metadata.annotations).toMatchObject({
      'platformops.io/api-version': `${GCP}/v1beta1`,
      'platformops.io/name': 'shared-bucket',
      'platformops.io/health-reason': 'ReconcileError',
    });
    expect(gcp.metadata.annotations?.['platformops.io/health']).not.toBe(
      'Healthy',
    );
    // The v2 provider's namespaced twin of the AWS kind is a third, and no
    // other spelling of them is there.
    const v2 = await waitFor("the v2 provider's bucket in the catalog", () =>
      entity(refOf({ kind: 'Resource', name: entityName(V2_BUCKET) })),
    );
    expect(v2.metadata.annotations).toMatchObject({
      'platformops.io/api-version': `${AWS_V2}/v1beta1`,
      'platformops.io/namespace': V2_NAMESPACE,
    });
    const { body } = await call(
      `catalog/entities?filter=${encodeURIComponent(
        'metadata.annotations.platformops.io/name=shared-bucket',
      )}`,
    );
    expect((body as Entity[]).map(e => e.metadata.name).sort()).toEqual(
      [awsName, gcpName, entityName(V2_BUCKET)].sort(),
    );
  });

  it('relates the composite to both buckets, each to its own entity', async () => {
    const wanted = [AWS_BUCKET, GCP_BUCKET]
      .map(b => refOf({ kind: 'Resource', name: entityName(b) }))
      .sort();
    const store = await waitFor('the composite and its relations', async () => {
      const found = await entity(
        refOf({ kind: 'Component', name: entityName(XSTORE) }),
      );
      const related = found?.relations
        ?.filter(r => r.type === 'dependsOn')
        .map(r => r.targetRef)
        .sort();
      return related?.length === 2 ? found : undefined;
    });
    expect((store.spec?.dependsOn as string[]).slice().sort()).toEqual(wanted);
    expect(
      store
        .relations!.filter(r => r.type === 'dependsOn')
        .map(r => r.targetRef)
        .sort(),
    ).toEqual(wanted);
  });

  it("answers each bucket's /tree with that bucket and its entity", async () => {
    for (const [b, healthy] of [
      [AWS_BUCKET, true],
      [GCP_BUCKET, false],
      [V2_BUCKET, true],
    ] as const) {
      const { status, body } = await waitFor(
        `the tree of ${b.apiVersion}`,
        async () => {
          const answer = await tree(b);
          return answer.status === 200 ? answer : undefined;
        },
      );
      expect(status).toBe(200);
      const root: TreeNode = body.root;
      expect(root.ref).toMatchObject({
        apiVersion: b.apiVersion,
        kind: 'Bucket',
        name: 'shared-bucket',
      });
      expect(root.health.status === 'Healthy').toBe(healthy);
      expect(root.entityRef).toBe(
        refOf({ kind: 'Resource', name: entityName(b) }),
      );
    }
  });

  it("answers the composite's /tree and /summary with both buckets apart, the failing one as culprit", async () => {
    const { body } = await waitFor('the tree of the composite', async () => {
      const answer = await tree(XSTORE);
      return answer.body.root?.children?.length === 2 ? answer : undefined;
    });
    const root: TreeNode = body.root;
    expect(root.entityRef).toBe(
      refOf({ kind: 'Component', name: entityName(XSTORE) }),
    );
    const children = Object.fromEntries(
      root.children.map(c => [c.ref.apiVersion, c]),
    );
    expect(children[`${AWS}/v1beta1`]).toMatchObject({
      health: { status: 'Healthy' },
      entityRef: refOf({ kind: 'Resource', name: entityName(AWS_BUCKET) }),
    });
    expect(children[`${GCP}/v1beta1`]).toMatchObject({
      health: { reason: 'ReconcileError' },
      entityRef: refOf({ kind: 'Resource', name: entityName(GCP_BUCKET) }),
    });

    const summary = await call('crossplane/summary');
    expect(summary.status).toBe(200);
    const row = summary.body.resources.find(
      (r: { name: string; kind: string }) =>
        r.kind === 'XStore' && r.name === 'idtest-store',
    );
    expect(row).toMatchObject({
      apiVersion: XSTORE.apiVersion,
      entityRef: root.entityRef,
      culprit: {
        ref: { apiVersion: `${GCP}/v1beta1`, kind: 'Bucket' },
        health: { reason: 'ReconcileError' },
      },
    });
    expect(row.culpritPath[row.culpritPath.length - 1]).toMatchObject({
      apiVersion: `${GCP}/v1beta1`,
      kind: 'Bucket',
      name: 'shared-bucket',
    });
  });

  it("answers each family's ProviderConfig named default as itself", async () => {
    for (const config of PROVIDER_CONFIGS) {
      const { body } = await waitFor(
        `the tree of ${config.apiVersion}`,
        async () => {
          const answer = await tree(config);
          return answer.status === 200 ? answer : undefined;
        },
      );
      expect(body.root.ref).toMatchObject({
        apiVersion: config.apiVersion,
        kind: 'ProviderConfig',
        name: 'default',
      });
      // Not an object the catalog ingests: no link.
      expect(body.root.entityRef).toBeUndefined();
    }
  });
});
