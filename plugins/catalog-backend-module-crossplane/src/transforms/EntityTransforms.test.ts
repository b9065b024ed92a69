import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { KubernetesObject } from '@platformops/plugin-crossplane-common';
import type { CrossplaneEntityTransform } from '@platformops/plugin-crossplane-node';
import { EntityTransforms } from './EntityTransforms';

const claim = (name: string, labels: Record<string, string>) =>
  ({
    apiVersion: 'database.platformops.io/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: { name, namespace: 'team-alpha', uid: `uid-${name}`, labels },
  } as KubernetesObject);

const entityOf = (object: KubernetesObject): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `${object.metadata.name}.east`,
    namespace: 'default',
    annotations: { 'platformops.io/cluster': 'east' },
  },
  spec: {
    type: 'crossplane-claim',
    lifecycle: 'production',
    owner: 'group:default/team-alpha',
    dependsOn: [`component:default/x${object.metadata.name}.east`],
  },
});

const teamLabels: CrossplaneEntityTransform = {
  id: 'team-labels',
  transform(entity, object) {
    const team = object.metadata.labels?.team;
    if (!team) return undefined;
    entity.spec!.owner = `group:default/${team}`;
    return entity;
  },
};

function setup(transforms: CrossplaneEntityTransform[]) {
  const logger = mockServices.logger.mock();
  let now = 0;
  const runner = new EntityTransforms({
    transforms,
    logger,
    logWindowMs: 60_000,
    now: () => now,
  });
  return {
    runner,
    warnings: () => logger.warn.mock.calls.map(([message]) => message),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('EntityTransforms', () => {
  it('runs the transforms in order, each on the last one’s entity', () => {
    const system: CrossplaneEntityTransform = {
      id: 'system-from-owner',
      transform: entity => ({
        ...entity,
        spec: { ...entity.spec, system: `${entity.spec!.owner}-apps` },
      }),
    };
    const { runner, warnings } = setup([teamLabels, system]);
    const object = claim('payments-db', { team: 'team-delta' });

    expect(runner.apply(entityOf(object), object, 'east').spec).toEqual({
      ...entityOf(object).spec,
      owner: 'group:default/team-delta',
      system: 'group:default/team-delta-apps',
    });
    // What it left alone (relations among it) is no refused change.
    expect(warnings()).toEqual([]);
  });

  it('keeps the entity when a transform answers undefined, and never lets a transform change the cache’s object', () => {
    const { runner } = setup([teamLabels]);
    const object = claim('payments-db', {});
    const sneaky: CrossplaneEntityTransform = {
      id: 'sneaky',
      transform: (_entity, cached) => {
        cached.metadata.labels!.team = 'team-evil';
        return undefined;
      },
    };
    const entity = entityOf(object);

    expect(
      setup([sneaky, teamLabels]).runner.apply(entity, object, 'east'),
    ).toEqual(entityOf(object));
    expect(object.metadata.labels).toEqual({});
    expect(runner.apply(entity, object, 'east')).toEqual(entityOf(object));
  });

  it('keeps the mapped entity of an object whose transform throws, transforms the others, and warns once per object per window', () => {
    const failing: CrossplaneEntityTransform = {
      id: 'cost-centers',
      transform: (_entity, object) => {
        if (object.metadata.name === 'broken')
          throw new Error('no cost center');
        return undefined;
      },
    };
    const { runner, warnings, advance } = setup([failing, teamLabels]);
    const broken = claim('broken', { team: 'team-delta' });
    const fine = claim('fine', { team: 'team-gamma' });

    for (let write = 0; write < 3; write++) {
      expect(runner.apply(entityOf(broken), broken, 'east').spec?.owner).toBe(
        // The next transform still runs on the unchanged entity.
        'group:default/team-delta',
      );
      expect(runner.apply(entityOf(fine), fine, 'east').spec?.owner).toBe(
        'group:default/team-gamma',
      );
    }
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^Entity transform cost-centers failed for PostgreSQLInstance\.database\.platformops\.io team-alpha\/broken in cluster east; .*no cost center/,
      ),
    ]);

    advance(60_000);
    runner.apply(entityOf(broken), broken, 'east');
    expect(warnings()).toHaveLength(2);
  });

  it('drops an identity change, keeps the rest of the answer, and names the transform and the field', () => {
    const renamer: CrossplaneEntityTransform = {
      id: 'short-names',
      transform: (entity, object) => ({
        ...entity,
        metadata: { ...entity.metadata, name: object.metadata.name },
        spec: { ...entity.spec, lifecycle: 'experimental' },
      }),
    };
    const { runner, warnings } = setup([renamer]);
    const object = claim('payments-db', {});

    const entity = runner.apply(entityOf(object), object, 'east');
    runner.apply(entityOf(object), object, 'east');

    expect(entity.metadata.name).toBe('payments-db.east');
    expect(entity.spec?.lifecycle).toBe('experimental');
    expect(warnings()).toEqual([
      'Entity transform short-names may not change metadata.name of the entity of PostgreSQLInstance.database.platformops.io team-alpha/payments-db in cluster east; those changes were dropped',
    ]);
  });
});
