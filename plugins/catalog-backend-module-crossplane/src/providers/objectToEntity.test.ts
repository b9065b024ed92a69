import { ConfigReader } from '@backstage/config';
import {
  groupToken,
  identityOf,
  KubernetesObject,
  objectEntityName,
} from '@platformops/plugin-crossplane-common';
import {
  claim,
  composite,
  deployment,
  managed,
  secret,
  service,
  xrd,
} from '../__fixtures__/objects';
import { ClusterSnapshot } from './ClusterSnapshot';
import { readProviderConfig } from './config';
import { objectToEntity } from './objectToEntity';

const objects = [xrd, claim, composite, managed, deployment, service, secret];
const nameOf = (object: KubernetesObject) =>
  objectEntityName(identityOf(object, 'east'));

function snapshot(config: object = {}) {
  return new ClusterSnapshot(
    'east',
    readProviderConfig(
      new ConfigReader({ catalog: { providers: { crossplane: config } } }),
    ),
    objects,
  );
}

describe('objectToEntity', () => {
  it('maps a claim to a Component that depends on its composite, owned by its label', () => {
    const entity = objectToEntity(claim, snapshot());
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        // Readable: name, kind, a token of the group, namespace, cluster.
        name: `orders-db.postgresqlinstance.${groupToken(
          'database.example.org',
        )}.team-alpha.east`,
        namespace: 'default',
        title: 'orders-db',
        labels: { 'platformops.io/health': 'healthy' },
        annotations: {
          'platformops.io/cluster': 'east',
          'platformops.io/api-version': 'database.example.org/v1alpha1',
          'platformops.io/kind': 'PostgreSQLInstance',
          'platformops.io/namespace': 'team-alpha',
          'platformops.io/name': 'orders-db',
          'platformops.io/uid': 'claim-1',
          'platformops.io/object-class': 'claim',
          'platformops.io/health': 'Healthy',
          'backstage.io/managed-by-location': 'crossplane:cluster/east',
        },
      },
      spec: {
        type: 'crossplane-claim',
        owner: 'group:default/team-alpha',
        lifecycle: 'production',
        dependsOn: [`component:default/${nameOf(composite)}`],
      },
    });
  });

  it('maps a composite to its composed resources that exist, owned like its claim', () => {
    const entity = objectToEntity(composite, snapshot());
    expect(entity?.spec).toMatchObject({
      type: 'crossplane-xr',
      owner: 'group:default/team-alpha',
      // The dangling ref (…-gone) gives no relation.
      dependsOn: [`resource:default/${nameOf(managed)}`],
    });
  });

  it("offers the Kubernetes tab only where it shows something: no claim or composite that composes only managed resources, a workload's pods in its cluster", () => {
    const kubernetesOf = (object: KubernetesObject, objects_ = objects) =>
      Object.fromEntries(
        Object.entries(
          objectToEntity(
            object,
            new ClusterSnapshot(
              'east',
              readProviderConfig(new ConfigReader({})),
              objects_,
            ),
          )?.metadata.annotations ?? {},
        ).filter(([key]) => key.startsWith('backstage.io/kubernetes')),
      );
    expect(kubernetesOf(claim)).toEqual({});
    expect(kubernetesOf(composite)).toEqual({});
    expect(kubernetesOf(managed)).toEqual({});
    expect(kubernetesOf(deployment)).toEqual({
      'backstage.io/kubernetes-label-selector': 'app=orders-api',
      'backstage.io/kubernetes-namespace': 'team-alpha',
      'backstage.io/kubernetes-cluster': 'east',
    });
    // A service has no selector of its own objects: no tab.
    expect(kubernetesOf(service)).toEqual({});

    // A composite that composes a Deployment: Crossplane labels it with the
    // claim and the composite, so their tabs select it, in its namespace.
    const composing: KubernetesObject = JSON.parse(JSON.stringify(composite));
    (composing.spec as any).resourceRefs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orders-db-7xk2p-exporter',
      namespace: 'monitoring',
    });
    const withWorkload = [xrd, claim, composing, managed];
    expect(kubernetesOf(claim, withWorkload)).toEqual({
      'backstage.io/kubernetes-label-selector':
        'crossplane.io/claim-name=orders-db,crossplane.io/claim-namespace=team-alpha',
      'backstage.io/kubernetes-namespace': 'monitoring',
      'backstage.io/kubernetes-cluster': 'east',
    });
    expect(kubernetesOf(composing, withWorkload)).toEqual({
      'backstage.io/kubernetes-label-selector':
        'crossplane.io/composite=orders-db-7xk2p',
      'backstage.io/kubernetes-namespace': 'monitoring',
      'backstage.io/kubernetes-cluster': 'east',
    });
    // A kind of the same name in another group is no workload.
    const lookalike: KubernetesObject = JSON.parse(JSON.stringify(composite));
    (lookalike.spec as any).resourceRefs = [
      { apiVersion: 'example.org/v1', kind: 'Deployment', name: 'x' },
    ];
    expect(kubernetesOf(lookalike, [xrd, claim, lookalike])).toEqual({});
  });

  it('maps a managed resource to a Resource with its health and reason', () => {
    const entity = objectToEntity(managed, snapshot());
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: nameOf(managed),
        labels: { 'platformops.io/health': 'progressing' },
        annotations: {
          'platformops.io/health': 'Progressing',
          'platformops.io/health-reason': 'Creating',
          'platformops.io/health-message': 'waiting for the database server',
        },
      },
      spec: { type: 'crossplane-managed', owner: 'group:default/team-alpha' },
    });
  });

  it('shows a paused claim as Paused in its health annotations and label', () => {
    const paused = {
      ...claim,
      metadata: {
        ...claim.metadata,
        annotations: {
          ...claim.metadata.annotations,
          'crossplane.io/paused': 'true',
        },
      },
    };
    const entity = objectToEntity(paused, snapshot());
    expect(entity?.metadata.labels).toEqual({
      'platformops.io/health': 'paused',
    });
    expect(entity?.metadata.annotations).toMatchObject({
      'platformops.io/health': 'Paused',
      'platformops.io/health-reason': 'ReconcilePaused',
      'platformops.io/health-message':
        'reconciliation is paused by the crossplane.io/paused annotation',
    });
  });

  it('maps an XRD to an API whose definition is its schema', () => {
    const entity = objectToEntity(xrd, snapshot());
    expect(entity?.kind).toBe('API');
    expect(entity?.spec?.type).toBe('crossplane-xrd');
    expect(entity?.spec?.definition).toContain('claimKind: PostgreSQLInstance');
    expect(entity?.spec?.definition).toContain('sizeGB');
  });

  it('maps workloads by option and never a Secret', () => {
    expect(objectToEntity(deployment, snapshot())).toMatchObject({
      kind: 'Component',
      spec: { type: 'kubernetes-workload' },
      metadata: {
        annotations: {
          'backstage.io/kubernetes-label-selector': 'app=orders-api',
        },
      },
    });
    expect(objectToEntity(service, snapshot())?.spec?.type).toBe(
      'kubernetes-service',
    );
    expect(
      objectToEntity(deployment, snapshot({ workloads: false })),
    ).toBeUndefined();
    expect(objectToEntity(secret, snapshot())).toBeUndefined();
  });

  it('applies kind, namespace, label and owner options', () => {
    const options = snapshot({
      claimsAs: 'Resource',
      namespaces: ['team-beta'],
      owner: { fromNamespace: true, default: 'group:default/ops' },
    });
    expect(objectToEntity(claim, options)).toBeUndefined();
    const cluster = snapshot({
      claimsAs: 'Resource',
      owner: { label: 'none', fromNamespace: true },
    });
    expect(objectToEntity(claim, cluster)).toMatchObject({
      kind: 'Resource',
      spec: { owner: 'group:default/team-alpha' },
    });
    expect(
      objectToEntity(xrd, snapshot({ owner: { default: 'group:default/ops' } }))
        ?.spec?.owner,
    ).toBe('group:default/ops');
    expect(
      objectToEntity(claim, snapshot({ labelSelector: 'tier=gold' })),
    ).toBeUndefined();
  });

  it('names the field of a wrong option', () => {
    expect(() => snapshot({ claimsAs: 'System' })).toThrow(
      'catalog.providers.crossplane.claimsAs: must be one of Component, Resource (got "System")',
    );
  });
});

describe('owner labels', () => {
  it('reads an entity ref written with dots, as rendered claims carry it', () => {
    const rendered = {
      ...claim,
      metadata: {
        ...claim.metadata,
        labels: { 'platformops.io/owner': 'user.default.jane' },
      },
    };
    expect(objectToEntity(rendered, snapshot())?.spec?.owner).toBe(
      'user:default/jane',
    );
  });
});
