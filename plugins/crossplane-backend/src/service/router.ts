import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  crossplaneClustersReadPermission,
  CrossplaneObjectId,
  CrossplanePermissionSubject,
  crossplaneReadPermission,
  parseObjectId,
  crossplaneViewEventsPermission,
  crossplaneViewYamlPermission,
  HEALTH_STATUSES,
} from '@platformops/plugin-crossplane-common';
import {
  ClusterRequestError,
  MAX_DELETION_PROGRESS_OBJECTS,
  MAX_UPGRADE_OBJECTS,
} from '@platformops/plugin-crossplane-node';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { StatusService } from './StatusService';
import { ObjectAuthorizer } from './ObjectAuthorizer';
import { Visibility } from './Visibility';
import { LifecycleService } from './lifecycle/LifecycleService';
import { EditService } from './lifecycle/EditService';
import { CreateService } from './lifecycle/CreateService';
import { CreateChoices } from './CreateChoices';
import { DeleteService } from './lifecycle/DeleteService';
import { UpgradeService } from './lifecycle/UpgradeService';
import { TimelineService } from './audit/TimelineService';
import { rollupRoutes } from './rollup/rollupRoutes';
import { RollupService } from './rollup/RollupService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The rules of PlatformOps objects, to apply conditional decisions here. */
  rules: PermissionRuleset<CrossplanePermissionSubject>;
  status: StatusService;
  /** Pause, resume and reconcile; without it, those routes are absent. */
  lifecycle?: LifecycleService;
  /** Composition revision upgrades; without it, those routes are absent. */
  upgrades?: UpgradeService;
  /** Objects' timelines; without it, the route is absent. */
  timeline?: TimelineService;
  /** Delete with its impact first; without it, those routes are absent. */
  deletion?: DeleteService;
  /** Edits; without it, those routes are absent. */
  edits?: EditService;
  /** Create previews; without it, the route is absent. */
  creates?: CreateService;
  /** Entities' roll-ups from every status source; without it, absent. */
  rollups?: RollupService;
  /** What generated forms offer to choose; without it, absent. */
  choices?: CreateChoices;
}

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

const eventsQuery = z.object({
  tree: z
    .enum(['true', 'false'], { error: 'tree: must be true or false' })
    .optional()
    .transform(v => v !== 'false'),
});

/** The object a request names: exact, validated, or a 400 naming the field. */
function objectOf(req: Request): CrossplaneObjectId {
  const { cluster, apiVersion, kind, namespace, name } = req.query;
  return parseObjectId({ cluster, apiVersion, kind, namespace, name });
}

/** Most seconds a reconcile request may wait for its outcome. */
export const MAX_RECONCILE_WAIT_SECONDS = 60;

const lifecycleBody = z.object({
  dryRun: z.boolean({ error: 'dryRun: must be true or false' }).optional(),
  waitSeconds: z
    .number({ error: 'waitSeconds: must be a number' })
    .int()
    .min(0)
    .max(MAX_RECONCILE_WAIT_SECONDS)
    .optional(),
});

/** Most seconds an upgrade may wait for each object to be healthy again. */
export const MAX_UPGRADE_WAIT_SECONDS = 300;
/** Most objects one upgrade request may move. */
export { MAX_UPGRADE_OBJECTS };

const upgradesQuery = z.object({ cluster: listParam });

const upgradeBody = z.object({
  objects: z
    .array(z.unknown(), { error: 'objects: must be a list of objects' })
    .min(1, { error: 'objects: must name at least one object' })
    .max(MAX_UPGRADE_OBJECTS, {
      error: `objects: must name at most ${MAX_UPGRADE_OBJECTS} objects`,
    }),
  dryRun: z.boolean({ error: 'dryRun: must be true or false' }).optional(),
  waitSeconds: z
    .number({ error: 'waitSeconds: must be a number' })
    .int()
    .min(1)
    .max(MAX_UPGRADE_WAIT_SECONDS)
    .optional(),
});

