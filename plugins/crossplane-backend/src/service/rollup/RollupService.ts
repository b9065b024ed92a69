import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
  RELATION_OWNER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityRollup,
  entityRollup,
  sourceResult,
  StatusSourceResult,
} from '@platformops/plugin-crossplane-common';
import { StatusSource } from '@platformops/plugin-crossplane-node';

/** Most members (a System's or an owner's services) one roll-up covers. */
export const MAX_MEMBERS = 200;
/** Most roll-ups one page of `/rollups` holds (each may have many members). */
export const MAX_ROLLUPS_PAGE = 20;
/** How long one source may take for one entity before it counts as failed. */
export const SOURCE_TIMEOUT_MS = 10_000;
/** Members rolled up at once. */
const MEMBER_CONCURRENCY = 8;

/** What a roll-up of members is made of: a System's parts, an owner's. */
const MEMBER_RELATION: Record<string, string> = {
  system: RELATION_HAS_PART,
  group: RELATION_OWNER_OF,
  user: RELATION_OWNER_OF,
};

/** The kinds listed by `/rollups?by=`. */
export const ROLLUP_GROUPINGS = { system: 'System', owner: 'Group' } as const;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` over items with at most `limit` at once, keeping their order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/**
 * The roll-up of an entity: what every status source says of it, worst
 * first, and for a System its Components (`hasPart`), for a Group or User
 * the Components it owns (`ownerOf`), each rolled up the same way. The
 * catalog is always asked with the caller's credentials: an entity the
 * caller may not see is missing, and a member they may not see is left out.
 */
export class RollupService {
  readonly #catalog: CatalogService;
  readonly #sources: StatusSource[];
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #timeoutMs: number;

  constructor(options: {
    catalog: CatalogService;
    sources: StatusSource[];
    logger: LoggerService;
    now?: () => number;
    sourceTimeoutMs?: number;
  }) {
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.sourceTimeoutMs ?? SOURCE_TIMEOUT_MS;
    const ids = new Set<string>();
    for (const source of options.sources) {
      if (ids.has(source.id)) {
        throw new Error(`status source id "${source.id}" is added twice`);
      }
      ids.add(source.id);
    }
    this.#sources = [...options.sources];
  }

  /** The roll-up of one entity; NotFoundError when the caller cannot see it. */
  async rollup(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityRollup> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`${entityRef}: not found`);
    return this.#rollupOf(entity, credentials);
  }

  /**
   * One page of the roll-ups of every System (`by: 'system'`) or Group
   * (`by: 'owner'`) the caller can see, in the catalog's name order;
   * `total` counts them all.
   */
  async list(
    by: keyof typeof ROLLUP_GROUPINGS,
    credentials: BackstageCredentials,
    page: { offset: number; limit: number },
  ): Promise<{
    items: EntityRollup[];
    page: { offset: number; limit: number; total: number };
  }> {
    const { items, totalItems } = await this.#catalog.queryEntities(
      {
        filter: { kind: ROLLUP_GROUPINGS[by] },
        orderFields: { field: 'metadata.name', order: 'asc' },
        offset: page.offset,
        limit: page.limit,
      },
      { credentials },
    );
    const rollups = [];
    // One at a time: each already rolls its members up in parallel.
    for (const entity of items) {
      rollups.push(await this.#rollupOf(entity, credentials));
    }
    return { items: rollups, page: { ...page, total: totalItems } };
  }

  async #rollupOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<EntityRollup> {
    const entityRef = stringifyEntityRef(entity);
    const relation = MEMBER_RELATION[entity.kind.toLocaleLowerCase('en-US')];
    const [sources, members] = await Promise.all([
      this.#sourcesOf(entity, credentials),
      relation ? this.#membersOf(entity, relation, credentials) : undefined,
    ]);
    const rollup = entityRollup(
      entityRef,
      sources,
      this.#now(),
      members?.rollups,
    );
    if (members && members.total > members.rollups.length) {
      rollup.membersTotal = members.total;
    }
    return rollup;
  }

  async #sourcesOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<StatusSourceResult[]> {
    return Promise.all(
      this.#sources.map(async source => {
        try {
          const signals = await withTimeout(
            source.signalsFor(entity, { credentials }),
            this.#timeoutMs,
          );
          return sourceResult(source, { signals }, this.#now());
        } catch (error) {
          const message =
            error instanceof Error ? error.message : String(error);
          this.#logger.warn(
            `status source ${source.id} failed for ${stringifyEntityRef(
              entity,
            )}: ${message}`,
          );
          return sourceResult(source, { error: message }, this.#now());
        }
      }),
    );
  }

  /** The Components a System has or an owner owns, that the caller sees. */
  async #membersOf(
    entity: Entity,
    relation: string,
    credentials: BackstageCredentials,
  ): Promise<{ rollups: NonNullable<EntityRollup['members']>; total: number }> {
    const refs = [
      ...new Set(
        (entity.relations ?? [])
          .filter(
            r =>
              r.type === relation &&
              parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') ===
                'component',
          )
          .map(r => r.targetRef),
      ),
    ];
    const { items } = refs.length
      ? await this.#catalog.getEntitiesByRefs(
          { entityRefs: refs },
          { credentials },
        )
      : { items: [] };
    const visible = items.filter((e): e is Entity => !!e);
    const rollups = await mapLimited(
      visible.slice(0, MAX_MEMBERS),
      MEMBER_CONCURRENCY,
      async member => {
        const { entityRef, health, cause } = entityRollup(
          stringifyEntityRef(member),
          await this.#sourcesOf(member, credentials),
          this.#now(),
        );
        return cause ? { entityRef, health, cause } : { entityRef, health };
      },
    );
    return { rollups, total: visible.length };
  }
}
