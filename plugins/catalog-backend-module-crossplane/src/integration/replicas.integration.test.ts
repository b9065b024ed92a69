/*
 * Two backend replicas on one PostgreSQL, both watching the local control
 * plane itest (Crossplane v1): one writes a cluster at a time (the writing
 * window, a global scheduled task), they converge to one entity per object,
 * a new claim is written once and not rewritten back and forth, the XRD
 * templates are written only by the replica holding their own writing
 * window, and when the writing replica stops the other takes over.
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { objectEntityName } from '@platformops/plugin-crossplane-common';
import { KubernetesClusterClient } from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { catalogModuleCrossplane } from '../module/catalogModuleCrossplane';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const POSTGRES_URL = process.env.PLATFORMOPS_TEST_POSTGRES_URL;
const EAST = { name: 'itest', port: 6643 };
const WINDOW_SECONDS = 8;
const RUN = Date.now().toString(36);
const CLAIMS = [`rep-${RUN}-a`, `rep-${RUN}-b`];

/** When each replica last opened a writing window of the cluster. */
type Windows = Date[];

/** When a replica opened the templates' writing window, and wrote templates. */
interface TemplateLog {
  windows: number[];
  writes: number[];
}

/**
 * A root logger that notes the replica's writing windows and template
 * writes, and drops the rest.
 */
function windowLogger(windows: Windows, templates: TemplateLog) {
  const logger: LoggerService = {
    debug: message => {
      if (message.startsWith(`Writing cluster ${EAST.name} from here`))
        windows.push(new Date());
      if (message === 'Writing XRD templates from here')
        templates.windows.push(Date.now());
      if (/^\d+ XRD templates from/.test(message))
        templates.writes.push(Date.now());
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger as any,
  });
}

const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;
if (!POSTGRES_URL) {
  // eslint-disable-next-line no-console
  console.warn(
    'Skipping the replicas test: PLATFORMOPS_TEST_POSTGRES_URL is not set (scripts/postgres.sh prints one)',
  );
}

