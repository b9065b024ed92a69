import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  COMPOSITION_PICKER_FIELD,
  MANIFEST_PREVIEW_FIELD,
  NAMESPACE_PICKER_FIELD,
} from '@platformops/plugin-crossplane-common';
import { crossplaneApiRef } from './api/CrossplaneApi';
import {
  createCrossplaneClient,
  crossplaneClientDeps,
} from './api/crossplaneClientFactory';
import type { ControlPlanePageProps } from './components/ControlPlanePage';
import { ManifestPreviewField } from './components/ManifestPreviewField';
import type { EntityServiceRollupCardProps } from './components/RollupCard';
import {
  CrossplaneCompositionPicker,
  CrossplaneNamespacePicker,
} from './components/CreateOptionPickers';
import { rootRouteRef } from './routes';

/**
 * The PlatformOps frontend plugin (legacy frontend system).
 *
 * @public
 */
export const crossplanePlugin = createPlugin({
  id: 'crossplane',
  apis: [
    createApiFactory({
      api: crossplaneApiRef,
      deps: crossplaneClientDeps,
      factory: createCrossplaneClient,
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The control-plane page (legacy frontend system): health per cluster and
 * every claim and composite, failing first, with filters and auto-refresh.
 *
 * @public
 */
export const CrossplaneControlPlanePage: (
  props: ControlPlanePageProps,
) => JSX.Element = crossplanePlugin.provide(
  createRoutableExtension({
    name: 'CrossplaneControlPlanePage',
    component: () =>
      import('./components/ControlPlanePage').then(
        m => m.ControlPlanePageWithHeader,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Entity card with the live health of the entity's Crossplane object:
 * status, reason, message, since when and its conditions. For entities
 * with the `platformops.io/cluster` annotation (see `isCrossplaneAvailable`).
 *
 * @public
 */
export const EntityCrossplaneStatusCard: () => JSX.Element =
  crossplanePlugin.provide(
    createComponentExtension({
      name: 'EntityCrossplaneStatusCard',
      component: {
        lazy: () =>
          import('./components/EntityCrossplaneStatusCard').then(
            m => m.EntityCrossplaneStatusCard,
          ),
      },
    }),
  );

/**
 * Entity card with the Kubernetes events of the entity's Crossplane object
 * and every resource below it, warnings first.
 *
 * @public
 */
export const EntityCrossplaneEventsCard: () => JSX.Element =
  crossplanePlugin.provide(
    createComponentExtension({
      name: 'EntityCrossplaneEventsCard',
      component: {
        lazy: () =>
          import('./components/EntityCrossplaneEventsCard').then(
            m => m.EntityCrossplaneEventsCard,
          ),
      },
    }),
  );

/**
 * Entity card with the timeline of the entity's Crossplane object: the
 * portal's audit records, Kubernetes events and field managers, newest
 * first.
 *
 * @public
 */
export const EntityCrossplaneTimelineCard: () => JSX.Element =
  crossplanePlugin.provide(
    createComponentExtension({
      name: 'EntityCrossplaneTimelineCard',
      component: {
        lazy: () =>
          import('./components/EntityCrossplaneTimelineCard').then(
            m => m.EntityCrossplaneTimelineCard,
          ),
      },
    }),
  );

/**
 * Entity tab content with the resource tree of the entity's Crossplane
 * object as a graph, the path to the failing resource highlighted.
 *
 * @public
 */
export const EntityCrossplaneResourceTreeContent: () => JSX.Element | null =
  crossplanePlugin.provide(
    createComponentExtension({
      name: 'EntityCrossplaneResourceTreeContent',
      component: {
        lazy: () =>
          import('./components/EntityCrossplaneResourceTreeContent').then(
            m => m.EntityCrossplaneResourceTreeContent,
          ),
      },
    }),
  );

/**
 * Entity tab content with the entity's Crossplane object as YAML, secrets
 * redacted.
 *
 * @public
 */
export const EntityCrossplaneYamlContent: () => JSX.Element =
  crossplanePlugin.provide(
    createComponentExtension({
      name: 'EntityCrossplaneYamlContent',
      component: {
        lazy: () =>
          import('./components/EntityCrossplaneYamlContent').then(
            m => m.EntityCrossplaneYamlContent,
          ),
      },
    }),
  );

/**
 * Entity card with everything known about a service, rolled up: the
 * overall health with its cause named, then each status source worst first
 * (workloads and pods, the Crossplane resources it depends on, pipeline
 * runs). On a System, Group or User: the roll-ups of its services.
 *
 * @public
 */
export const EntityServiceRollupCard: (
  props: EntityServiceRollupCardProps,
) => JSX.Element = crossplanePlugin.provide(
  createComponentExtension({
    name: 'EntityServiceRollupCard',
    component: {
      lazy: () =>
        import('./components/RollupCard').then(m => m.EntityServiceRollupCard),
    },
  }),
);

/**
 * Entity tab content "Service health", one page per service: the roll-up
 * card full width and, when the entity names a Crossplane object, its
 * status and events. For Components that are services (see
 * `isServiceEntity`).
 *
 * @public
 */
export const EntityServicePage: () => JSX.Element = crossplanePlugin.provide(
  createComponentExtension({
    name: 'EntityServicePage',
    component: {
      lazy: () =>
        import('./components/ServicePage').then(m => m.EntityServicePage),
    },
  }),
);

/**
 * Scaffolder field of a generated template's "Review" step: the manifest
 * the form creates and the API server's dry run of it (legacy frontend
 * system; place it inside `ScaffolderFieldExtensions`).
 *
 * @public
 */
export const CrossplaneManifestPreviewFieldExtension = crossplanePlugin.provide(
  createScaffolderFieldExtension({
    name: MANIFEST_PREVIEW_FIELD,
    component: ManifestPreviewField,
  }),
);

/**
 * Scaffolder field of a generated template's namespace: the namespaces
 * where the user may create the XRD's claim or XR, read live (legacy
 * frontend system; place it inside `ScaffolderFieldExtensions`).
 *
 * @public
 */
export const CrossplaneNamespacePickerFieldExtension = crossplanePlugin.provide(
  createScaffolderFieldExtension({
    name: NAMESPACE_PICKER_FIELD,
    component: CrossplaneNamespacePicker,
  }),
);

/**
 * Scaffolder field of a generated template's Composition: the Compositions
 * of the XRD's composite type, read live (legacy frontend system; place it
 * inside `ScaffolderFieldExtensions`).
 *
 * @public
 */
export const CrossplaneCompositionPickerFieldExtension =
  crossplanePlugin.provide(
    createScaffolderFieldExtension({
      name: COMPOSITION_PICKER_FIELD,
      component: CrossplaneCompositionPicker,
    }),
  );
