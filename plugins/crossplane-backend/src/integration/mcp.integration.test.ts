/*
 * The suite's operations as an AI agent uses them: a real MCP client
 * (@modelcontextprotocol/sdk, Streamable HTTP) against the portal's MCP
 * server (@backstage/plugin-mcp-actions-backend) on a started backend with
 * real auth and the real permission backend, on the local control plane
 * (itest, Crossplane v1).
 *
 * alice, of team-alpha, may act on Crossplane objects in team-alpha only;
 * sam may read the namespaces of the demo's failing claims (read from the
 * cluster: labelled platformops.io/expect-healthy "false"). Objects the
 * test creates are named `mcp-` and removed at the end.
 *
 * The same on Crossplane v2 (itest3): namespaced XRs created directly (no
 * claims), and the demo-v2's failing XR read through its `.m.` managed
 * resource.
 */
import { BackendFeature } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/config';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getConditions,
  type KubernetesObject,
  PlatformOpsMetadata,
  parseXrd,
} from '@platformops/plugin-crossplane-common';
import {
  KubernetesClusterClient,
  XRD_API_VERSION,
  XRD_KIND,
} from '@platformops/plugin-crossplane-node';
import { waitFor } from '@platformops/plugin-crossplane-node/testUtils';
import { capturingRootLogger } from '../__testUtils__/capturingRootLogger';
import {
  connectControlPlane,
  ITEST,
  ITEST3,
} from '../__testUtils__/controlPlane';
import {
  APP_DATABASE,
  BUCKET,
  BUCKET_PARAMETERS,
  NOP_M,
  V2_FAILING as FAILING,
} from '../__testUtils__/demoObjects';
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { callTool, mcpClients, textOf } from '../__testUtils__/mcpClients';
import { portalClient, PortalClient } from '../__testUtils__/portalClient';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';
import { teamOrg } from '../__testUtils__/teamOrg';

jest.setTimeout(600_000);

const CLUSTER = ITEST;
const ALICE = 'user:default/alice';
const SAM = 'user:default/sam';
const XRD = 'xobjectbuckets.storage.platformops.io';
/** The bucket alice creates for real, and the one only dry-run. */
const CREATED = {
  ...BUCKET,
  namespace: 'team-alpha',
  name: 'mcp-alpha-bucket',
};
const DRY = { ...BUCKET, namespace: 'team-alpha', name: 'mcp-alpha-dry' };
/** The bucket alice may not create: another team's namespace. */
const REFUSED = { ...BUCKET, namespace: 'team-beta', name: 'mcp-beta-bucket' };

const ORG = teamOrg({ alice: ['team-alpha'], sam: [] });

const bucketValues = (o: { namespace: string; name: string }) => ({
  name: o.name,
  namespace: o.namespace,
  parameters: BUCKET_PARAMETERS,
});

/**
 * Waits until the list tool shows an object Degraded, and returns its item:
 * on a freshly seeded cluster it is Progressing until its composed
 * resource reports the failure.
 */
function listedDegraded(
  client: Client,
  o: { kind: string; namespace: string; name: string },
) {
  return waitFor(
    `${o.name} to be listed as Degraded`,
    async () => {
      const list = await callTool(client, 'list-crossplane-resources', {
        namespace: [o.namespace],
        health: ['Degraded'],
      });
      expect(list.isError).toBeFalsy();
      return list.structuredContent!.items.find(
        (i: { kind: string; name: string }) =>
          i.kind === o.kind && i.name === o.name,
      );
    },
    180_000,
  );
}

/**
 * A create tried first and for real: each answer (its error's text, or
 * what was created), and whether the object exists afterwards.
 */
async function createTwice(
  admin: KubernetesClusterClient,
  client: Client,
  o: { apiVersion: string; kind: string; namespace: string; name: string },
  input: { cluster: string; xrd: string; values: object },
) {
  const answers: string[] = [];
  for (const dryRun of [true, false]) {
    const result = await callTool(client, 'create-crossplane-resource', {
      ...input,
      dryRun,
    });
    answers.push(`${result.isError ? 'error' : 'done'}: ${textOf(result)}`);
  }
  return { answers, exists: Boolean(await admin.get(o)) };
}

/** An object of a deletion's progress, as the progress tool answers it. */
type ProgressItem = {
  object: { apiVersion: string; kind: string; name: string };
  gone: boolean;
  hidden?: boolean;
};

/** What a refused create answers, tried first and for real: nothing made. */
const REFUSED_TWICE = {
  answers: [true, false].map(() =>
    expect.stringMatching(
      /^error: .*NotAllowedError: crossplane\.resource\.create: not allowed/s,
    ),
  ),
  exists: false,
};

