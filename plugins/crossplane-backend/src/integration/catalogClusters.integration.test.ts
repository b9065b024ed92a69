/*
 * Clusters found as Backstage's kubernetes plugin finds them, with only a
 * `catalog` locator: a kubernetes-cluster Resource entity for the local
 * control plane (itest) makes it a cluster of the portal (its claims reach
 * the catalog and the status API); removing the entity removes the cluster
 * and then its entities. Catalog entities are data anyone who may register
 * entities controls: one pointing at a local listener never receives the
 * configured service-account token.
 *
 * The test's objects: a claim `catclusters-bucket` in team-alpha, cluster
 * names `catclusters-*`; removed at the end.
 */
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitForComposed } from '../__testUtils__/clusterWaits';
import { connectControlPlane, ITEST } from '../__testUtils__/controlPlane';
import { BUCKET, bucketClaim } from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

jest.setTimeout(600_000);

// The annotations Backstage's kubernetes plugin reads.
const ANNOTATION_KUBERNETES_API_SERVER = 'kubernetes.io/api-server';
const ANNOTATION_KUBERNETES_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
const ANNOTATION_KUBERNETES_AUTH_PROVIDER = 'kubernetes.io/auth-provider';

const ADMIN = 'user:default/catclusters-admin';
const CLUSTER = 'catclusters-itest';
/** Authenticates like kubectl proxy: no credential; points at the listener. */
const ANONYMOUS = 'catclusters-anonymous';
/** serviceAccount, its configured token bound to itest's URL; points at the listener. */
const LURE = 'catclusters-lure';
const CLAIM = {
  ...BUCKET,
  namespace: 'team-alpha',
  name: 'catclusters-bucket',
};

function clusterEntity(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  };
}

/** Another Resource, so that the file is read and its cluster orphaned. */
const PLACEHOLDER = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'catclusters-placeholder' },
  spec: { type: 'database', owner: 'group:default/platform' },
};