describeWithPostgres('Two catalog replicas on one PostgreSQL', () => {
  let east: any;
  let eastClient: KubernetesClusterClient;
  const database = {
    client: 'pg',
    connection: POSTGRES_URL,
    prefix: `rep_${RUN}_`,
  };
  const replicas: {
    backend: Awaited<ReturnType<typeof startTestBackend>>;
    windows: Windows;
    templates: TemplateLog;
    stopped: boolean;
  }[] = [];

  const startReplica = async () => {
    const windows: Windows = [];
    const templates: TemplateLog = { windows: [], writes: [] };
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCrossplane,
        catalogModuleTemplateKind,
        databaseServiceFactory,
        schedulerServiceFactory,
        windowLogger(windows, templates),
        mockServices.rootConfig.factory({
          data: {
            backend: { database },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: {
                crossplane: {
                  debounceMs: 200,
                  writerWindow: { seconds: WINDOW_SECONDS },
                },
              },
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
    const replica = { backend, windows, templates, stopped: false };
    replicas.push(replica);
    return replica;
  };

  const clusterEntities = async (
    replica: (typeof replicas)[number],
  ): Promise<Entity[]> => {
    const res = await fetch(
      `http://localhost:${replica.backend.server.port()}/api/catalog/entities?filter=${encodeURIComponent(
        `metadata.annotations.platformops.io/cluster=${EAST.name}`,
      )}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    return res.json();
  };
  const claimEntity = async (
    replica: (typeof replicas)[number],
    name: string,
  ): Promise<Entity | undefined> => {
    const entityName = objectEntityName({
      cluster: EAST.name,
      group: 'storage.platformops.io',
      kind: 'ObjectBucket',
      namespace: 'team-alpha',
      name,
    });
    const res = await fetch(
      `http://localhost:${replica.backend.server.port()}/api/catalog/entities/by-name/component/default/${entityName}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    return res.ok ? res.json() : undefined;
  };
  const createClaim = (name: string) =>
    eastClient.apply(
      {
        apiVersion: 'storage.platformops.io/v1alpha1',
        kind: 'ObjectBucket',
        metadata: { name, namespace: 'team-alpha' },
        spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
      },
      { fieldManager: 'rep-itest', force: true },
    );

  let adminClient: KubernetesClusterClient;
  const XRD = {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    name: 'xobjectbuckets.storage.platformops.io',
  };
  const XRD_MARK = `platformops.io/replicas-test-${RUN}`;
  /** Changes an XRD (an annotation of this run's): each replica's cache sees it. */
  const markXrd = (value: string | null) =>
    adminClient.patchAnnotations(
      XRD,
      { [XRD_MARK]: value },
      { fieldManager: 'rep-itest' },
    );

  beforeAll(async () => {
    east = controlPlane.ensureControlPlane({
      ...EAST,
      seed: true,
      waitReady: true,
    });
    eastClient = KubernetesClusterClient.fromConfig({
      ...east.backstageCluster,
      skipTLSVerify: false,
    });
    adminClient = KubernetesClusterClient.fromConfig({
      ...east.backstageCluster,
      serviceAccountToken: east.adminToken,
      skipTLSVerify: false,
    });
    // One after the other: a new database's migrations run once.
    await startReplica();
    await startReplica();
  });

  afterAll(async () => {
    await adminClient
      ?.patchAnnotations?.(
        XRD,
        { [XRD_MARK]: null },
        { fieldManager: 'rep-itest' },
      )
      .catch(() => undefined);
    for (const name of CLAIMS) {
      await eastClient
        ?.delete({
          apiVersion: 'storage.platformops.io/v1alpha1',
          kind: 'ObjectBucket',
          namespace: 'team-alpha',
          name,
        })
        .catch(() => undefined);
    }
    for (const replica of replicas) {
      if (!replica.stopped) await replica.backend.stop();
    }
  });

  it('converges to one entity per object, writes a new claim once, and hands over when the writer stops', async () => {
    const [first, second] = replicas;

    // Both answer the same set, each object once.
    const converged = await waitFor(
      'both replicas to show the cluster',
      async () => {
        const [a, b] = await Promise.all([
          clusterEntities(first),
          clusterEntities(second),
        ]);
        const names = (list: Entity[]) => list.map(e => e.metadata.name).sort();
        return a.length > 20 &&
          JSON.stringify(names(a)) === JSON.stringify(names(b))
          ? a
          : undefined;
      },
      180_000,
    );
    const uids = converged
      .map(e => e.metadata.annotations?.['platformops.io/uid'])
      .filter(Boolean);
    expect(new Set(uids).size).toBe(uids.length);

    // A claim created while both run: one entity, the same on both.
    await createClaim(CLAIMS[0]);
    await waitFor('the new claim on both', async () =>
      (await claimEntity(first, CLAIMS[0])) &&
      (await claimEntity(second, CLAIMS[0]))
        ? true
        : undefined,
    );
    const withUid = (list: Entity[], uid: string) =>
      list.filter(e => e.metadata.annotations?.['platformops.io/uid'] === uid);
    const created = (await claimEntity(first, CLAIMS[0]))!;
    const uid = created.metadata.annotations!['platformops.io/uid'];
    expect(withUid(await clusterEntities(second), uid)).toHaveLength(1);

    // Once the claim has settled in the cluster, its entity stays as it is
    // across several writing windows of either replica: no flapping.
    await waitFor(
      'the claim to be Healthy and settled',
      async () => {
        const before = await claimEntity(first, CLAIMS[0]);
        if (
          before?.metadata.annotations?.['platformops.io/health'] !== 'Healthy'
        )
          return undefined;
        await new Promise(r => setTimeout(r, 5_000));
        return (await claimEntity(first, CLAIMS[0]))?.metadata.etag ===
          before.metadata.etag
          ? true
          : undefined;
      },
      120_000,
    );
    const windowsBefore = first.windows.length + second.windows.length;
    const etags = new Map<string, Entity>();
    const observeUntil = Date.now() + 3 * WINDOW_SECONDS * 1000;
    while (Date.now() < observeUntil) {
      const seen = (await claimEntity(second, CLAIMS[0]))!;
      etags.set(seen.metadata.etag!, seen);
      await new Promise(r => setTimeout(r, 500));
    }
    if (etags.size > 1) {
      // eslint-disable-next-line no-console
      console.log(JSON.stringify([...etags.values()], null, 1));
    }
    const windowsDuring =
      first.windows.length + second.windows.length - windowsBefore;
    // eslint-disable-next-line no-console
    console.log(
      `replicas: ${windowsDuring} writing windows opened over ${
        3 * WINDOW_SECONDS
      } s (first ${first.windows.length}, second ${
        second.windows.length
      } in all); the claim's etag took ${etags.size} value(s)`,
    );
    expect(windowsDuring).toBeGreaterThanOrEqual(2);
    expect(etags.size).toBe(1);

    // The templates: a changed XRD is written by one replica, the one
    // holding the templates' window, not by both.
    const changedAt = Date.now();
    await markXrd('changed');
    await new Promise(r => setTimeout(r, 3_000));
    await markXrd(null);
    await new Promise(r => setTimeout(r, 2_000));
    const opens = replicas
      .flatMap(r => r.templates.windows.map(at => ({ at, replica: r })))
      .sort((a, b) => a.at - b.at);
    const holderAt = (at: number) =>
      opens.filter(o => o.at <= at).at(-1)?.replica;
    const writes = replicas.flatMap(r =>
      r.templates.writes.map(at => ({ at, replica: r })),
    );
    const outsideOwnWindow = writes.filter(w => holderAt(w.at) !== w.replica);
    // Writes a change caused, not a window's first write.
    const byChange = writes.filter(
      w =>
        w.at >= changedAt &&
        !opens.some(o => o.at <= w.at && w.at - o.at < 500),
    );
    // eslint-disable-next-line no-console
    console.log(
      `replicas: ${opens.length} template windows (first ${first.templates.windows.length}, second ${second.templates.windows.length}), ${writes.length} template writes (first ${first.templates.writes.length}, second ${second.templates.writes.length}), ${byChange.length} for the XRD's two changes, ${outsideOwnWindow.length} outside the writer's own window`,
    );
    expect(opens.length).toBeGreaterThanOrEqual(2);
    expect(outsideOwnWindow).toEqual([]);
    expect(byChange.length).toBeGreaterThanOrEqual(1);
    expect(byChange.length).toBeLessThanOrEqual(2);

    // The replica that wrote last stops; the other takes over.
    const lastOpened = (r: (typeof replicas)[number]) =>
      r.windows.at(-1)?.getTime() ?? 0;
    const [writer, survivor] =
      lastOpened(first) >= lastOpened(second)
        ? [first, second]
        : [second, first];
    const survivorWindows = survivor.windows.length;
    const stopAt = Date.now();
    writer.stopped = true;
    await writer.backend.stop();
    const stoppedAt = Date.now();
    await createClaim(CLAIMS[1]);
    await waitFor(
      'the survivor to write a claim created after the stop',
      () => claimEntity(survivor, CLAIMS[1]),
      60_000,
    );
    const inCatalogAt = Date.now();
    const takenOverAt = survivor.windows[survivorWindows]?.getTime();
    // eslint-disable-next-line no-console
    console.log(
      `replicas: the writer stopped in ${
        stoppedAt - stopAt
      } ms; the other opened its window ${
        takenOverAt ? takenOverAt - stopAt : 'n/a'
      } ms after the stop began; a claim created after the stop was in the catalog ${
        inCatalogAt - stoppedAt
      } ms after it`,
    );
    expect(takenOverAt).toBeDefined();
    expect(takenOverAt! - stopAt).toBeLessThan(10_000);
    expect(
      withUid(
        await clusterEntities(survivor),
        (await claimEntity(survivor, CLAIMS[1]))!.metadata.annotations![
          'platformops.io/uid'
        ],
      ),
    ).toHaveLength(1);
  });
});