/**
 * The portal with its MCP server (the suite's actions as its tools) on one
 * cluster, each user acting in the namespaces named; its users' requests
 * once its cache has synced.
 */
async function startMcpPortal(options: {
  name: string;
  cluster: JsonObject;
  identity: ReturnType<typeof createIdentityProvider>;
  namespaces: Record<string, string[]>;
  features?: BackendFeature[];
}) {
  const { identity } = options;
  const started = await startPortalBackend({
    name: options.name,
    cluster: options.cluster,
    entities: ORG,
    policy: teamNamespacePolicy({
      moduleId: `${options.name}-test-policy`,
      namespaces: options.namespaces,
    }),
    identity,
    features: [mcpActionsPlugin, ...(options.features ?? [])],
    config: { backend: { actions: { pluginSources: ['crossplane'] } } },
  });
  const api = portalClient({ port: started.backend.server.port(), identity });
  await api.waitForSync(ALICE);
  return { stop: started.stop, api };
}

/** Removes the objects a run may create, and waits until they are gone. */
async function removeAll(
  admin: KubernetesClusterClient,
  objects: Array<{ apiVersion: string; kind: string; name: string }>,
) {
  await Promise.all(objects.map(o => admin.delete(o).catch(() => false)));
  await Promise.all(
    objects.map(o =>
      waitFor(`${o.name} to be gone`, async () =>
        (await admin.get(o)) ? undefined : true,
      ),
    ),
  );
}

