import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  crossplaneClustersReadPermission,
  CrossplaneObjectLocator,
  crossplaneResourceRef,
  crossplaneReadPermission,
  crossplaneViewEventsPermission,
  crossplaneViewYamlPermission,
  HEALTH_STATUSES,
} from '@platformops/plugin-crossplane-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { StatusService } from './StatusService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The rules of PlatformOps objects, to apply conditional decisions here. */
  rules: PermissionRuleset<CrossplaneObjectLocator>;
  status: StatusService;
}

const nonEmpty = (field: string) =>
  z
    .string({ error: `${field}: is required` })
    .min(1, `${field}: must not be empty`);

const objectQuery = z.object({
  cluster: nonEmpty('cluster'),
  apiVersion: nonEmpty('apiVersion'),
  kind: nonEmpty('kind'),
  namespace: z.string().min(1).optional(),
  name: nonEmpty('name'),
});

const listParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform(v => (typeof v === 'string' ? [v] : v));

/** Most resources one summary page may hold. */
export const MAX_SUMMARY_LIMIT = 5000;

const summaryQuery = z.object({
  cluster: listParam,
  xrd: listParam,
  owner: listParam,
  namespace: listParam,
  health: z
    .union([z.enum(HEALTH_STATUSES), z.array(z.enum(HEALTH_STATUSES))])
    .optional()
    .transform(v => (typeof v === 'string' ? [v] : v)),
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SUMMARY_LIMIT).optional(),
});

const eventsQuery = objectQuery.extend({
  tree: z
    .enum(['true', 'false'])
    .optional()
    .transform(v => v !== 'false'),
});

/** Parses a query string with a schema; errors name every bad field. */
function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.output<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(issue => {
          const field = issue.path.join('.');
          return issue.message.startsWith(`${field}:`)
            ? issue.message
            : `${field}: ${issue.message}`;
        })
        .join('; '),
    );
  }
  return result.data;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, status } = options;
  const isAllowed = createConditionAuthorizer(options.rules);
  const router = Router();
  router.use(express.json());

  async function authorizeBasic(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`not allowed: ${permission.name}`);
    }
  }

  /** Checks a permission on one object; throws NotAllowedError. */
  async function authorizeObject(
    req: Request,
    permission: ResourcePermission,
    object: CrossplaneObjectLocator,
  ) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: crossplaneResourceRef(object) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`not allowed: ${permission.name}`);
    }
  }

  /**
   * Which objects the caller may see, as a predicate: one decision for the
   * permission, whose conditions (kind, cluster, namespace rules) are applied
   * here to each object, so the cost does not grow with the number of
   * objects.
   */
  async function visibility(
    req: Request,
    permission: ResourcePermission,
  ): Promise<(object: CrossplaneObjectLocator) => boolean> {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return object => isAllowed(decision, object);
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/clusters', async (req, res) => {
    await authorizeBasic(req, crossplaneClustersReadPermission);
    res.json({ items: await status.clusters() });
  });

  router.get('/summary', async (req, res) => {
    // The cross-cluster view needs the clusters; each object its own read.
    await authorizeBasic(req, crossplaneClustersReadPermission);
    const { offset, limit, ...filters } = parseQuery(summaryQuery, req);
    const visible = await visibility(req, crossplaneReadPermission);
    res.json(status.summary(filters, visible, { offset, limit }));
  });

  router.get('/tree', async (req, res) => {
    const query = parseQuery(objectQuery, req);
    await authorizeObject(req, crossplaneReadPermission, query);
    res.json({ root: status.tree(query) });
  });

  router.get('/events', async (req, res) => {
    const { tree, ...query } = parseQuery(eventsQuery, req);
    await authorizeObject(req, crossplaneViewEventsPermission, query);
    res.json({ items: await status.events(query, tree) });
  });

  router.get('/yaml', async (req, res) => {
    const query = parseQuery(objectQuery, req);
    await authorizeObject(req, crossplaneViewYamlPermission, query);
    res.json({ yaml: await status.yaml(query) });
  });

  return router;
}
