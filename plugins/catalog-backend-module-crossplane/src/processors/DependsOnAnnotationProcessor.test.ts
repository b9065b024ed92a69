import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  DEFAULT_ENTITY_MAPPING,
  KubernetesObject,
} from '@platformops/plugin-crossplane-common';
import {
  clusterObjectsOf,
  DEPENDS_ON_ANNOTATION,
  DependsOnAnnotationProcessor,
} from './DependsOnAnnotationProcessor';

const location: LocationSpec = { type: 'file', target: '/catalog-info.yaml' };

const claim: KubernetesObject = {
  apiVersion: 'database.platformops.io/v1alpha1',
  kind: 'PostgreSQLInstance',
  metadata: { name: 'payments-db', namespace: 'team-alpha' },
  spec: {
    compositionRef: { name: 'postgres' },
    resourceRef: {
      apiVersion: 'database.platformops.io/v1alpha1',
      kind: 'XPostgreSQLInstance',
      name: 'payments-db-x7',
    },
  },
};
const secret: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'payments-db-connection', namespace: 'team-alpha' },
};

const objects = clusterObjectsOf(cluster =>
  cluster === 'local'
    ? {
        objectsOfKind: (group: string, kind: string) =>
          [claim, secret].filter(
            o =>
              o.kind === kind &&
              (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '') ===
                group,
          ),
      }
    : undefined,
);

async function relationsOf(annotation: string) {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'payments',
      annotations: { [DEPENDS_ON_ANNOTATION]: annotation },
    },
  };
  const results: CatalogProcessorResult[] = [];
  await new DependsOnAnnotationProcessor({
    objects,
    mapping: DEFAULT_ENTITY_MAPPING,
  }).postProcessEntity(entity, location, r => results.push(r));
  return {
    dependsOn: results.flatMap(r =>
      r.type === 'relation' && r.relation.type === 'dependsOn'
        ? [
            `${r.relation.target.kind}:${r.relation.target.namespace}/${r.relation.target.name}`,
          ]
        : [],
    ),
    inverse: results.filter(
      r => r.type === 'relation' && r.relation.type === 'dependencyOf',
    ).length,
    errors: results.flatMap(r => (r.type === 'error' ? [r.error.message] : [])),
  };
}

describe('DependsOnAnnotationProcessor', () => {
  it('relates entity refs, the namespace defaulting to the entity’s', async () => {
    expect(
      await relationsOf('resource:default/payments-db, component:ledger'),
    ).toEqual({
      dependsOn: ['resource:default/payments-db', 'component:payments/ledger'],
      inverse: 2,
      errors: [],
    });
  });

  it('relates a cluster object to the entity the provider emits for it', async () => {
    const { dependsOn, errors } = await relationsOf(
      'local:database.platformops.io/v1alpha1/PostgreSQLInstance/team-alpha/payments-db',
    );
    expect(errors).toEqual([]);
    expect(dependsOn).toEqual([
      'Component:default/payments-db.postgresqlinstance.database-d76a75.team-alpha.local',
    ]);
  });

  it('relates nothing to objects it does not know or that never become entities', async () => {
    expect(
      await relationsOf(
        [
          'local:database.platformops.io/v1alpha1/PostgreSQLInstance/team-alpha/missing',
          'other:database.platformops.io/v1alpha1/PostgreSQLInstance/team-alpha/payments-db',
          'local:v1/Secret/team-alpha/payments-db-connection',
        ].join(','),
      ),
    ).toEqual({ dependsOn: [], inverse: 0, errors: [] });
  });

  it('reports values that are no ref, and still relates the others', async () => {
    const { dependsOn, errors } = await relationsOf(
      'payments-db, resource:default/payments-db, a:b/c/d',
    );
    expect(dependsOn).toEqual(['resource:default/payments-db']);
    expect(errors).toEqual([
      expect.stringMatching(
        /^platformops.io\/depends-on: "payments-db" is neither an entity ref/,
      ),
      expect.stringMatching(/"a:b\/c\/d" is neither/),
    ]);
  });
});