/** Most objects one read of a deletion's progress follows. */
export { MAX_DELETION_PROGRESS_OBJECTS };

const deletionProgressBody = z.object({
  objects: z
    .array(z.unknown(), { error: 'objects: must be a list of objects' })
    .max(MAX_DELETION_PROGRESS_OBJECTS, {
      error: `objects: must name at most ${MAX_DELETION_PROGRESS_OBJECTS} objects`,
    }),
});

/**
 * The objects a body lists, each named exactly as the GET routes name one,
 * or a 400 naming the field (`objects[i].kind`).
 */
function objectsOf(objects: unknown[]): CrossplaneObjectId[] {
  return objects.map((object, i) => {
    const o: Record<string, unknown> =
      object && typeof object === 'object'
        ? (object as Record<string, unknown>)
        : {};
    const field = (key: string) => `objects[${i}].${key}`;
    return parseObjectId(o, {
      cluster: field('cluster'),
      apiVersion: field('apiVersion'),
      kind: field('kind'),
      namespace: field('namespace'),
      name: field('name'),
    });
  });
}

const formValues = z.record(z.string(), z.unknown(), {
  error: 'values: must be an object of form values',
});

/** Most fields one edit may take over: more than any form owns. */
const MAX_TAKE_OVER = 500;

const editBody = z.object({
  values: formValues,
  dryRun: z.boolean({ error: 'dryRun: must be true or false' }).optional(),
  takeOver: z
    .array(z.string({ error: 'takeOver: must list field paths' }).max(1024), {
      error: 'takeOver: must list field paths',
    })
    .max(MAX_TAKE_OVER, {
      error: `takeOver: must list at most ${MAX_TAKE_OVER} fields`,
    })
    .optional(),
});

const createPreviewBody = z.object({
  cluster: z.string({ error: 'cluster: must be a cluster name' }).min(1),
  xrd: z.string({ error: 'xrd: must be the name of an XRD' }).min(1),
  values: formValues,
});

const createBody = createPreviewBody.extend({
  dryRun: z.boolean({ error: 'dryRun: must be true or false' }).optional(),
});

const createOptionsQuery = z.object({
  cluster: z.string({ error: 'cluster: must be a cluster name' }).min(1),
  xrd: z.string({ error: 'xrd: must be the name of an XRD' }).min(1),
});

/** Parses a query string with a schema; errors name every bad field. */
function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.output<T> {
  return parseWith(schema, req.query);
}

