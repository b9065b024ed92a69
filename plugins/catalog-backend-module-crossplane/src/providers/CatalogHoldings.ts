import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * What the catalog holds of this module's entities: the one place the
 * module reads the catalog back, always with its own credentials.
 */
export interface CatalogHoldings {
  /** The refs of the entities the catalog holds from a location. */
  refsFrom(locationKey: string): Promise<string[]>;
  /** How many entities the catalog holds from a location. */
  countFrom(locationKey: string): Promise<number>;
  /** Whether the catalog holds any of these entities. */
  holdsAny(entityRefs: string[]): Promise<boolean>;
}

/** The catalog client's reads that {@link catalogHoldings} uses. */
export interface CatalogReads {
  getEntities(
    request: { filter: Record<string, string>; fields?: string[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Entity[] }>;
  queryEntities(
    request: {
      filter: Record<string, string>;
      limit: number;
      fields: string[];
    },
    options: { credentials: BackstageCredentials },
  ): Promise<{ totalItems: number }>;
  getEntitiesByRefs(
    request: { entityRefs: string[]; fields: string[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: (Entity | undefined)[] }>;
}

export function catalogHoldings(
  catalog: CatalogReads,
  auth: Pick<AuthService, 'getOwnServiceCredentials'>,
): CatalogHoldings {
  const credentials = async () => ({
    credentials: await auth.getOwnServiceCredentials(),
  });
  const fromLocation = (locationKey: string) => ({
    [`metadata.annotations.${ANNOTATION_LOCATION}`]: locationKey,
  });
  return {
    async refsFrom(locationKey) {
      const { items } = await catalog.getEntities(
        {
          filter: fromLocation(locationKey),
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        await credentials(),
      );
      return items.map(entity => stringifyEntityRef(entity));
    },
    async countFrom(locationKey) {
      const { totalItems } = await catalog.queryEntities(
        { filter: fromLocation(locationKey), limit: 1, fields: ['kind'] },
        await credentials(),
      );
      return totalItems;
    },
    async holdsAny(entityRefs) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs, fields: ['kind'] },
        await credentials(),
      );
      return items.some(Boolean);
    },
  };
}
