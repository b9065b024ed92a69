import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { crossplaneReadPermission } from '@platformops/plugin-crossplane-common';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import express from 'express';
import Router from 'express-promise-router';
import { probeClusters } from './probeClusters';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  clusters: CrossplaneClusters;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, clusters } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: crossplaneReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `not allowed: ${crossplaneReadPermission.name}`,
      );
    }
    res.json({ items: await probeClusters(clusters.list()) });
  });

  return router;
}
