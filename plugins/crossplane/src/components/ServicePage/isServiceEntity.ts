import { Entity } from '@backstage/catalog-model';

/**
 * True for a Component that is a service rather than a Crossplane object the
 * catalog ingested (whose types all start with `crossplane-`): the entities
 * with a "Service health" tab.
 *
 * @public
 */
export function isServiceEntity(entity: Entity): boolean {
  const type = entity.spec?.type;
  return (
    entity.kind.toLowerCase() === 'component' &&
    !(typeof type === 'string' && type.startsWith('crossplane-'))
  );
}

/**
 * True for the entities whose roll-up is that of their services: a System,
 * a Group or a User (as owner).
 *
 * @public
 */
export function isServiceGroupEntity(entity: Entity): boolean {
  return ['system', 'group', 'user'].includes(entity.kind.toLowerCase());
}
