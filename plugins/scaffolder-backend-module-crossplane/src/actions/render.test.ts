import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createNamespacePolicy,
  DEFAULT_ENTITY_MAPPING,
  groupToken,
  parseLabelSelector,
} from '@platformops/plugin-crossplane-common';
import {
  InMemoryClusterClient,
  postgresXrd,
} from '@platformops/plugin-crossplane-node/testUtils';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { createCrossplaneRenderAction } from './render';

const clusters = new StaticCrossplaneClusters([
  new InMemoryClusterClient('east', [postgresXrd]),
]);
const catalog = catalogServiceMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-alpha' },
      spec: { type: 'team', children: [] },
    },
  ],
});
const action = createCrossplaneRenderAction({ clusters, catalog });

const baseInput = {
  cluster: 'east',
  xrd: 'xpostgresqlinstances.database.example.org',
  name: 'orders-db',
  namespace: 'team-alpha',
  values: { parameters: { version: '16', storage: { sizeGB: 20 } } },
  writeToWorkspace: false,
  layout: '{cluster}/{namespace}/{kind}/{name}.yaml',
};

describe('crossplane:render', () => {
  it('renders a valid claim with owner and template annotations', async () => {
    const { ctx, outputs } = mockActionContext(baseInput);
    await action.handler(ctx);
    expect(outputs.manifest).toMatchObject({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: {
        name: 'orders-db',
        namespace: 'team-alpha',
        annotations: {
          'platformops.io/owner': 'user:default/jane',
          'platformops.io/template': 'template:default/postgresql',
        },
      },
      spec: { parameters: { version: '16', storage: { sizeGB: 20 } } },
    });
    expect(yaml.parse(outputs.yaml as string)).toEqual(outputs.manifest);
    expect(outputs.filePath).toBeUndefined();
    expect(outputs.entityRef).toBe(
      `component:default/orders-db.postgresqlinstance.${groupToken(
        'database.example.org',
      )}.team-alpha.east`,
    );
  });

  it('gives no entityRef for a resource the catalog leaves out', async () => {
    const { ctx, outputs } = mockActionContext(baseInput);
    await createCrossplaneRenderAction({
      clusters,
      catalog,
      mapping: {
        ...DEFAULT_ENTITY_MAPPING,
        labelSelector: parseLabelSelector('platformops.io/ingest'),
      },
    }).handler(ctx);
    expect(outputs.name).toBe('orders-db');
    expect(outputs.entityRef).toBeUndefined();
  });

  it('finds the XRD by the claim apiVersion and kind', async () => {
    const { ctx, outputs } = mockActionContext({
      ...baseInput,
      xrd: undefined,
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
    });
    await action.handler(ctx);
    expect(outputs.kind).toBe('PostgreSQLInstance');
  });

  it('fails with every invalid field named', async () => {
    const { ctx } = mockActionContext({
      ...baseInput,
      values: { parameters: { version: '9', storage: { sizeGB: 5 } } },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /spec\.parameters\.version: must be one of 15, 16, 17/,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      /spec\.parameters\.storage\.sizeGB: .*10/,
    );
  });

  it.each([
    [
      'a missing required field',
      { parameters: { version: '16', storage: {} } },
      'spec.parameters.storage.sizeGB: is required',
    ],
    [
      'a wrong type',
      { parameters: { version: '16', storage: { sizeGB: 'twenty' } } },
      'spec.parameters.storage.sizeGB: must be an integer (got string "twenty")',
    ],
    [
      'an unknown field',
      { parameters: { version: '16', storage: { sizeGB: 20 }, tier: 'gold' } },
      'spec.parameters.tier: unknown field',
    ],
  ])('fails on %s, naming the field', async (_, values, message) => {
    const { ctx } = mockActionContext({ ...baseInput, values });
    await expect(action.handler(ctx)).rejects.toThrow(message);
  });

  it('fails on a name that is not a DNS-1123 label', async () => {
    const { ctx } = mockActionContext({ ...baseInput, name: 'Orders_DB' });
    await expect(action.handler(ctx)).rejects.toThrow(
      'name: must be a DNS-1123 label',
    );
  });

  it('writes the manifest into the workspace at the GitOps layout', async () => {
    const { ctx, outputs, workspacePath } = mockActionContext({
      ...baseInput,
      writeToWorkspace: true,
    });
    await action.handler(ctx);
    expect(outputs.filePath).toBe(
      'east/team-alpha/postgresqlinstance/orders-db.yaml',
    );
    const written = fs.readFileSync(
      path.join(workspacePath, outputs.filePath as string),
      'utf8',
    );
    expect(written).toBe(outputs.yaml);
  });

  it("records the pull request's repository and the file on the object it writes", async () => {
    const repoUrl = 'github.com?owner=acme&repo=platform-gitops';
    const { ctx, outputs, workspacePath } = mockActionContext({
      ...baseInput,
      writeToWorkspace: true,
      sourceRepo: repoUrl,
    });
    await action.handler(ctx);
    const filePath = 'east/team-alpha/postgresqlinstance/orders-db.yaml';
    expect(outputs.filePath).toBe(filePath);
    const annotations = (outputs.manifest as any).metadata.annotations;
    expect(annotations['platformops.io/source-repo']).toBe(repoUrl);
    expect(annotations['platformops.io/source-path']).toBe(filePath);
    expect(annotations['platformops.io/source-cluster']).toBe('east');
    const written = fs.readFileSync(path.join(workspacePath, filePath), 'utf8');
    expect(written).toBe(outputs.yaml);
    expect(written).toContain(`platformops.io/source-path: ${filePath}`);
  });

  it('records no source on an object applied to the cluster', async () => {
    const { ctx, outputs } = mockActionContext({
      ...baseInput,
      sourceRepo: 'github.com?owner=acme&repo=platform-gitops',
    });
    await action.handler(ctx);
    const annotations = (outputs.manifest as any).metadata.annotations ?? {};
    expect(annotations['platformops.io/source-repo']).toBeUndefined();
    expect(annotations['platformops.io/source-path']).toBeUndefined();
  });

  it.each([
    ['../../{name}.yaml', 'has a ".." segment'],
    ['a/../../{name}.yaml', 'has a ".." segment'],
    ['/etc/{name}.yaml', 'is an absolute path'],
    ['C:/{name}.yaml', 'is an absolute path'],
    ['', 'is empty'],
    ['{name}/', "has an empty segment ('//' or a trailing '/')"],
    ['a//{name}.yaml', 'has an empty segment'],
    ['.github/workflows/{name}.yaml', 'has a hidden segment ".github"'],
    ['./{name}.yaml', 'has a "." segment'],
    ['{name}', 'does not name a .yaml or .yml file'],
    ['a\\..\\{name}.yaml', 'has characters other than letters'],
    ['a b/{name}.yaml', 'has characters other than letters'],
    ['{cluster}/{name}\u0000.yaml', 'has characters other than letters'],
    [`${'a/'.repeat(300)}{name}.yaml`, 'is longer than 512 characters'],
    [
      `${'a'.repeat(300)}{name}.yaml`,
      'makes a path segment longer than 255 bytes',
    ],
  ])(
    'refuses the layout %j with an input error naming layout',
    async (layout, problem) => {
      const { ctx, workspacePath } = mockActionContext({
        ...baseInput,
        writeToWorkspace: true,
        layout,
      });
      const error = await action.handler(ctx).then(
        () => undefined,
        e => e,
      );
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(/^layout: /);
      expect(error.message).toContain(problem);
      expect(error.message).not.toContain(workspacePath);
      expect(error.message).not.toContain(os.tmpdir());
      expect(fs.readdirSync(workspacePath)).toEqual([]);
    },
  );

  it('names an unknown placeholder', async () => {
    const { ctx } = mockActionContext({
      ...baseInput,
      writeToWorkspace: true,
      layout: '{team}/{name}.yaml',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'layout: unknown placeholder {team}; use {cluster}, {namespace}, {kind}, {name} or {apiVersion}',
    );
  });

  it('fails without the server path when something is in the way', async () => {
    const { ctx, workspacePath } = mockActionContext({
      ...baseInput,
      writeToWorkspace: true,
      layout: 'manifests/{name}.yaml',
    });
    fs.writeFileSync(path.join(workspacePath, 'manifests'), 'a file');
    const error = await action.handler(ctx).then(
      () => undefined,
      e => e,
    );
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'layout: cannot write "manifests/orders-db.yaml" in the workspace (ENOTDIR: another file or directory is in the way)',
    );
  });

  it('refuses control fields among labels, annotations and values', async () => {
    const annotated = mockActionContext({
      ...baseInput,
      annotations: { 'crossplane.io/external-name': 'their-db' },
    });
    await expect(action.handler(annotated.ctx)).rejects.toThrow(
      'metadata.annotations["crossplane.io/external-name"]: is set by Crossplane and cannot be set from template input',
    );
    const labelled = mockActionContext({
      ...baseInput,
      labels: { 'platformops.io/owner': 'group.default.team-beta' },
    });
    await expect(action.handler(labelled.ctx)).rejects.toThrow(
      'metadata.labels["platformops.io/owner"]: is set by PlatformOps from `owner`',
    );
    const adopting = mockActionContext({
      ...baseInput,
      values: { ...baseInput.values, resourceRef: { name: 'theirs' } },
    });
    await expect(action.handler(adopting.ctx)).rejects.toThrow(
      'spec.resourceRef: is set by Crossplane and cannot be set from template input',
    );
  });

  it('refuses namespaces the policy denies', async () => {
    const { ctx } = mockActionContext({
      ...baseInput,
      namespace: 'kube-system',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      `namespace: "kube-system" may not receive resources from the portal: it matches "kube-*" of the namespace policy's deny list`,
    );
    const teamsOnly = createCrossplaneRenderAction({
      clusters,
      namespacePolicy: createNamespacePolicy({ allow: ['team-*'] }),
    });
    const other = mockActionContext({ ...baseInput, namespace: 'apps' });
    await expect(teamsOnly.handler(other.ctx)).rejects.toThrow(
      `namespace: "apps" may not receive resources from the portal: it matches nothing in the namespace policy's allow list ("team-*")`,
    );
  });

  it('takes an owner from the catalog, normalised', async () => {
    const { ctx, outputs } = mockActionContext({
      ...baseInput,
      owner: 'Group:team-alpha',
    });
    await action.handler(ctx);
    expect(
      (outputs.manifest as any).metadata.annotations['platformops.io/owner'],
    ).toBe('group:default/team-alpha');
  });

  it.each([
    [
      'group:default/nope',
      'owner: "group:default/nope" is not an entity in the catalog',
    ],
    [
      'not a ref !!',
      'owner: must be an entity reference like group:default/team-a',
    ],
    [
      ':',
      'owner: must be an entity reference like group:default/team-a (got ":")',
    ],
    [
      'group:default/team-alpha\nx',
      'owner: must be an entity reference like group:default/team-a, without control characters',
    ],
    [
      'x'.repeat(100_000),
      'owner: must be an entity reference like group:default/team-a, at most 255 characters (got 100000)',
    ],
  ])('refuses the owner %j', async (owner, message) => {
    for (const input of [
      { ...baseInput, owner },
      { ...baseInput, parameters: { name: 'orders-db', owner } },
    ]) {
      const { ctx } = mockActionContext(input);
      await expect(action.handler(ctx)).rejects.toThrow(message);
    }
  });

  it('asks the catalog as the user running the template', async () => {
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const { ctx } = mockActionContext({
      ...baseInput,
      owner: 'group:default/team-alpha',
    });
    await action.handler(ctx);
    expect(getEntityByRef).toHaveBeenCalledWith('group:default/team-alpha', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({
          userEntityRef: 'user:default/jane',
        }),
      }),
    });
    getEntityByRef.mockRestore();
  });

  it('names the missing XRD and the unknown cluster', async () => {
    const { ctx } = mockActionContext({
      ...baseInput,
      xrd: 'xnothing.example.org',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'xrd: no CompositeResourceDefinition "xnothing.example.org" in cluster east',
    );
    const other = mockActionContext({ ...baseInput, cluster: 'west' });
    await expect(action.handler(other.ctx)).rejects.toThrow(
      'no cluster named "west" (known clusters: east)',
    );
  });

  it.each(['toString', 'Xobjectbuckets.storage.example.org', '../x'])(
    'names the xrd input that is not an XRD name (%j)',
    async xrd => {
      const { ctx } = mockActionContext({ ...baseInput, xrd });
      await expect(action.handler(ctx)).rejects.toThrow(
        /^xrd: must be a DNS-1123 subdomain/,
      );
    },
  );
});
