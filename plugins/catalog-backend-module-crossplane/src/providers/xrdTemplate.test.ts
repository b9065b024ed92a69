import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import { xrd } from '../__fixtures__/objects';
import { readProviderConfig } from './config';
import { xrdTemplates } from './xrdTemplate';

type Step = { id: string; action: string; if?: string; input: any };
type Page = {
  title: string;
  required?: string[];
  properties: Record<string, any>;
  dependencies?: any;
};

const steps = (template: Entity) => template.spec!.steps as Step[];
const pages = (template: Entity) => template.spec!.parameters as Page[];
const deliveryPage = (template: Entity) =>
  pages(template).find(page => page.title === 'Delivery')!;

/** The fixture XRD with another schema: a new optional field. */
function evolved(): KubernetesObject {
  const copy: KubernetesObject = JSON.parse(JSON.stringify(xrd));
  const version = (copy.spec as any).versions[0];
  version.schema.openAPIV3Schema.properties.spec.properties.parameters.properties.highAvailability =
    { type: 'boolean' };
  return copy;
}

describe('xrdTemplates', () => {
  const config = readProviderConfig(new ConfigReader({}));

  it('makes one template per XRD offering every cluster that serves it', () => {
    const templates = xrdTemplates(
      new Map([
        ['east', [xrd]],
        ['west', [xrd]],
      ]),
      config,
    );
    expect(templates).toHaveLength(1);
    const [template] = templates;
    expect(template).toMatchObject({
      kind: 'Template',
      metadata: {
        name: 'postgresqlinstance.database.example.org',
        title: 'PostgreSQLInstance',
        annotations: {
          'platformops.io/xrd': 'xpostgresqlinstances.database.example.org',
          'platformops.io/clusters': 'east,west',
        },
      },
      spec: { type: 'crossplane-resource' },
    });
    const delivery = deliveryPage(template);
    expect(delivery.properties.cluster).toMatchObject({
      enum: ['east', 'west'],
      default: 'east',
    });
    expect(JSON.stringify(pages(template))).toContain('sizeGB');
  });

  it("offers the namespace and the Composition through the live pickers, reading the template's clusters", () => {
    const [template] = xrdTemplates(
      new Map([
        ['east', [xrd]],
        ['west', [xrd]],
      ]),
      config,
    );
    const resource = pages(template).find(page => page.title === 'Resource')!;
    const options = {
      xrd: 'xpostgresqlinstances.database.example.org',
      clusters: ['east', 'west'],
    };
    expect(resource.required).toContain('namespace');
    expect(resource.properties.namespace).toMatchObject({
      type: 'string',
      'ui:field': 'CrossplaneNamespacePicker',
      'ui:options': options,
    });
    // Under `crossplane`, where the render reads the chosen Composition.
    expect(resource.properties.crossplane).toMatchObject({
      type: 'object',
      properties: {
        compositionRef: {
          type: 'string',
          'ui:field': 'CrossplaneCompositionPicker',
          'ui:options': options,
        },
      },
    });
  });

  it('asks the cluster first, before the namespace its picker reads from it, and ends with a Review step: the manifest preview of its XRD, asking for nothing', () => {
    const [template] = xrdTemplates(new Map([['east', [xrd]]]), config);
    const titles = pages(template).map(page => page.title);
    expect(titles[0]).toBe('Delivery');
    expect(titles[1]).toBe('Resource');
    expect(titles.at(-1)).toBe('Review');
    expect(titles.filter(title => title === 'Delivery')).toHaveLength(1);
    expect(Object.keys(pages(template)[0].properties)).toContain('cluster');
    const review = pages(template).at(-1)!;
    expect(review.required).toBeUndefined();
    expect(Object.keys(review.properties)).toEqual(['review']);
    expect(review.properties.review).toMatchObject({
      'ui:field': 'CrossplaneManifestPreview',
      'ui:options': { xrd: 'xpostgresqlinstances.database.example.org' },
      'ui:backstage': { review: { show: false } },
    });
    // The render step gets the whole form; the review key is no spec value.
    expect(steps(template)[0].input).toMatchObject({
      xrd: 'xpostgresqlinstances.database.example.org',
      parameters: '${{ parameters }}',
    });
  });

  it('applies and waits, or renders into the workspace and opens a pull request', () => {
    const [template] = xrdTemplates(new Map([['east', [xrd]]]), config);
    expect(steps(template).map(s => [s.id, s.action, s.if])).toEqual([
      ['render', 'crossplane:render', undefined],
      [
        'apply',
        'crossplane:apply',
        "${{ parameters.delivery != 'pull-request' }}",
      ],
      [
        'wait',
        'crossplane:wait',
        "${{ parameters.delivery != 'pull-request' }}",
      ],
      [
        'register',
        'crossplane:await-entity',
        // Only for what the catalog ingests: its filters may leave it out.
        "${{ parameters.delivery != 'pull-request' and steps.render.output.entityRef }}",
      ],
      [
        'pr',
        'publish:github:pull-request',
        "${{ parameters.delivery == 'pull-request' }}",
      ],
    ]);
    const [render, apply, , , pr] = steps(template);
    expect(render.input).toMatchObject({
      cluster: '${{ parameters.cluster }}',
      xrd: 'xpostgresqlinstances.database.example.org',
      parameters: '${{ parameters }}',
      writeToWorkspace: "${{ parameters.delivery == 'pull-request' }}",
      sourceRepo: pr.input.repoUrl,
    });
    expect(apply.input.cluster).toBe('${{ parameters.cluster }}');
    expect(pr.input.repoUrl).toBe('${{ parameters.repoUrl }}');
    const delivery = deliveryPage(template);
    expect(delivery.properties.delivery.enum).toEqual([
      'apply',
      'pull-request',
    ]);
    expect(
      delivery.dependencies.delivery.oneOf[1].properties.repoUrl['ui:options'],
    ).toEqual({ allowedHosts: ['github.com'] });
    expect(template.spec!.output).toMatchObject({
      links: [
        { title: 'Pull request', url: '${{ steps.pr.output.remoteUrl }}' },
        { entityRef: '${{ steps.render.output.entityRef }}' },
      ],
    });
  });

  it('follows the GitOps configuration, and leaves the pull request out when it is off', () => {
    const custom = readProviderConfig(
      new ConfigReader({
        catalog: {
          providers: {
            crossplane: {
              gitops: {
                pullRequestAction: 'publish:gitlab:merge-request',
                pullRequestUrlOutput: 'mergeRequestUrl',
                allowedHosts: ['git.example.com'],
                layout: 'clusters/{cluster}/{name}.yaml',
              },
            },
          },
        },
      }),
    );
    const [template] = xrdTemplates(new Map([['east', [xrd]]]), custom);
    expect(steps(template).at(-1)!.action).toBe('publish:gitlab:merge-request');
    expect((template.spec!.output as any).links[0].url).toBe(
      '${{ steps.pr.output.mergeRequestUrl }}',
    );
    expect(steps(template)[0].input.layout).toBe(
      'clusters/{cluster}/{name}.yaml',
    );

    const off = readProviderConfig(
      new ConfigReader({
        catalog: { providers: { crossplane: { gitops: { enabled: false } } } },
      }),
    );
    const [applyOnly] = xrdTemplates(new Map([['east', [xrd]]]), off);
    expect(steps(applyOnly).map(s => [s.action, s.if])).toEqual([
      ['crossplane:render', undefined],
      ['crossplane:apply', undefined],
      ['crossplane:wait', undefined],
      ['crossplane:await-entity', '${{ steps.render.output.entityRef }}'],
    ]);
    expect((applyOnly.spec!.output as any).links).toEqual([
      expect.objectContaining({ if: '${{ steps.render.output.entityRef }}' }),
    ]);
    expect(steps(applyOnly)[0].input.writeToWorkspace).toBeUndefined();
    expect(deliveryPage(applyOnly).properties.delivery).toBeUndefined();
  });

  it('names the branch and the pull request by namespace only for namespaced resources', () => {
    const [claim] = xrdTemplates(new Map([['east', [xrd]]]), config);
    expect(steps(claim).at(-1)!.input).toMatchObject({
      branchName:
        'crossplane/${{ parameters.cluster }}-${{ steps.render.output.namespace }}-${{ steps.render.output.name }}',
      title:
        'Add PostgreSQLInstance ${{ steps.render.output.namespace }}/${{ steps.render.output.name }} to ${{ parameters.cluster }}',
    });
    // Without claims, a v1 XRD's composites are cluster-scoped.
    const withoutClaims: KubernetesObject = JSON.parse(JSON.stringify(xrd));
    delete (withoutClaims.spec as any).claimNames;
    const [composite] = xrdTemplates(
      new Map([['east', [withoutClaims]]]),
      config,
    );
    expect(steps(composite).at(-1)!.input).toMatchObject({
      branchName:
        'crossplane/${{ parameters.cluster }}-${{ steps.render.output.name }}',
      title:
        'Add XPostgreSQLInstance ${{ steps.render.output.name }} to ${{ parameters.cluster }}',
    });
  });

  it('gives clusters whose XRD differs a template of their own', () => {
    const templates = xrdTemplates(
      new Map([
        ['east', [xrd]],
        ['west', [evolved()]],
        ['north', [xrd]],
      ]),
      config,
    );
    expect(templates).toHaveLength(2);
    const offered = templates.map(t => ({
      name: t.metadata.name,
      clusters: deliveryPage(t).properties.cluster.enum,
      highAvailability: JSON.stringify(pages(t)).includes('highAvailability'),
    }));
    expect(offered).toEqual([
      {
        name: expect.stringMatching(
          /^postgresqlinstance\.database\.example\.org-[0-9a-f]{8}$/,
        ),
        clusters: ['east', 'north'],
        highAvailability: false,
      },
      {
        name: expect.stringMatching(
          /^postgresqlinstance\.database\.example\.org-[0-9a-f]{8}$/,
        ),
        clusters: ['west'],
        highAvailability: true,
      },
    ]);
    expect(offered[0].name).not.toBe(offered[1].name);
  });

  it('skips an unreadable XRD', () => {
    expect(
      xrdTemplates(
        new Map([['east', [{ ...xrd, spec: { group: 'x' } }]]]),
        config,
      ),
    ).toEqual([]);
  });
});