describe('The MCP server, driven by a real MCP client', () => {
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  /** The demo's failing claims, as the cluster lists them. */
  let failing: KubernetesObject[] = [];
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  const mcp = mcpClients({
    port: () => api.port,
    token: user => api.tokenOf(user),
  });
  const connect = mcp.connect;

  beforeAll(async () => {
    const cp = connectControlPlane(CLUSTER);
    admin = cp.admin;
    // Leftovers of an interrupted run would make the creates conflict.
    await removeAll(admin, [CREATED, DRY, REFUSED]);

    // The failing claims: of every claim kind the cluster's XRDs offer.
    const { items: xrds } = await admin.list(XRD_API_VERSION, XRD_KIND);
    for (const xrd of xrds.map(parseXrd)) {
      if (!xrd.claimNames) continue;
      const version = xrd.versions.find(v => v.referenceable)!.name;
      const { items } = await admin.list(
        `${xrd.group}/${version}`,
        xrd.claimNames.kind,
        { labelSelector: 'platformops.io/expect-healthy=false' },
      );
      failing.push(...items);
    }
    failing = failing.filter(claim => claim.metadata.namespace);
    if (failing.length === 0) {
      throw new Error('the demo seed of itest has no failing claim');
    }

    ({ stop, api } = await startMcpPortal({
      name: 'mcp',
      cluster: cp.backstageCluster,
      identity,
      namespaces: {
        [ALICE]: ['team-alpha'],
        [SAM]: [...new Set(failing.map(c => c.metadata.namespace!))],
      },
      features: [log.factory],
    }));
  });

  afterAll(async () => {
    await mcp.closeAll();
    await stop?.();
    await Promise.all(
      [CREATED, DRY, REFUSED].map(o => admin?.delete(o).catch(() => false)),
    );
  });

  it("lists the suite's tools with their input schemas and hints", async () => {
    const client = await connect(ALICE);
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map(t => [t.name, t]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(
        [
          'list-crossplane-resources',
          'get-crossplane-resource-tree',
          'get-crossplane-resource-events',
          'get-crossplane-resource-yaml',
          'get-crossplane-resource-timeline',
          'list-crossplane-xrds',
          'preview-crossplane-creation',
          'create-crossplane-resource',
          'get-crossplane-edit-form',
          'edit-crossplane-resource',
          'pause-crossplane-resource',
          'resume-crossplane-resource',
          'reconcile-crossplane-resource',
          'preview-crossplane-deletion',
          'delete-crossplane-resource',
          'get-crossplane-deletion-progress',
          'list-crossplane-revision-upgrades',
          'upgrade-crossplane-resources',
        ].map(name => `crossplane.${name}`),
      ),
    );
    const create = byName['crossplane.create-crossplane-resource'];
    expect(create.inputSchema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['cluster', 'xrd', 'values']),
      properties: { dryRun: { type: 'boolean' } },
    });
    expect(create.description).toMatch(/dryRun/);
    expect(create.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(
      byName['crossplane.delete-crossplane-resource'].annotations,
    ).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(
      byName['crossplane.get-crossplane-resource-tree'].inputSchema.required,
    ).toEqual(
      expect.arrayContaining(['cluster', 'apiVersion', 'kind', 'name']),
    );
    expect(
      byName['crossplane.list-crossplane-resources'].annotations,
    ).toMatchObject({ readOnlyHint: true });
    // Every write tool can be tried first.
    for (const tool of tools.filter(t => !t.annotations?.readOnlyHint)) {
      expect([tool.name, tool.inputSchema.properties?.dryRun]).toEqual([
        tool.name,
        expect.objectContaining({ type: 'boolean' }),
      ]);
    }
  });

  it("reads a failing claim's root cause, as the cluster states it", async () => {
    const client = await connect(SAM);
    const claim = failing[0];
    const item = await listedDegraded(client, {
      kind: claim.kind,
      namespace: claim.metadata.namespace!,
      name: claim.metadata.name,
    });
    expect(item).toMatchObject({
      cluster: CLUSTER.name,
      namespace: claim.metadata.namespace,
      rolledUpHealth: { status: 'Degraded' },
      culprit: { health: { status: 'Degraded' } },
    });
    // The culprit is the composed object whose condition failed, with the
    // message its controller wrote.
    const { ref } = item.culprit;
    expect(ref.name).not.toBe(claim.metadata.name);
    const culprit = await admin.get(ref);
    const failed = getConditions(culprit!).find(c => c.status === 'False');
    expect(failed?.message).toBeTruthy();
    expect(JSON.stringify(item.culprit.health)).toContain(failed!.message!);

    const tree = await callTool(client, 'get-crossplane-resource-tree', {
      cluster: CLUSTER.name,
      apiVersion: claim.apiVersion,
      kind: claim.kind,
      namespace: claim.metadata.namespace,
      name: claim.metadata.name,
    });
    expect(tree.isError).toBeFalsy();
    expect(textOf(tree)).toContain(failed!.message!);
  });

  it('lists the XRDs with the JSON Schema of their forms', async () => {
    const client = await connect(ALICE);
    const result = await callTool(client, 'list-crossplane-xrds', {
      cluster: [CLUSTER.name],
    });
    expect(result.isError).toBeFalsy();
    const bucket = result.structuredContent!.items.find(
      (i: { xrd: string }) => i.xrd === XRD,
    );
    expect(bucket).toMatchObject({
      cluster: CLUSTER.name,
      creates: { ...BUCKET, namespaced: true },
      valuesSchema: {
        type: 'object',
        required: expect.arrayContaining(['name', 'namespace', 'parameters']),
        properties: {
          name: { type: 'string' },
          namespace: expect.any(Object),
          parameters: {
            type: 'object',
            properties: {
              region: {
                enum: [
                  'eu-west-1',
                  'eu-central-1',
                  'us-east-1',
                  'ap-southeast-1',
                ],
              },
            },
          },
        },
      },
    });
    expect(bucket.form.length).toBeGreaterThan(1);
  });

  it('creates a claim in dry run: the manifest, nothing created', async () => {
    const client = await connect(ALICE);
    const result = await callTool(client, 'create-crossplane-resource', {
      cluster: CLUSTER.name,
      xrd: XRD,
      values: bucketValues(DRY),
      dryRun: true,
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      object: { cluster: CLUSTER.name, ...DRY },
      dryRun: true,
      created: false,
      validation: { ok: true },
    });
    expect(result.structuredContent!.manifest).toContain(`name: ${DRY.name}`);
    expect(result.structuredContent!.manifest).toContain('region: eu-west-1');
    expect(await admin.get(DRY)).toBeUndefined();
    expect(log.auditRecords()).toContainEqual(
      expect.objectContaining({
        eventId: 'create',
        status: 'succeeded',
        meta: expect.objectContaining({ actor: ALICE, dryRun: true }),
      }),
    );
  });

  it('creates a claim for real, owned by the user who asked', async () => {
    const client = await connect(ALICE);
    const result = await callTool(client, 'create-crossplane-resource', {
      cluster: CLUSTER.name,
      xrd: XRD,
      values: bucketValues(CREATED),
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      object: { cluster: CLUSTER.name, ...CREATED },
      dryRun: false,
      created: true,
    });
    const live = await admin.get(CREATED);
    expect(live?.spec).toMatchObject({
      parameters: { storageClass: 'STANDARD', region: 'eu-west-1' },
    });
    expect(
      live?.metadata.annotations?.[PlatformOpsMetadata.ownerAnnotation],
    ).toBe(ALICE);

    // A second create of the name changes nothing: it is refused.
    const again = await callTool(client, 'create-crossplane-resource', {
      cluster: CLUSTER.name,
      xrd: XRD,
      values: {
        ...bucketValues(CREATED),
        parameters: { storageClass: 'ARCHIVE', region: 'us-east-1' },
      },
    });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/ConflictError: .*exists already/);
    expect((await admin.get(CREATED))?.spec).toMatchObject({
      parameters: { storageClass: 'STANDARD', region: 'eu-west-1' },
    });
  });

  it('deletes the claim it created and follows the deletion to its end', async () => {
    const client = await connect(ALICE);
    const target = { cluster: CLUSTER.name, ...CREATED };
    // What the deletion takes: the claim, then its composite and what that
    // composes, once Crossplane has composed them.
    const impact = await waitFor(
      `${CREATED.name} to be composed`,
      async () => {
        const preview = await callTool(
          client,
          'preview-crossplane-deletion',
          target,
        );
        expect(preview.isError).toBeFalsy();
        const result = preview.structuredContent!.result;
        return result.items.some(
          (i: { objectClass: string }) => i.objectClass === 'managed',
        )
          ? result
          : undefined;
      },
      180_000,
    );
    const followed = impact.items
      .slice(1)
      .map((i: { object: object }) => ({ cluster: CLUSTER.name, ...i.object }));

    const deleted = await callTool(client, 'delete-crossplane-resource', {
      ...target,
      confirm: CREATED.name,
    });
    expect(deleted.isError).toBeFalsy();
    await waitFor(
      `${CREATED.name} to be gone`,
      async () => {
        const preview = await callTool(
          client,
          'preview-crossplane-deletion',
          target,
        );
        return preview.isError && /NotFoundError/.test(textOf(preview))
          ? true
          : undefined;
      },
      180_000,
    );

    // Followed until every object is gone: none hidden from its team, none
    // said gone while the cluster still holds it.
    const done = await waitFor(
      'what the claim took with it to be gone',
      async () => {
        const followedNow = await callTool(
          client,
          'get-crossplane-deletion-progress',
          { objects: followed },
        );
        expect(followedNow.isError).toBeFalsy();
        const progress = followedNow.structuredContent!.result;
        expect(progress.items.filter((i: ProgressItem) => i.hidden)).toEqual(
          [],
        );
        const saidGone = progress.items.filter((i: ProgressItem) => i.gone);
        const stillThere = [];
        for (const { object } of saidGone) {
          if (await admin.get(object)) stillThere.push(object);
        }
        expect(stillThere).toEqual([]);
        return progress.deleting ? undefined : progress;
      },
      180_000,
    );
    expect(done).toEqual({
      items: followed.map((object: object) => ({ object, gone: true })),
      deleting: false,
      heldBy: [],
    });

    // Another team's reader is told nothing of them, not even that they went.
    const other = await callTool(
      await connect(SAM),
      'get-crossplane-deletion-progress',
      { objects: followed },
    );
    expect(other.structuredContent!.result).toEqual({
      items: followed.map((object: object) => ({
        object,
        gone: false,
        hidden: true,
      })),
      deleting: false,
      heldBy: [],
    });

    // A list longer than the route takes is refused, naming nothing read.
    const tooMany = await callTool(client, 'get-crossplane-deletion-progress', {
      objects: Array(201).fill(target),
    });
    expect(tooMany.isError).toBe(true);
  });

  it("refuses a create in another team's namespace, creating nothing", async () => {
    expect(
      await createTwice(admin, await connect(ALICE), REFUSED, {
        cluster: CLUSTER.name,
        xrd: XRD,
        values: bucketValues(REFUSED),
      }),
    ).toEqual(REFUSED_TWICE);
  });

  it('refuses bad values with the field named, creating nothing', async () => {
    const client = await connect(ALICE);
    const result = await callTool(client, 'create-crossplane-resource', {
      cluster: CLUSTER.name,
      xrd: XRD,
      values: {
        ...bucketValues(DRY),
        parameters: { storageClass: 'STANDARD', region: 'mars-1' },
      },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/InputError: values.*region/s);
    expect(await admin.get(DRY)).toBeUndefined();
  });

  it('refuses a client without a token', async () => {
    await expect(connect()).rejects.toThrow(/401|Unauthorized/i);
    const res = await fetch(mcp.url(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('The MCP server on Crossplane v2 (itest3), driven by a real MCP client', () => {
  const V2_XRD = 'appdatabases.apps.platformops.io';
  /** The XR alice creates for real, the one only dry-run, the refused one. */
  const V2_CREATED = {
    ...APP_DATABASE,
    namespace: 'team-alpha',
    name: 'mcp-v2-alpha-db',
  };
  const V2_DRY = {
    ...APP_DATABASE,
    namespace: 'team-alpha',
    name: 'mcp-v2-alpha-dry',
  };
  const V2_REFUSED = {
    ...APP_DATABASE,
    namespace: 'team-beta',
    name: 'mcp-v2-beta-db',
  };
  const dbValues = (o: { namespace: string; name: string }) => ({
    name: o.name,
    namespace: o.namespace,
    parameters: { engine: 'postgres', storageGB: 20 },
  });
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let api: PortalClient;
  const identity = createIdentityProvider();
  const mcp = mcpClients({
    port: () => api.port,
    token: user => api.tokenOf(user),
  });

  beforeAll(async () => {
    const cp = connectControlPlane(ITEST3);
    admin = cp.admin;
    await removeAll(admin, [V2_CREATED, V2_DRY, V2_REFUSED]);
    ({ stop, api } = await startMcpPortal({
      name: 'mcp-v2',
      cluster: cp.backstageCluster,
      identity,
      namespaces: { [ALICE]: ['team-alpha'], [SAM]: ['team-beta'] },
    }));
  });

  afterAll(async () => {
    await mcp.closeAll();
    await stop?.();
    await Promise.all(
      [V2_CREATED, V2_DRY, V2_REFUSED].map(o =>
        admin?.delete(o).catch(() => false),
      ),
    );
  });

  it("reads the failing XR's root cause: its .m. managed resource, with its controller's message", async () => {
    const client = await mcp.connect(SAM);
    const item = await listedDegraded(client, FAILING);
    expect(item).toMatchObject({
      cluster: ITEST3.name,
      namespace: FAILING.namespace,
      objectClass: 'composite',
      rolledUpHealth: { status: 'Degraded' },
      culprit: {
        ref: { ...NOP_M, namespace: FAILING.namespace },
        health: { status: 'Degraded', reason: 'QuotaExceeded' },
      },
    });
    const culprit = await admin.get(item.culprit.ref);
    const failed = getConditions(culprit!).find(c => c.status === 'False');
    expect(failed?.message).toMatch(/quota/);

    const tree = await callTool(client, 'get-crossplane-resource-tree', {
      cluster: ITEST3.name,
      ...FAILING,
    });
    expect(tree.isError).toBeFalsy();
    expect(textOf(tree)).toContain(failed!.message!);
  });

  it('lists the namespaced XRD: its form creates the XR itself', async () => {
    const client = await mcp.connect(ALICE);
    const result = await callTool(client, 'list-crossplane-xrds', {
      cluster: [ITEST3.name],
    });
    expect(result.isError).toBeFalsy();
    const xrd = result.structuredContent!.items.find(
      (i: { xrd: string }) => i.xrd === V2_XRD,
    );
    expect(xrd).toMatchObject({
      cluster: ITEST3.name,
      creates: { ...APP_DATABASE, namespaced: true },
      valuesSchema: {
        required: expect.arrayContaining(['name', 'namespace', 'parameters']),
        properties: {
          parameters: {
            properties: { engine: { enum: ['postgres', 'mysql'] } },
          },
        },
      },
    });
  });

  it('creates a namespaced XR in dry run, then for real, owned by the user who asked', async () => {
    const client = await mcp.connect(ALICE);
    const dry = await callTool(client, 'create-crossplane-resource', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
      values: dbValues(V2_DRY),
      dryRun: true,
    });
    expect(dry.isError).toBeFalsy();
    expect(dry.structuredContent).toMatchObject({
      object: { cluster: ITEST3.name, ...V2_DRY },
      dryRun: true,
      created: false,
    });
    expect(dry.structuredContent!.manifest).toContain(`kind: AppDatabase`);
    expect(await admin.get(V2_DRY)).toBeUndefined();

    const result = await callTool(client, 'create-crossplane-resource', {
      cluster: ITEST3.name,
      xrd: V2_XRD,
      values: dbValues(V2_CREATED),
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      object: { cluster: ITEST3.name, ...V2_CREATED },
      created: true,
    });
    const live = await admin.get(V2_CREATED);
    expect(live?.spec).toMatchObject({
      parameters: { engine: 'postgres', storageGB: 20 },
    });
    expect(
      live?.metadata.annotations?.[PlatformOpsMetadata.ownerAnnotation],
    ).toBe(ALICE);
  });

  it("refuses an XR in another team's namespace, creating nothing", async () => {
    expect(
      await createTwice(admin, await mcp.connect(ALICE), V2_REFUSED, {
        cluster: ITEST3.name,
        xrd: V2_XRD,
        values: dbValues(V2_REFUSED),
      }),
    ).toEqual(REFUSED_TWICE);
  });
});
