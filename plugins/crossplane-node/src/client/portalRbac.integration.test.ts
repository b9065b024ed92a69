/*
 * The portal's cluster credentials on the real local API server: the token
 * the local control plane hands the portal (service account
 * platformops:platformops-portal, bound to the roles of deploy/rbac/) reads
 * everything the object cache and the status backend read, writes claims
 * and composites, and is refused Secrets and every other write.
 */
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import {
  CRD_KIND,
  WORKLOAD_KINDS,
  watchedKindOfCrd,
} from '../cache/watchedKinds';
import { waitFor } from '../testUtils/waitFor';
import { ClusterRequestError } from './ClusterRequestError';
import { KubernetesClusterClient } from './KubernetesClusterClient';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const FIELD_MANAGER = 'platformops-rbac-test';
const PORTAL_ROLES = [
  'platformops-portal-read',
  'platformops-portal-read-workloads',
  'platformops-portal-write',
];

/** The HTTP status a call fails with; undefined when it succeeds. */
async function statusOf(call: () => Promise<unknown>) {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (error instanceof ClusterRequestError) return error.statusCode;
    throw error;
  }
}

const bucket = (namespace: string): KubernetesObject => ({
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
  metadata: { name: 'rbac-check', namespace },
  spec: { parameters: { region: 'eu-central-1' } },
});

describe("the portal's service account on the local control plane", () => {
  let portal: KubernetesClusterClient;
  let admin: KubernetesClusterClient;

  beforeAll(async () => {
    const cp = controlPlane.ensureControlPlane({
      name: 'itest',
      port: 6643,
      seed: true,
      waitReady: true,
    });
    portal = KubernetesClusterClient.fromConfig(cp.backstageCluster);
    admin = KubernetesClusterClient.fromConfig({
      ...cp.backstageCluster,
      serviceAccountToken: cp.adminToken,
    });
    // The aggregation controller fills the aggregated roles shortly after up.
    await waitFor('the portal to read XRDs', async () =>
      (await statusOf(() =>
        portal.list('apiextensions.crossplane.io/v1', 'Composition'),
      )) === undefined
        ? true
        : undefined,
    );
  });

  it('reads every kind the object cache watches, and the events of a tree', async () => {
    const { items: crds } = await portal.list(
      CRD_KIND.apiVersion,
      CRD_KIND.kind,
    );
    const watched = crds.flatMap(crd => watchedKindOfCrd(crd) ?? []);
    // XRDs, compositions, packages, the demo's claims and composites, NopResources.
    expect(watched.length).toBeGreaterThanOrEqual(9);

    const refused: string[] = [];
    const client = portal;
    for (const kind of [...watched, ...WORKLOAD_KINDS]) {
      const status = await statusOf(() =>
        client.list(kind.apiVersion, kind.kind, { pageSize: 1 }),
      );
      // Only RBAC's answer counts: another suite may break a kind of its
      // own on purpose (a list failing through a conversion webhook).
      if (status === 401 || status === 403)
        refused.push(`${kind.kind}: ${status}`);
    }
    expect(refused).toEqual([]);

    const claims = await portal.list(
      'database.platformops.io/v1alpha1',
      'PostgreSQLInstance',
    );
    expect(claims.items.length).toBeGreaterThan(0);
    // Events of namespaced objects, and of cluster-scoped ones (in default).
    for (const namespace of ['team-alpha', 'default']) {
      await expect(
        portal.list('v1', 'Event', { namespace }),
      ).resolves.toBeDefined();
    }
  });

  it('is refused Secrets and ConfigMaps; lists Namespaces and changes none', async () => {
    // The demo's connection Secret exists: the admin reads it, the portal not.
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'team-alpha',
      name: 'payments-db-connection',
    };
    expect(await admin.get(secret)).toBeDefined();
    expect(await statusOf(() => portal.get(secret))).toBe(403);
    expect(
      await statusOf(() =>
        portal.list('v1', 'Secret', { namespace: 'team-alpha' }),
      ),
    ).toBe(403);
    expect(await statusOf(() => portal.list('v1', 'Secret'))).toBe(403);
    expect(await statusOf(() => portal.list('v1', 'ConfigMap'))).toBe(403);
    // Namespaces are listed for the namespace a generated form offers;
    // creating or deleting one stays refused.
    expect(await statusOf(() => portal.list('v1', 'Namespace'))).toBe(
      undefined,
    );
    expect(
      await statusOf(() =>
        portal.delete(
          { apiVersion: 'v1', kind: 'Namespace', name: 'rbac-check-no-such' },
          { dryRun: true },
        ),
      ),
    ).toBe(403);
  });

  it('creates and deletes claims, and writes nothing else', async () => {
    // Server-side apply of a claim, as crossplane:apply does (dry run).
    await expect(
      portal.apply(bucket('team-alpha'), {
        fieldManager: FIELD_MANAGER,
        dryRun: true,
      }),
    ).resolves.toMatchObject({ kind: 'ObjectBucket' });
    // Deleting a claim that does not exist: allowed, so the answer is 404.
    await expect(
      portal.delete({
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'ObjectBucket',
        namespace: 'team-alpha',
        name: 'rbac-check-absent',
      }),
    ).resolves.toBe(false);

    const writes: [string, KubernetesObject][] = [
      [
        'a ClusterRoleBinding to cluster-admin',
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'rbac-check' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [
            {
              kind: 'ServiceAccount',
              name: 'platformops-portal',
              namespace: 'platformops',
            },
          ],
        } as KubernetesObject,
      ],
      [
        'a Secret',
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'rbac-check', namespace: 'team-alpha' },
          stringData: { canary: 'x' },
        } as KubernetesObject,
      ],
      [
        'a namespace',
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'rbac-check' },
        },
      ],
      [
        'a managed resource',
        {
          apiVersion: 'nop.crossplane.io/v1alpha1',
          kind: 'NopResource',
          metadata: { name: 'rbac-check' },
          spec: { forProvider: {} },
        },
      ],
      [
        'a Deployment',
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'rbac-check', namespace: 'team-alpha' },
        },
      ],
    ];
    const client = portal;
    for (const [what, object] of writes) {
      expect([
        what,
        await statusOf(() =>
          client.apply(object, { fieldManager: FIELD_MANAGER, dryRun: true }),
        ),
      ]).toEqual([what, 403]);
    }
    // Deleting an XRD: refused before the server looks for it.
    expect(
      await statusOf(() =>
        portal.delete({
          apiVersion: 'apiextensions.crossplane.io/v1',
          kind: 'CompositeResourceDefinition',
          name: 'rbac-check-absent',
        }),
      ),
    ).toBe(403);
  });

  it('has roles that name every group, resource and verb, and no Secrets', async () => {
    const problems: string[] = [];
    for (const name of PORTAL_ROLES) {
      const role = (await admin.get({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        name,
      })) as { rules?: Record<string, string[] | undefined>[] } | undefined;
      const rules = role?.rules ?? [];
      if (rules.length === 0) problems.push(`${name}: no rules`);
      for (const rule of rules) {
        for (const field of ['apiGroups', 'resources', 'verbs']) {
          if (rule[field]?.includes('*')) problems.push(`${name}: * ${field}`);
        }
        if (rule.resources?.includes('secrets'))
          problems.push(`${name}: secrets`);
      }
    }
    expect(problems).toEqual([]);
  });
});
