import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { screen } from '@testing-library/react';
import crossplanePlugin, {
  crossplaneEntityEventsCard,
  crossplaneEntityResourceTreeContent,
  crossplaneEntityRollupCard,
  crossplaneEntityServiceContent,
  crossplaneEntityStatusCard,
  crossplaneEntityTimelineCard,
  crossplaneEntityYamlContent,
  crossplaneManifestPreviewFormField,
} from './alpha';
import { crossplaneApiRef } from './api/CrossplaneApi';
import { ManifestPreviewField } from './components/ManifestPreviewField';
import { summaryFor } from './__testUtils__/summaryFixtures';
import { claimEntity, fakeCrossplaneApi } from './__testUtils__/testing';

const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web' },
};

describe('crossplane frontend plugin (new frontend system)', () => {
  it('mounts the control-plane page with the clusters from the API', async () => {
    const api = fakeCrossplaneApi({
      getClusters: async () => [
        { name: 'east', reachable: true, kubernetesVersion: 'v1.34.1' },
        { name: 'west', reachable: false, lastError: 'connect ECONNREFUSED' },
      ],
      getSummary: async f => summaryFor(f),
      getUpgrades: async () => [],
    });

    renderTestApp({
      features: [crossplanePlugin],
      initialRouteEntries: ['/crossplane'],
      apis: [[crossplaneApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(await screen.findByTestId('cluster-tile-east')).toBeInTheDocument();
    expect(screen.getByText('Kubernetes v1.34.1')).toBeInTheDocument();
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    expect(screen.getByText('connect ECONNREFUSED')).toBeInTheDocument();
    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();
  });

  it.each([
    ['status card', crossplaneEntityStatusCard, EntityCardBlueprint],
    ['events card', crossplaneEntityEventsCard, EntityCardBlueprint],
    ['timeline card', crossplaneEntityTimelineCard, EntityCardBlueprint],
    [
      'resource tree content',
      crossplaneEntityResourceTreeContent,
      EntityContentBlueprint,
    ],
    ['YAML content', crossplaneEntityYamlContent, EntityContentBlueprint],
  ] as const)(
    'shows the %s only on entities with the cluster annotation',
    (_, extension, blueprint) => {
      const tester = createExtensionTester(extension as any);
      const filter = tester.get(blueprint.dataRefs.filterFunction as any) as
        | ((entity: Entity) => boolean)
        | undefined;
      expect(filter?.(claimEntity)).toBe(true);
      expect(filter?.(plainEntity)).toBe(false);
    },
  );

  it('shows the "Service health" tab on services only, and the roll-up card on Systems and owners', () => {
    const filterOf = (extension: any, blueprint: any) =>
      createExtensionTester(extension).get(
        blueprint.dataRefs.filterFunction,
      ) as (entity: Entity) => boolean;
    const serviceTab = filterOf(
      crossplaneEntityServiceContent,
      EntityContentBlueprint,
    );
    expect(serviceTab(plainEntity)).toBe(true);
    expect(
      serviceTab({
        ...claimEntity,
        kind: 'Component',
        spec: { type: 'crossplane-claim' },
      }),
    ).toBe(false);
    expect(serviceTab({ ...plainEntity, kind: 'System' })).toBe(false);
    const rollupCard = filterOf(
      crossplaneEntityRollupCard,
      EntityCardBlueprint,
    );
    expect(rollupCard({ ...plainEntity, kind: 'System' })).toBe(true);
    expect(rollupCard({ ...plainEntity, kind: 'Group' })).toBe(true);
    expect(rollupCard(plainEntity)).toBe(false);
  });

  it("offers the generated templates' manifest preview to the scaffolder's form", async () => {
    expect(
      crossplanePlugin.getExtension(
        'scaffolder-form-field:crossplane/manifest-preview',
      ),
    ).toBeDefined();
    const tester = createExtensionTester(crossplaneManifestPreviewFormField);
    const load = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    expect(await load()).toMatchObject({
      name: 'CrossplaneManifestPreview',
      component: ManifestPreviewField,
    });
  });
});
