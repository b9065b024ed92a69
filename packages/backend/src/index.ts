/*
 * The PlatformOps portal backend: Backstage's core plugins plus the
 * PlatformOps Crossplane suite, on the new backend system.
 */
import { createBackend } from '@backstage/backend-defaults';
import { demoPermissionPolicyModule } from './permissions';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: guest sign-in for local use (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Scaffolder; the GitHub module's publish:github:pull-request opens the pull
// requests of the GitOps templates (given a GitHub integration).
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

// Permissions: per-team rules (src/permissions); a starting point for the
// policy of a real installation.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(demoPermissionPolicyModule);

// Search, with the in-memory engine and the catalog collator.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Signals: live updates to the frontend (the app's storage API uses them).
backend.add(import('@backstage/plugin-signals-backend'));

// Kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));

// PlatformOps: Crossplane status, catalog ingestion and scaffolder actions.
backend.add(import('@platformops/plugin-crossplane-backend'));
backend.add(import('@platformops/plugin-catalog-backend-module-crossplane'));
backend.add(import('@platformops/plugin-scaffolder-backend-module-crossplane'));

// AI agents: the actions of backend.actions.pluginSources as MCP tools, at
// /api/mcp-actions/v1, with the caller's own permissions.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
