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
 */
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
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
import { createIdentityProvider } from '../__testUtils__/identityProvider';
import { startPortalBackend } from '../__testUtils__/startPortalBackend';
import { teamNamespacePolicy } from '../__testUtils__/teamNamespacePolicy';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const controlPlane = require('../../../../tools/controlplane');

jest.setTimeout(600_000);

const CLUSTER = { name: 'itest', port: 6643 };
const ALICE = 'user:default/alice';
const SAM = 'user:default/sam';
const XRD = 'xobjectbuckets.storage.platformops.io';
const BUCKET = {
  apiVersion: 'storage.platformops.io/v1alpha1',
  kind: 'ObjectBucket',
};
/** The bucket alice creates for real, and the one only dry-run. */
const CREATED = {
  ...BUCKET,
  namespace: 'team-alpha',
  name: 'mcp-alpha-bucket',
};
const DRY = { ...BUCKET, namespace: 'team-alpha', name: 'mcp-alpha-dry' };
/** The bucket alice may not create: another team's namespace. */
const REFUSED = { ...BUCKET, namespace: 'team-beta', name: 'mcp-beta-bucket' };

const ORG = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-alpha' },
    spec: { type: 'team', children: [] },
  },
  ...['alice', 'sam'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: name === 'alice' ? ['team-alpha'] : [] },
  })),
];

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

const bucketValues = (o: { namespace: string; name: string }) => ({
  name: o.name,
  namespace: o.namespace,
  parameters: { storageClass: 'STANDARD', region: 'eu-west-1' },
});

describe('The MCP server, driven by a real MCP client', () => {
  let admin: KubernetesClusterClient;
  let stop: (() => Promise<void>) | undefined;
  let url: URL;
  /** The demo's failing claims, as the cluster lists them. */
  let failing: KubernetesObject[] = [];
  const log = capturingRootLogger();
  const identity = createIdentityProvider();
  const clients: Client[] = [];

  /** An MCP client connected as a user (their Backstage token), or none. */
  async function connect(user?: string): Promise<Client> {
    const client = new Client({ name: 'mcp-integration-test', version: '1' });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: user
        ? { headers: { Authorization: `Bearer ${identity.userToken(user)}` } }
        : {},
    });
    clients.push(client);
    await client.connect(transport);
    return client;
  }

  const callTool = async (
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ) =>
    (await client.callTool({
      name: `crossplane.${name}`,
      arguments: args,
    })) as ToolResult;

  const textOf = (result: ToolResult) =>
    result.content.map(c => c.text ?? '').join('\n');

  beforeAll(async () => {
    const cp = controlPlane.ensureControlPlane({
      ...CLUSTER,
      seed: true,
      waitReady: true,
    });
    admin = KubernetesClusterClient.fromConfig({
      ...cp.backstageCluster,
      serviceAccountToken: cp.adminToken,
    });
    // Leftovers of an interrupted run would make the creates conflict.
    await Promise.all(
      [CREATED, DRY, REFUSED].map(o => admin.delete(o).catch(() => false)),
    );
    await Promise.all(
      [CREATED, DRY, REFUSED].map(o =>
        waitFor(`${o.name} to be gone`, async () =>
          (await admin.get(o)) ? undefined : true,
        ),
      ),
    );

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

    const started = await startPortalBackend({
      name: 'mcp',
      cluster: cp.backstageCluster,
      entities: ORG,
      policy: teamNamespacePolicy({
        moduleId: 'mcp-test-policy',
        namespaces: {
          [ALICE]: ['team-alpha'],
          [SAM]: [...new Set(failing.map(c => c.metadata.namespace!))],
        },
      }),
      identity,
      features: [mcpActionsPlugin, log.factory],
      config: { backend: { actions: { pluginSources: ['crossplane'] } } },
    });
    stop = started.stop;
    url = new URL(
      `http://localhost:${started.backend.server.port()}/api/mcp-actions/v1`,
    );
    const token = identity.userToken(ALICE);
    await waitFor('the cache of itest to sync', async () => {
      const res = await fetch(
        `http://localhost:${started.backend.server.port()}/api/crossplane/clusters`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      const body = await res.json();
      return body.items?.[0]?.synced || undefined;
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close().catch(() => undefined)));
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
    // On a freshly seeded cluster the claim is Progressing until its
    // composed resource reports the failure.
    const item = await waitFor(
      `${claim.metadata.name} to be listed as Degraded`,
      async () => {
        const list = await callTool(client, 'list-crossplane-resources', {
          namespace: [claim.metadata.namespace],
          health: ['Degraded'],
        });
        expect(list.isError).toBeFalsy();
        return list.structuredContent!.items.find(
          (i: { kind: string; name: string }) =>
            i.kind === claim.kind && i.name === claim.metadata.name,
        );
      },
      180_000,
    );
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

  it("refuses a create in another team's namespace, creating nothing", async () => {
    const client = await connect(ALICE);
    for (const dryRun of [true, false]) {
      const result = await callTool(client, 'create-crossplane-resource', {
        cluster: CLUSTER.name,
        xrd: XRD,
        values: bucketValues(REFUSED),
        dryRun,
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /NotAllowedError: crossplane\.resource\.create: not allowed/,
      );
    }
    expect(await admin.get(REFUSED)).toBeUndefined();
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
    const res = await fetch(url, {
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
