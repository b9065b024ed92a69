import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import { Request } from 'express';
import {
  MAX_ROLLUPS_PAGE,
  ROLLUP_GROUPINGS,
  RollupService,
} from './RollupService';

/** The entity ref of the query, normalized; a 400 naming the field otherwise. */
function entityRefOf(req: Request): string {
  const value = req.query.entityRef;
  if (typeof value !== 'string' || !value) {
    throw new InputError(
      'entityRef: is required, e.g. component:default/payments-api',
    );
  }
  let ref;
  try {
    // The kind is required; the namespace defaults to `default`.
    ref = parseEntityRef(value);
  } catch (error) {
    throw new InputError(
      `entityRef: must be an entity ref like component:default/payments-api (${
        (error as Error).message
      })`,
    );
  }
  const valid = makeValidator();
  const problems = [
    valid.isValidKind(ref.kind) ? undefined : 'kind',
    valid.isValidNamespace(ref.namespace) ? undefined : 'namespace',
    valid.isValidEntityName(ref.name) ? undefined : 'name',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new InputError(
      `entityRef: must be an entity ref like component:default/payments-api (the ${problems.join(
        ', ',
      )} is not valid)`,
    );
  }
  return stringifyEntityRef(ref);
}

function integerOf(
  req: Request,
  field: string,
  range: { min: number; max: number; default: number },
): number {
  const value = req.query[field];
  if (value === undefined) return range.default;
  const n =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new InputError(
      `${field}: must be an integer from ${range.min} to ${range.max}`,
    );
  }
  return n;
}

/**
 * `GET /rollup?entityRef=` (one entity's roll-up; hidden and missing
 * entities alike are 404) and `GET /rollups?by=system|owner&offset&limit`
 * (a page of at most {@link MAX_ROLLUPS_PAGE} roll-ups of the Systems or
 * Groups the caller can see, in name order, with the total).
 */
export function rollupRoutes(options: {
  httpAuth: HttpAuthService;
  rollups: RollupService;
}) {
  const { httpAuth, rollups } = options;
  const router = Router();

  router.get('/rollup', async (req, res) => {
    const entityRef = entityRefOf(req);
    res.json(await rollups.rollup(entityRef, await httpAuth.credentials(req)));
  });

  router.get('/rollups', async (req, res) => {
    const by = req.query.by;
    // Own keys only: `in` also finds toString, constructor, __proto__.
    if (typeof by !== 'string' || !Object.hasOwn(ROLLUP_GROUPINGS, by)) {
      throw new InputError(
        `by: must be one of ${Object.keys(ROLLUP_GROUPINGS).join(', ')}`,
      );
    }
    const offset = integerOf(req, 'offset', {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      default: 0,
    });
    const limit = integerOf(req, 'limit', {
      min: 1,
      max: MAX_ROLLUPS_PAGE,
      default: MAX_ROLLUPS_PAGE,
    });
    res.json(
      await rollups.list(
        by as keyof typeof ROLLUP_GROUPINGS,
        await httpAuth.credentials(req),
        { offset, limit },
      ),
    );
  });

  return router;
}
