import { mockServices } from '@backstage/backend-test-utils';
import {
  apiVersionOf,
  CrossplaneObjectId,
  crossplaneResourceRef,
  KubernetesObject,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import { ClusterObjectCache } from '@platformops/plugin-crossplane-node';
import {
  InMemoryClusterClient,
  waitFor,
} from '@platformops/plugin-crossplane-node/testUtils';
import { demoCluster } from '../__fixtures__/demoCluster';
import { ClusterView } from './ClusterView';
import { PermissionSubjects } from './PermissionSubjects';

async function setup() {
  const client = new InMemoryClusterClient('east', demoCluster);
  const cache = new ClusterObjectCache({
    client,
    logger: mockServices.logger.mock(),
  });
  cache.start();
  await waitFor(
    'the cache to sync',
    async () => cache.status().synced || undefined,
    5_000,
  );
  const view = new ClusterView(cache);
  const subjects = new PermissionSubjects({
    view: cluster => (cluster === 'east' ? view : undefined),
    ownerOf: object =>
      `group:default/${object.metadata.labels?.['platformops.io/owner']}`,
  });
  // As the status service does with each view it makes.
  subjects.follow(view);
  return { client, view, subjects, stop: () => cache.stop() };
}

const db = 'database.example.org/v1alpha1';

const billingClaim = parseObjectId({
  cluster: 'east',
  apiVersion: db,
  kind: 'PostgreSQLInstance',
  namespace: 'team-beta',
  name: 'billing-db',
});
const billingXr = parseObjectId({
  cluster: 'east',
  apiVersion: db,
  kind: 'XPostgreSQLInstance',
  name: 'billing-db-def34',
});
const billingMr = parseObjectId({
  cluster: 'east',
  apiVersion: 'nop.crossplane.io/v1alpha1',
  kind: 'NopResource',
  name: 'billing-db-def34-server',
});
const locatorOf = (id: CrossplaneObjectId) => ({
  apiVersion: apiVersionOf(id),
  kind: id.kind,
  namespace: id.namespace,
  name: id.name,
});

/** Removes objects from the cluster, and waits until the view has seen it. */
async function remove(
  client: InMemoryClusterClient,
  view: ClusterView,
  ...ids: CrossplaneObjectId[]
) {
  ids.forEach(id => client.remove(locatorOf(id)));
  await waitFor(
    'the objects to leave the view',
    async () => (ids.some(id => view.find(id)) ? undefined : true),
    5_000,
  );
}

describe('PermissionSubjects', () => {
  it('judges a claim by its own namespace and owner', async () => {
    const { subjects, stop } = await setup();
    const subject = subjects.of(
      parseObjectId({
        cluster: 'east',
        apiVersion: db,
        kind: 'PostgreSQLInstance',
        namespace: 'team-beta',
        name: 'billing-db',
      }),
    );
    expect(subject).toMatchObject({
      namespace: 'team-beta',
      governingNamespace: 'team-beta',
      owner: 'group:default/team-beta',
    });
    stop();
  });

  it('judges a cluster-scoped composite and its managed resource by the claim that owns them', async () => {
    const { subjects, stop } = await setup();
    const composite = subjects.of(
      parseObjectId({
        cluster: 'east',
        apiVersion: db,
        kind: 'XPostgreSQLInstance',
        name: 'billing-db-def34',
      }),
    );
    expect(composite).toMatchObject({
      namespace: undefined,
      governingNamespace: 'team-beta',
      owner: 'group:default/team-beta',
    });
    const managed = subjects.of(
      parseObjectId({
        cluster: 'east',
        apiVersion: 'nop.crossplane.io/v1alpha1',
        kind: 'NopResource',
        name: 'billing-db-def34-server',
      }),
    );
    expect(managed.governingNamespace).toBe('team-beta');
    stop();
  });

  it('does not let a namespace in the request speak for a cluster-scoped object', async () => {
    const { subjects, stop } = await setup();
    const subject = subjects.of(
      parseObjectId({
        cluster: 'east',
        apiVersion: db,
        kind: 'XPostgreSQLInstance',
        namespace: 'team-alpha',
        name: 'billing-db-def34',
      }),
    );
    expect(subject.namespace).toBeUndefined();
    expect(subject.governingNamespace).toBe('team-beta');
    stop();
  });

  it('gives a new namespaced object its namespace, and an unknown cluster-scoped one none', async () => {
    const { subjects, stop } = await setup();
    expect(
      subjects.of(
        parseObjectId({
          cluster: 'east',
          apiVersion: db,
          kind: 'PostgreSQLInstance',
          namespace: 'team-alpha',
          name: 'not-yet-created',
        }),
      ).governingNamespace,
    ).toBe('team-alpha');
    expect(
      subjects.of(
        parseObjectId({
          cluster: 'east',
          apiVersion: db,
          kind: 'XPostgreSQLInstance',
          name: 'not-yet-created',
        }),
      ).governingNamespace,
    ).toBeUndefined();
    stop();
  });

  it('reads subjects from exact resource refs only', async () => {
    const { subjects, stop } = await setup();
    const [exact, upper, foreign] = await subjects.ofRefs([
      crossplaneResourceRef({
        cluster: 'east',
        apiVersion: db,
        kind: 'PostgreSQLInstance',
        namespace: 'team-beta',
        name: 'billing-db',
      }),
      'east:database.example.org/v1alpha1/PostgreSQLInstance/TEAM-BETA/billing-db',
      'component:default/x',
    ]);
    expect(exact?.governingNamespace).toBe('team-beta');
    expect(upper).toBeUndefined();
    expect(foreign).toBeUndefined();
    stop();
  });

  it("keeps a composite and its managed resources their claim's once the claim is gone, by what Crossplane wrote on them", async () => {
    const { client, view, subjects, stop } = await setup();
    await remove(client, view, billingClaim);
    // The composite names its claim (claimRef); its managed resource is its.
    expect(subjects.of(billingXr).governingNamespace).toBe('team-beta');
    expect(subjects.of(billingMr).governingNamespace).toBe('team-beta');

    // The composite gone too: a managed resource speaks by its claim labels
    // (the fixture's has none: it belongs to no one).
    await remove(client, view, billingXr);
    expect(subjects.of(billingMr).governingNamespace).toBeUndefined();
    const mr = (await client.get(locatorOf(billingMr)))!;
    client.put({
      ...mr,
      metadata: {
        ...mr.metadata,
        labels: {
          ...mr.metadata.labels,
          'crossplane.io/claim-name': 'billing-db',
          'crossplane.io/claim-namespace': 'team-beta',
        },
      },
    });
    await waitFor(
      'the labels to reach the view',
      async () =>
        view.find(billingMr)?.metadata.labels?.['crossplane.io/claim-name'] ||
        undefined,
      5_000,
    );
    expect(subjects.of(billingMr).governingNamespace).toBe('team-beta');
    stop();
  });

  it('takes no claimRef of what is not a composite, nor a namespace for a composite no claim made', async () => {
    const { client, view, subjects, stop } = await setup();
    // A managed resource whose own spec has a claimRef (as a
    // PersistentVolume's has): not Crossplane's claim binding.
    const mr: KubernetesObject = {
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      metadata: { name: 'stray-mr' },
      spec: {
        forProvider: {},
        claimRef: {
          apiVersion: db,
          kind: 'PostgreSQLInstance',
          namespace: 'team-beta',
          name: 'billing-db',
        },
      },
    };
    const xr: KubernetesObject = {
      apiVersion: db,
      kind: 'XPostgreSQLInstance',
      metadata: { name: 'unclaimed-xr' },
      spec: {},
    };
    client.put(mr);
    client.put(xr);
    const mrId = { ...billingMr, name: 'stray-mr' };
    const xrId = { ...billingXr, name: 'unclaimed-xr' };
    await waitFor(
      'both to reach the view',
      async () => (view.find(mrId) && view.find(xrId) ? true : undefined),
      5_000,
    );
    expect(subjects.of(mrId).governingNamespace).toBeUndefined();
    expect(subjects.of(xrId).governingNamespace).toBeUndefined();
    stop();
  });

  it('judges an object deleted lately as it was when it went, only when asked to', async () => {
    const { client, view, subjects, stop } = await setup();
    await remove(client, view, billingClaim, billingXr);
    expect(subjects.of(billingXr, { departed: true })).toMatchObject({
      namespace: undefined,
      governingNamespace: 'team-beta',
    });
    expect(subjects.of(billingClaim, { departed: true })).toMatchObject({
      governingNamespace: 'team-beta',
      owner: 'group:default/team-beta',
    });
    // Otherwise (writes, creates) it is an object that does not exist.
    expect(subjects.of(billingXr).governingNamespace).toBeUndefined();
    expect(subjects.of(billingClaim).owner).toBeUndefined();
    // One that never existed is judged as a new one.
    expect(
      subjects.of({ ...billingXr, name: 'never-was' }, { departed: true })
        .governingNamespace,
    ).toBeUndefined();
    stop();
  });
});
