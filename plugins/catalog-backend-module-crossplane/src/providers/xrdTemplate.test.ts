import { ConfigReader } from '@backstage/config';
import { xrd } from '../__fixtures__/objects';
import { readProviderConfig } from './config';
import { xrdTemplate } from './xrdTemplate';

describe('xrdTemplate', () => {
  const config = readProviderConfig(new ConfigReader({}));

  it('makes a template whose form comes from the XRD schema and whose steps render, apply and wait', () => {
    const template = xrdTemplate(xrd, 'east', config)!;
    expect(template).toMatchObject({
      kind: 'Template',
      metadata: {
        name: 'create-postgresqlinstance.template.east',
        title: 'PostgreSQLInstance in east',
      },
      spec: {
        type: 'crossplane-resource',
        owner: 'group:default/platform-team',
      },
    });
    const steps = template.spec!.steps as {
      action: string;
      input: Record<string, unknown>;
    }[];
    expect(steps.map(s => s.action)).toEqual([
      'crossplane:render',
      'crossplane:apply',
      'crossplane:wait',
    ]);
    expect(steps[0].input).toMatchObject({
      cluster: 'east',
      xrd: 'xpostgresqlinstances.database.example.org',
    });
    const parameters = template.spec!.parameters as {
      properties: Record<string, unknown>;
    }[];
    expect(Object.keys(parameters[0].properties)).toEqual(
      expect.arrayContaining(['name', 'namespace']),
    );
    expect(JSON.stringify(parameters)).toContain('storageGB');
  });

  it('gives no template for an unreadable XRD', () => {
    expect(
      xrdTemplate({ ...xrd, spec: { group: 'x' } }, 'east', config),
    ).toBeUndefined();
  });
});
