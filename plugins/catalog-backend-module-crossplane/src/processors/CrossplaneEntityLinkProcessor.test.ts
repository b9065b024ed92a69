import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  KubernetesObject,
  objectEntityName,
  splitApiVersion,
} from '@platformops/plugin-crossplane-common';
import { claim, composite, managed } from '../__fixtures__/objects';
import { readProviderConfig } from '../providers/config';
import { CrossplaneEntityLinkProcessor } from './CrossplaneEntityLinkProcessor';
import { clusterObjectsOf } from './DependsOnAnnotationProcessor';

const processor = new CrossplaneEntityLinkProcessor(
  readProviderConfig(new ConfigReader({})),
);
const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders-api',
      annotations: {
        'platformops.io/cluster': 'east',
        'platformops.io/kind': 'PostgreSQLInstance',
        'platformops.io/namespace': 'team-a',
        'platformops.io/name': 'orders-db',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

describe('CrossplaneEntityLinkProcessor', () => {
  it('relates a hand-written entity to the entity of the object of that group', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(
      service({
        'platformops.io/api-version': 'database.example.org/v1alpha1',
      }),
      location,
      emit,
    );
    const name = objectEntityName({
      cluster: 'east',
      group: 'database.example.org',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
    });
    expect(emit).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'relation',
        relation: expect.objectContaining({
          type: 'dependsOn',
          target: { kind: 'Component', namespace: 'default', name },
        }),
      }),
    );
  });

  it('asks for the apiVersion instead of guessing the group', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(service({}), location, emit);
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit.mock.calls[0][0]).toMatchObject({
      type: 'error',
      error: {
        message: expect.stringContaining(
          'platformops.io/api-version: is required',
        ),
      },
    });
  });

  describe("the Kubernetes tab of an entity linked to a claim: its object's", () => {
    /** A processor over cluster east holding these objects. */
    const over = (objects: KubernetesObject[]) =>
      new CrossplaneEntityLinkProcessor(
        readProviderConfig(new ConfigReader({})),
        clusterObjectsOf(cluster =>
          cluster === 'east'
            ? {
                objectsOfKind: (group, kind) =>
                  objects.filter(
                    o =>
                      o.kind === kind &&
                      splitApiVersion(o.apiVersion).group === group,
                  ),
              }
            : undefined,
        ),
      );
    const linkedToClaim = (annotations: Record<string, string> = {}) =>
      service({
        'platformops.io/api-version': 'database.example.org/v1alpha1',
        'platformops.io/namespace': 'team-alpha',
        ...annotations,
      });
    const kubernetesOf = (entity: Entity) =>
      Object.fromEntries(
        Object.entries(entity.metadata.annotations ?? {}).filter(([key]) =>
          key.startsWith('backstage.io/kubernetes'),
        ),
      );
    const composing: KubernetesObject = JSON.parse(JSON.stringify(composite));
    (composing.spec as any).resourceRefs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orders-db-7xk2p-exporter',
      namespace: 'team-alpha',
    });

    it('selects the workloads its composite composes', async () => {
      const entity = await over([claim, composing]).preProcessEntity(
        linkedToClaim(),
      );
      expect(kubernetesOf(entity)).toEqual({
        'backstage.io/kubernetes-label-selector':
          'crossplane.io/claim-name=orders-db,crossplane.io/claim-namespace=team-alpha',
        'backstage.io/kubernetes-namespace': 'team-alpha',
        'backstage.io/kubernetes-cluster': 'east',
      });
    });

    it('offers no tab for a claim of managed resources only, nor for an object not in the cluster', async () => {
      for (const objects of [[claim, composite, managed], []]) {
        const entity = await over(objects).preProcessEntity(linkedToClaim());
        expect(kubernetesOf(entity)).toEqual({});
      }
    });

    it("leaves the author's own selection alone", async () => {
      const entity = await over([claim, composing]).preProcessEntity(
        linkedToClaim({ 'backstage.io/kubernetes-id': 'orders-api' }),
      );
      expect(kubernetesOf(entity)).toEqual({
        'backstage.io/kubernetes-id': 'orders-api',
      });
    });
  });
});
