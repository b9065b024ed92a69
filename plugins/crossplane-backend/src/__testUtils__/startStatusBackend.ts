import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { crossplanePlugin } from '../plugin';

/**
 * Real auth (the test's identity provider signs the users' tokens; the
 * auth services verify them and derive on-behalf-of tokens) and the real
 * permission backend with the test's policy.
 */
export function realAuthFeatures(options: {
  policy: BackendFeature;
  identity: { plugin: BackendFeature };
}): BackendFeature[] {
  return [
    permissionPlugin,
    options.policy,
    options.identity.plugin,
    authServiceFactory,
    httpAuthServiceFactory,
  ];
}

/**
 * The status plugin alone on a test backend, on one cluster, behind real
 * auth (the test's identity provider) and the real permission backend
 * with the test's policy: for suites that need no catalog or scaffolder
 * (see `startPortalBackend` for the whole suite).
 */
export function startStatusBackend(options: {
  cluster: JsonObject;
  policy: BackendFeature;
  identity: { plugin: BackendFeature };
  features?: BackendFeature[];
}) {
  return startTestBackend({
    features: [
      crossplanePlugin,
      ...realAuthFeatures(options),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            // The auth services keep their signing keys in the database.
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          permission: { enabled: true },
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [options.cluster] },
            ],
          },
        },
      }),
    ],
  });
}