function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value);
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
  const { httpAuth, permissions, status, lifecycle, upgrades, timeline } =
    options;
  const { deletion, edits, creates } = options;
  const authorizer = new ObjectAuthorizer({
    permissions,
    rules: options.rules,
    subjects: status.subjects,
  });
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

  /**
   * Which objects the caller may see, as a predicate: one decision for the
   * permission, whose conditions (kind, cluster, namespace, owner rules)
   * are applied here to each object's subject, so the cost does not grow
   * with the number of objects.
   */
  async function visibility(
    req: Request,
    permission: ResourcePermission,
  ): Promise<Visibility> {
    return authorizer.visibility(await httpAuth.credentials(req), permission);
  }

  /**
   * Checks a permission on one object, judged by what the cluster says it
   * is (see PermissionSubjects); throws NotAllowedError. Asked before the
   * lookup, so a hidden object and a missing one answer alike.
   */
  async function authorizeObject(
    req: Request,
    permission: ResourcePermission,
    id: CrossplaneObjectId,
  ) {
    await authorizer.authorize(await httpAuth.credentials(req), permission, id);
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/clusters', async (req, res) => {
    await authorizeBasic(req, crossplaneClustersReadPermission);
    // Counts only for those who may read every object.
    const credentials = await httpAuth.credentials(req);
    const [read] = await permissions.authorizeConditional(
      [{ permission: crossplaneReadPermission }],
      { credentials },
    );
    res.json({
      items: await status.clusters({
        withCounts: read.result === AuthorizeResult.ALLOW,
      }),
    });
  });

  router.get('/summary', async (req, res) => {
    // The cross-cluster view needs the clusters; each object its own read.
    await authorizeBasic(req, crossplaneClustersReadPermission);
    const { offset, limit, ...filters } = parseQuery(summaryQuery, req);
    const visible = await visibility(req, crossplaneReadPermission);
    const json = status.summaryJson(filters, visible, { offset, limit });
    res.type('application/json');
    if (typeof json === 'string') {
      res.send(json);
      return;
    }
    // A shared answer comes compressed already: the server's compression
    // leaves an answer with a Content-Encoding as it is.
    res.vary('Accept-Encoding');
    const gzipped =
      req.acceptsEncodings('gzip', 'identity') === 'gzip'
        ? json.gzip()
        : undefined;
    if (gzipped) res.set('Content-Encoding', 'gzip').send(gzipped);
    else res.send(json.text());
  });

  router.get('/tree', async (req, res) => {
    const id = objectOf(req);
    await authorizeObject(req, crossplaneReadPermission, id);
    res.json({ root: status.tree(id) });
  });

  router.get('/events', async (req, res) => {
    const id = objectOf(req);
    const { tree } = parseQuery(eventsQuery, req);
    await authorizeObject(req, crossplaneViewEventsPermission, id);
    res.json({ items: await status.events(id, tree) });
  });

  router.get('/yaml', async (req, res) => {
    const id = objectOf(req);
    await authorizeObject(req, crossplaneViewYamlPermission, id);
    res.json({ yaml: await status.yaml(id) });
  });

  if (lifecycle) {
    // The object is named in the body, exactly as the GET routes name it
    // in the query.
    for (const operation of ['pause', 'resume', 'reconcile'] as const) {
      router.post(`/${operation}`, async (req, res) => {
        const body: Record<string, unknown> =
          req.body && typeof req.body === 'object' ? req.body : {};
        const { cluster, apiVersion, kind, namespace, name } = body;
        const id = parseObjectId({
          cluster,
          apiVersion,
          kind,
          namespace,
          name,
        });
        const { dryRun, waitSeconds } = parseWith(lifecycleBody, {
          dryRun: body.dryRun,
          waitSeconds: body.waitSeconds,
        });
        const result = await lifecycle.run(
          operation,
          id,
          await httpAuth.credentials(req),
          {
            dryRun,
            waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000,
            request: req,
          },
        );
        res.json(result);
      });
    }

    router.get('/capabilities', async (req, res) => {
      const id = objectOf(req);
      res.json(
        await lifecycle.capabilities(id, await httpAuth.credentials(req)),
      );
    });
  }

  if (upgrades) {
    router.get('/upgrades', async (req, res) => {
      // Like the summary: the clusters, then each object's own read.
      await authorizeBasic(req, crossplaneClustersReadPermission);
      const { cluster } = parseQuery(upgradesQuery, req);
      res.json({
        items: await upgrades.lags(await httpAuth.credentials(req), cluster),
      });
    });

    router.post('/upgrade', async (req, res) => {
      const body: Record<string, unknown> =
        req.body && typeof req.body === 'object' ? req.body : {};
      const { objects, dryRun, waitSeconds } = parseWith(upgradeBody, body);
      // Every object named exactly before any is upgraded.
      const ids = objectsOf(objects);
      const steps = await upgrades.upgrade(
        ids,
        await httpAuth.credentials(req),
        {
          dryRun,
          waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000,
          request: req,
        },
      );
      res.json({ steps });
    });
  }

  if (timeline) {
    // The timeline is the object's history: its events and more, so it
    // asks what the events route asks.
    router.get('/timeline', async (req, res) => {
      const id = objectOf(req);
      await authorizeObject(req, crossplaneViewEventsPermission, id);
      res.json({ items: await timeline.timeline(id) });
    });
  }

  if (deletion) {
    router.get('/deletion', async (req, res) => {
      const id = objectOf(req);
      res.json(await deletion.impact(id, await httpAuth.credentials(req)));
    });

    router.post('/delete', async (req, res) => {
      const body: Record<string, unknown> =
        req.body && typeof req.body === 'object' ? req.body : {};
      const { cluster, apiVersion, kind, namespace, name } = body;
      const id = parseObjectId({ cluster, apiVersion, kind, namespace, name });
      const { dryRun } = parseWith(lifecycleBody, { dryRun: body.dryRun });
      const impact = await deletion.delete(
        id,
        { confirm: body.confirm, dryRun },
        await httpAuth.credentials(req),
        { request: req },
      );
      // Accepted: Crossplane and the provider finish it; GET /deletion
      // follows it while the object is there, POST /deletion/progress what
      // it took with it once the object is gone.
      res.status(dryRun ? 200 : 202).json(impact);
    });

    router.post('/deletion/progress', async (req, res) => {
      const body: Record<string, unknown> =
        req.body && typeof req.body === 'object' ? req.body : {};
      const { objects } = parseWith(deletionProgressBody, {
        objects: body.objects,
      });
      // Every object named exactly before any is read.
      res.json(
        await deletion.progress(
          objectsOf(objects),
          await httpAuth.credentials(req),
        ),
      );
    });
  }

  if (edits) {
    router.get('/edit', async (req, res) => {
      res.json(
        await edits.form(objectOf(req), await httpAuth.credentials(req)),
      );
    });

    router.post('/edit', async (req, res) => {
      const body: Record<string, unknown> =
        req.body && typeof req.body === 'object' ? req.body : {};
      const { cluster, apiVersion, kind, namespace, name } = body;
      const id = parseObjectId({ cluster, apiVersion, kind, namespace, name });
      const { values, dryRun, takeOver } = parseWith(editBody, {
        values: body.values,
        dryRun: body.dryRun,
        takeOver: body.takeOver,
      });
      res.json(
        await edits.edit(id, values, await httpAuth.credentials(req), {
          dryRun,
          takeOver,
          request: req,
        }),
      );
    });
  }

  if (creates) {
    router.post('/create-preview', async (req, res) => {
      const body = parseWith(createPreviewBody, req.body ?? {});
      res.json(await creates.preview(body, await httpAuth.credentials(req)));
    });

    // The create of the scaffolder's and the actions' path, as the
    // signed-in user: on a cluster that writes with the user's own token,
    // the request carries it (see clientForWrites).
    router.post('/create', async (req, res) => {
      const { dryRun, ...body } = parseWith(createBody, req.body ?? {});
      const result = await creates.create(
        body,
        await httpAuth.credentials(req),
        { dryRun, request: req },
      );
      res.status(result.created ? 201 : 200).json(result);
    });
  }

  if (options.choices) {
    const { choices } = options;
    // What a form offers: for those who see the clusters; the namespaces
    // are then those where the caller may create.
    router.get('/create-options/namespaces', async (req, res) => {
      await authorizeBasic(req, crossplaneClustersReadPermission);
      const query = parseQuery(createOptionsQuery, req);
      res.json(
        await choices.namespaces(query, await httpAuth.credentials(req)),
      );
    });

    router.get('/create-options/compositions', async (req, res) => {
      await authorizeBasic(req, crossplaneClustersReadPermission);
      res.json(await choices.compositions(parseQuery(createOptionsQuery, req)));
    });
  }

  if (options.rollups) {
    router.use(rollupRoutes({ httpAuth, rollups: options.rollups }));
  }

  // A cluster that cannot answer is the cluster's failure, not the
  // request's and not ours: 503, with the cluster named.
  router.use(
    (error: unknown, _req: Request, _res: Response, next: NextFunction) => {
      next(
        error instanceof ClusterRequestError
          ? new ServiceUnavailableError(error.message)
          : error,
      );
    },
  );

  return router;
}
