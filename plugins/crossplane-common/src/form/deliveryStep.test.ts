import { Validator } from 'jsonschema';
import { deliveryFormStep } from './deliveryStep';

/** Validates form data against one step, as the scaffolder backend does. */
function errors(step: object, data: object): string[] {
  return new Validator().validate(data, step).errors.map(e => e.stack);
}

describe('deliveryFormStep', () => {
  it('offers the clusters, the first as default', () => {
    const step = deliveryFormStep({ clusters: ['east', 'west'] });
    expect(step.required).toEqual(['cluster']);
    expect(step.properties.cluster).toMatchObject({
      enum: ['east', 'west'],
      default: 'east',
    });
    expect(step.properties.delivery).toBeUndefined();
    expect(errors(step, { cluster: 'west' })).toEqual([]);
    expect(errors(step, { cluster: 'north' })).toEqual([
      expect.stringContaining('cluster is not one of enum values'),
    ]);
  });

  it('asks for a repository only when a pull request is chosen', () => {
    const step = deliveryFormStep({
      clusters: ['east'],
      gitops: { allowedHosts: ['github.com'] },
    });
    expect(step.required).toEqual(['cluster', 'delivery']);
    expect(step.properties.delivery).toMatchObject({
      enum: ['apply', 'pull-request'],
      default: 'apply',
    });
    expect(errors(step, { cluster: 'east', delivery: 'apply' })).toEqual([]);
    // Without a repository the pull-request branch of the dependency fails.
    expect(
      errors(step, { cluster: 'east', delivery: 'pull-request' }).join('\n'),
    ).toContain('does not meet dependency required by instance.delivery');
    expect(
      errors(step, {
        cluster: 'east',
        delivery: 'pull-request',
        repoUrl: 'github.com?owner=acme&repo=gitops',
      }),
    ).toEqual([]);
    expect(
      errors(step, { cluster: 'east', delivery: 'email' }).join('\n'),
    ).toContain('delivery');
    const pr = (step.dependencies as any).delivery.oneOf[1].properties.repoUrl;
    expect(pr).toMatchObject({
      'ui:field': 'RepoUrlPicker',
      'ui:options': { allowedHosts: ['github.com'] },
    });
  });

  it('needs a cluster', () => {
    expect(() => deliveryFormStep({ clusters: [] })).toThrow(
      'at least one cluster',
    );
  });
});
