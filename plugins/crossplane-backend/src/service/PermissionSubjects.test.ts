import { mockServices } from '@backstage/backend-test-utils';
import {
  crossplaneResourceRef,
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
  return { subjects, stop: () => cache.stop() };
}

const db = 'database.example.org/v1alpha1';

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
});
