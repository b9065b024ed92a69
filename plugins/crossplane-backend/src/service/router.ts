import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  crossplaneReadPermission,
  crossplaneViewEventsPermission,
  crossplaneViewYamlPermission,
} from '@platformops/plugin-crossplane-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { StatusService } from './StatusService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
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

const summaryQuery = z.object({
  cluster: listParam,
  xrd: listParam,
  owner: listParam,
  namespace: listParam,
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
  const router = Router();
  router.use(express.json());

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`not allowed: ${permission.name}`);
    }
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/clusters', async (req, res) => {
    await authorize(req, crossplaneReadPermission);
    res.json({ items: await status.clusters() });
  });

  router.get('/summary', async (req, res) => {
    await authorize(req, crossplaneReadPermission);
    res.json(status.summary(parseQuery(summaryQuery, req)));
  });

  router.get('/tree', async (req, res) => {
    await authorize(req, crossplaneReadPermission);
    res.json({ root: status.tree(parseQuery(objectQuery, req)) });
  });

  router.get('/events', async (req, res) => {
    await authorize(req, crossplaneViewEventsPermission);
    const { tree, ...query } = parseQuery(eventsQuery, req);
    res.json({ items: await status.events(query, tree) });
  });

  router.get('/yaml', async (req, res) => {
    await authorize(req, crossplaneViewYamlPermission);
    res.json({ yaml: await status.yaml(parseQuery(objectQuery, req)) });
  });

  return router;
}
