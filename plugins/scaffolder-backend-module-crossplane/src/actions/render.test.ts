import { InMemoryClusterClient } from '@platformops/plugin-crossplane-node/testUtils';
import { StaticCrossplaneClusters } from '@platformops/plugin-crossplane-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { mockActionContext } from '../__testUtils__/mockActionContext';
import { postgresXrd } from '../__testUtils__/xrd';
import { createCrossplaneRenderAction } from './render';

const action = createCrossplaneRenderAction({
  clusters: new StaticCrossplaneClusters([
    new InMemoryClusterClient('east', [postgresXrd]),
  ]),
});

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
      'component:default/orders-db.postgresqlinstance.team-alpha.east',
    );
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

  it('refuses a layout that leaves the workspace', async () => {
    const { ctx } = mockActionContext({
      ...baseInput,
      writeToWorkspace: true,
      layout: '../../{name}.yaml',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'layout: "../../{name}.yaml" leads outside the workspace',
    );
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
});