describe('Clusters located through the catalog, on a real control plane', () => {
  let cp: ReturnType<typeof connectControlPlane>;
  let admin: KubernetesClusterClient;
  let api: PortalClient;
  let stop: (() => Promise<void>) | undefined;
  let listener: http.Server;
  const seen: { url?: string; authorization?: string }[] = [];
  const identity = createIdentityProvider();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catclusters-'));
  let port: number;
  let token: string;

  /**
   * Writes a file of the catalog's locations (JSON documents are YAML
   * documents); the catalog reads it again every second.
   */
  function write(file: string, entities: object[]) {
    fs.writeFileSync(
      path.join(dir, file),
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );
  }

  const clusterNames = async () => {
    const { status, body } = await api.get(ADMIN, 'crossplane/clusters');
    expect(status).toBe(200);
    return (body.items as { name: string }[]).map(c => c.name);
  };

  const claimQuery = new URLSearchParams({
    cluster: CLUSTER,
    ...CLAIM,
  }).toString();

  beforeAll(async () => {
    cp = connectControlPlane(ITEST);
    admin = cp.admin;
    token = cp.backstageCluster.serviceAccountToken;
    await admin.apply(bucketClaim(CLAIM), {
      fieldManager: 'catclusters-test',
      force: true,
    });
    await waitForComposed(admin, CLAIM);

    // No cluster in it yet.
    write('itest.yaml', [PLACEHOLDER]);

    listener = http.createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>(r => listener.listen(0, '127.0.0.1', r));
    const listenerUrl = `http://127.0.0.1:${
      (listener.address() as AddressInfo).port
    }`;

    const started = await startPortalBackend({
      name: 'catclusters',
      // Unused: the kubernetes section below has the catalog locator only.
      cluster: cp.backstageCluster,
      entities: [],
      policy: teamNamespacePolicy({
        moduleId: 'catclusters-test-policy',
        namespaces: {},
        admins: [ADMIN],
      }),
      identity,
      config: {
        catalog: {
          processingInterval: { seconds: 1 },
          locations: ['lures.yaml', 'itest.yaml'].map(file => ({
            type: 'file',
            target: path.join(dir, file),
            rules: [{ allow: ['Resource'] }],
          })),
          providers: { crossplane: { debounceMs: 200, templates: false } },
        },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'catalog',
              dangerouslyAllowClusterUrls: ['127.0.0.1'],
              // The cluster client speaks plain HTTP only without TLS checks.
              dangerouslyAllowSkipTLSVerify: true,
            },
          ],
        },
        crossplane: {
          clusters: {
            refreshInterval: { seconds: 2 },
            catalogServiceAccounts: [
              { name: CLUSTER, url: cp.url, serviceAccountToken: token },
              // The lure's name, bound to itest's URL, not the listener's.
              { name: LURE, url: cp.url, serviceAccountToken: token },
            ],
          },
        },
      },
    });
    stop = started.stop;
    port = started.backend.server.port();
    api = portalClient({ port, identity });

    const caData = cp.backstageCluster.caData;
    write('lures.yaml', [
      clusterEntity(ANONYMOUS, {
        [ANNOTATION_KUBERNETES_API_SERVER]: listenerUrl,
        [ANNOTATION_KUBERNETES_API_SERVER_CA]: caData,
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy',
        'kubernetes.io/skip-tls-verify': 'true',
      }),
      clusterEntity(LURE, {
        [ANNOTATION_KUBERNETES_API_SERVER]: listenerUrl,
        [ANNOTATION_KUBERNETES_API_SERVER_CA]: caData,
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
        'kubernetes.io/skip-tls-verify': 'true',
        // Never read: a token comes from configuration only.
        serviceAccountToken: token,
      }),
    ]);
  });

  afterAll(async () => {
    await stop?.();
    await new Promise(r => listener?.close(r));
    await admin?.delete(CLAIM).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends no configured token to a URL that came from the catalog', async () => {
    await waitFor(
      'the anonymous cluster to be found',
      async () => (await clusterNames()).includes(ANONYMOUS) || undefined,
    );
    await waitFor(
      'the listener to be asked',
      async () => seen.length > 0 || undefined,
    );
    expect(seen.filter(r => r.authorization)).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain(token);
    // Its configured token is for itest's URL: the lure is left out.
    expect(await clusterNames()).not.toContain(LURE);
  });

  it('makes a catalog entity a cluster, its claims reaching the catalog and the status API, until the entity is removed', async () => {
    write('itest.yaml', [
      clusterEntity(CLUSTER, {
        [ANNOTATION_KUBERNETES_API_SERVER]: cp.url,
        [ANNOTATION_KUBERNETES_API_SERVER_CA]: cp.backstageCluster.caData,
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
      }),
    ]);
    await waitFor(
      'the catalog-located cluster to be found',
      async () => (await clusterNames()).includes(CLUSTER) || undefined,
    );

    const root = await waitFor('the status API to show the claim', async () => {
      const { body } = await api.get(ADMIN, `crossplane/tree?${claimQuery}`);
      return body?.root?.health ? body.root : undefined;
    });
    const entityRef: string = root.entityRef;
    const byName = `catalog/entities/by-name/${entityRef.replace(':', '/')}`;
    await waitFor(
      `${entityRef} in the catalog`,
      async () => (await api.get(ADMIN, byName)).status === 200 || undefined,
    );

    // The entity leaves the catalog (an orphan, deleted)...
    write('itest.yaml', [PLACEHOLDER]);
    // ...and the cluster with it; then its entities.
    await waitFor('the cluster to go with its entity', async () =>
      (await clusterNames()).includes(CLUSTER) ? undefined : true,
    );
    expect((await api.get(ADMIN, `crossplane/tree?${claimQuery}`)).status).toBe(
      404,
    );
    await waitFor(
      `${entityRef} to leave the catalog`,
      async () => (await api.get(ADMIN, byName)).status === 404 || undefined,
    );
  });
});
